import type { TemplateName } from '../../desks/model.js';
import { PRIORITY_LABEL } from '../../domain/priority.js';
import { STATUS_LABEL } from '../../domain/status.js';
import { mentionUser } from '../../lib/mrkdwn.js';
import type { TicketDetails } from '../../tickets/details.js';
import { renderTemplate, type TemplateValues, templateFor } from '../../tickets/templates.js';
import { requesterEscalateAction, requesterResolutionActions } from '../card/ticketActions.js';
import { context, type KnownBlock, section, slackDate } from '../kit/elements.js';
import { requesterMrkdwn } from '../kit/requester.js';

/** A message to the requester in their DM with the app, from the desk's template. */
export function requesterNotice(
  details: TicketDetails,
  template: TemplateName,
  extra: TemplateValues = {},
): { text: string; blocks: KnownBlock[] } {
  const ticket = details.ticket;
  const values: TemplateValues = {
    folio: ticket.folio,
    subject: ticket.subject,
    desk: details.desk.name,
    requester: { mrkdwn: requesterMrkdwn(ticket) },
    assignee: ticket.assigneeId ? { mrkdwn: mentionUser(ticket.assigneeId) } : 'nobody yet',
    status: STATUS_LABEL[ticket.status],
    priority: PRIORITY_LABEL[ticket.priority],
    days: String(details.desk.autoCloseAfterDays),
    resolution: ticket.resolutionNote ?? '',
    due: details.slaDue ? { mrkdwn: slackDate(details.slaDue) } : 'within its business hours',
    ...extra,
  };
  const text = renderTemplate(templateFor(details.desk.templates, template), values);
  const blocks: KnownBlock[] = [
    section(text),
    context([`${ticket.folio} · ${STATUS_LABEL[ticket.status]} · opened ${slackDate(ticket.createdAt)}`]),
  ];
  // A resolution asks the requester to confirm the fix or to say it is still broken.
  if (template === 'resolved' && ticket.status === 'resolved') {
    blocks.push({ type: 'actions', elements: requesterResolutionActions(ticket) });
  }
  // The first message of their conversation says when an answer is promised, and keeps a way to
  // escalate should the desk be late.
  if (template === 'created') {
    if (details.slaDue)
      blocks.push(context([`:stopwatch: The desk aims to answer by ${slackDate(details.slaDue)}.`]));
    blocks.push({ type: 'actions', elements: [requesterEscalateAction(ticket)] });
  }
  return { text, blocks };
}
