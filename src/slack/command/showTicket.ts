import { ticketHistory } from '../../audit/history.js';
import { isActive } from '../../domain/status.js';
import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import { findVisibleTicket } from '../../tickets/show.js';
import { deskActions, requesterEscalateAction, requesterResolutionActions } from '../card/ticketActions.js';
import type { SlackServices } from '../context.js';
import { type KnownBlock, notice } from '../kit/elements.js';
import { permalink } from '../kit/workspace.js';
import { ticketDetails } from './ticketDetails.js';
import { TIMELINE_MAX, timelineBlocks } from './timeline.js';

/** `/ticket TKT042` and the "View" buttons: the ticket for those who may see it, "no such ticket" otherwise. */
export async function showTicketAnswer(
  services: SlackServices,
  viewer: string,
  folio: string,
): Promise<{ text: string; blocks: KnownBlock[] }> {
  const visible = await findVisibleTicket(services, viewer, folio);
  if (!visible)
    return notice(
      `There is no ticket *${escapeMrkdwn(folio)}* that you can see. Check the folio, or try \`/ticket search <words>\`.`,
    );
  const url = (await services.workspace.tryGet())?.url;
  const ticket = visible.ticket;
  const actions =
    visible.relation === 'member'
      ? deskActions(ticket)
      : ticket.requesterId === viewer && ticket.status === 'resolved'
        ? requesterResolutionActions(ticket)
        : ticket.requesterId === viewer && isActive(ticket.status)
          ? [requesterEscalateAction(ticket)]
          : [];
  const history = await ticketHistory(services.db, ticket.id, TIMELINE_MAX);
  return ticketDetails(
    visible,
    {
      card:
        url && visible.relation === 'member' && ticket.cardChannelId && ticket.cardTs
          ? permalink(url, ticket.cardChannelId, ticket.cardTs)
          : undefined,
      conversation:
        url && visible.relation === 'requester' && ticket.requesterChannelId && ticket.requesterThreadTs
          ? permalink(url, ticket.requesterChannelId, ticket.requesterThreadTs)
          : undefined,
      source: ticket.sourcePermalink ?? undefined,
    },
    actions,
    timelineBlocks(history),
  );
}
