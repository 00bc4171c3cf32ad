import type { TemplateName } from '../desks/model.js';
import { escapeMrkdwn } from '../lib/mrkdwn.js';

/**
 * Notification templates (the seeds' desk emails, in Slack). A desk may override any of them in the
 * configuration file or in Slack. Placeholders: {folio} {subject} {desk} {requester} {assignee}
 * {status} {priority} {author} {comment} {resolution} {days} {due} (when the desk promised an
 * answer). Values are escaped; the template itself is the desk's own mrkdwn.
 */
export const DEFAULT_TEMPLATES: Record<TemplateName, string> = {
  created:
    'Thanks! Your request *{folio}* is with the {desk} desk: {subject}\n' +
    'Reply in this thread to add details or files; the desk’s answers will appear here.',
  publicReply: '*{author}* replied on *{folio}*:\n{comment}',
  resolved: '*{folio}* is resolved. {resolution}\nIs everything working again?',
  autoClosed: '*{folio}* is now closed: nobody answered within {days} business days of it being resolved.',
};

/** Plain text (escaped when rendered) or ready mrkdwn such as a user mention. */
export type TemplateValue = string | { mrkdwn: string };
export type TemplateValues = Partial<Record<string, TemplateValue>>;

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === 'string' ? escapeMrkdwn(value) : value.mrkdwn;
  });
}

export const templateFor = (overrides: Partial<Record<TemplateName, string>>, name: TemplateName): string =>
  overrides[name] ?? DEFAULT_TEMPLATES[name];
