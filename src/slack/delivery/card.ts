import type { DeliveryResult } from '../../outbox/deliverer.js';
import type { TicketDetails } from '../../tickets/details.js';
import { recordCardPosted } from '../../tickets/messageRefs.js';
import { ticketCard } from '../card/ticketCard.js';
import type { DeliveryContext } from './context.js';
import { postOnce } from './postOnce.js';

/** Posts the ticket's card in its desk channel and records where it is (`card.post`). */
export async function postCard(ctx: DeliveryContext, details: TicketDetails): Promise<DeliveryResult> {
  if (details.ticket.cardTs) return { skipped: 'card already posted', ts: details.ticket.cardTs };
  if (!details.desk.channel) return { skipped: 'desk has no channel' };
  const posted = await postOnce(ctx, { channel: details.desk.channel, ...ticketCard(details) });
  await recordCardPosted(ctx.db, details.ticket.id, posted);
  return posted;
}

/**
 * Re-renders the card in place from the ticket as it is now (`card.update`). The relay coalesces a
 * burst of updates of one card into this one call.
 */
export async function updateCard(ctx: DeliveryContext, details: TicketDetails): Promise<DeliveryResult> {
  const { cardChannelId: channel, cardTs: ts } = details.ticket;
  if (!channel || !ts) return { skipped: 'no card to update' };
  await ctx.slack.chat.update({ channel, ts, ...ticketCard(details) });
  return { channel, ts };
}
