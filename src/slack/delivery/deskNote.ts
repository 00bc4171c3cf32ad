import type { DeliveryResult } from '../../outbox/deliverer.js';
import type { TicketDetails } from '../../tickets/details.js';
import { section } from '../kit/elements.js';
import type { DeliveryContext } from './context.js';
import { postOnce } from './postOnce.js';

/** A notice in the card's thread (a snoozed ticket is back, an escalation…), as written (`desk.note`). */
export async function noteInDeskThread(
  ctx: DeliveryContext,
  details: TicketDetails,
  text: string,
): Promise<DeliveryResult> {
  const { cardChannelId: channel, cardTs } = details.ticket;
  if (!channel || !cardTs) return { skipped: 'no card to reply under' };
  return postOnce(ctx, { channel, thread_ts: cardTs, text, blocks: [section(text)] });
}
