import type { TemplateName } from '../../desks/model.js';
import { PRIORITY_LABEL } from '../../domain/priority.js';
import { STATUS_LABEL } from '../../domain/status.js';
import { mentionUser } from '../../lib/mrkdwn.js';
import type { TicketDetails } from '../../tickets/details.js';
import { renderTemplate, type TemplateValues, templateFor } from '../../tickets/templates.js';
import { requesterEscalateAction, requesterResolutionActions } from '../card/ticketActions.js';
import { context, type KnownBlock, section, slackDate } from '../kit/elements.js';

/** A message to the requester in their DM with the app, from the desk's template. */
export function requesterNotice(
  d: TicketDetails,
  template: TemplateName,
  extra: TemplateValues = {},
): { text: string; blocks: KnownBlock[] } {
  const t = d.ticket;
  const values: TemplateValues = {
    folio: t.folio,
    subject: t.subject,
    desk: d.desk.name,
    requester: { mrkdwn: mentionUser(t.requesterId) },
    assignee: t.assigneeId ? { mrkdwn: mentionUser(t.assigneeId) } : 'nobody yet',
    status: STATUS_LABEL[t.status],
    priority: PRIORITY_LABEL[t.priority],
    days: String(d.desk.autoCloseAfterDays),
    resolution: t.resolutionNote ?? '',
    due: d.slaDue ? { mrkdwn: slackDate(d.slaDue) } : 'within its business hours',
    ...extra,
  };
  const text = renderTemplate(templateFor(d.desk.templates, template), values);
  const blocks: KnownBlock[] = [
    section(text),
    context([`${t.folio} · ${STATUS_LABEL[t.status]} · opened ${slackDate(t.createdAt)}`]),
  ];
  // A resolution asks the requester to confirm the fix or to say it is still broken.
  if (template === 'resolved' && t.status === 'resolved') {
    blocks.push({ type: 'actions', elements: requesterResolutionActions(t) });
  }
  // The first message of their conversation says when an answer is promised, and keeps a way to
  // escalate should the desk be late.
  if (template === 'created') {
    if (d.slaDue) blocks.push(context([`:stopwatch: The desk aims to answer by ${slackDate(d.slaDue)}.`]));
    blocks.push({ type: 'actions', elements: [requesterEscalateAction(t)] });
  }
  return { text, blocks };
}
