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
  s: SlackServices,
  viewer: string,
  folio: string,
): Promise<{ text: string; blocks: KnownBlock[] }> {
  const d = await findVisibleTicket(s, viewer, folio);
  if (!d)
    return notice(
      `There is no ticket *${escapeMrkdwn(folio)}* that you can see. Check the folio, or try \`/ticket search <words>\`.`,
    );
  const url = (await s.workspace.tryGet())?.url;
  const t = d.ticket;
  const actions =
    d.relation === 'member'
      ? deskActions(t)
      : t.requesterId === viewer && t.status === 'resolved'
        ? requesterResolutionActions(t)
        : t.requesterId === viewer && isActive(t.status)
          ? [requesterEscalateAction(t)]
          : [];
  const history = await ticketHistory(s.db, t.id, TIMELINE_MAX);
  return ticketDetails(
    d,
    {
      card:
        url && d.relation === 'member' && t.cardChannelId && t.cardTs
          ? permalink(url, t.cardChannelId, t.cardTs)
          : undefined,
      conversation:
        url && d.relation === 'requester' && t.requesterChannelId && t.requesterThreadTs
          ? permalink(url, t.requesterChannelId, t.requesterThreadTs)
          : undefined,
      source: t.sourcePermalink ?? undefined,
    },
    actions,
    timelineBlocks(history),
  );
}
