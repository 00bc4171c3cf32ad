import { z } from 'zod';
import { PRIORITY_LABEL } from '../../domain/priority.js';
import { STATUS_LABEL } from '../../domain/status.js';
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.js';
import type { Page, TicketSummary } from '../../tickets/lists.js';
import { SEARCH_MAX_LENGTH } from '../../tickets/search.js';
import { STATUS_EMOJI } from '../card/ticketCard.js';
import { ACTION } from '../ids.js';
import { context, type KnownBlock, plain, section, slackDate } from '../kit/elements.js';

/** Ephemeral lists (`/ticket list`, `mine`, `queue`, `search`), paged with Previous / Next. */

const page = z.number().int().min(0).max(1000);

/** What a list shows, carried in its paging buttons. */
export const listRequestSchema = z.discriminatedUnion('l', [
  z.object({ l: z.literal('list'), p: page }),
  z.object({ l: z.literal('mine'), p: page }),
  z.object({ l: z.literal('queue'), p: page, d: z.string().min(1).max(30) }),
  z.object({ l: z.literal('search'), p: page, q: z.string().min(1).max(SEARCH_MAX_LENGTH) }),
]);
export type ListRequest = z.infer<typeof listRequestSchema>;

export function ticketLine(ticket: TicketSummary, now: Date): string {
  const snoozed =
    ticket.snoozedUntil && ticket.snoozedUntil > now
      ? ` · :zzz: until ${slackDate(ticket.snoozedUntil)}`
      : '';
  const due = ticket.dueAt ? ` · due ${slackDate(ticket.dueAt)}` : '';
  return (
    `*${ticket.folio}* ${escapeMrkdwn(truncate(ticket.subject, 120))}\n` +
    `${STATUS_EMOJI[ticket.status]} ${STATUS_LABEL[ticket.status]} · ${PRIORITY_LABEL[ticket.priority]} · ${escapeMrkdwn(ticket.deskName)}` +
    ` · updated ${slackDate(ticket.lastActivityAt)}${due}${snoozed}`
  );
}

export function ticketListMessage(list: {
  title: string;
  page: Page<TicketSummary>;
  request: ListRequest;
  empty: string;
  now: Date;
}): { text: string; blocks: KnownBlock[] } {
  const { items, hasMore } = list.page;
  const pageNumber = list.page.page + 1;
  const title = `${list.title}${pageNumber > 1 || hasMore ? ` · page ${pageNumber}` : ''}`;
  const blocks: KnownBlock[] = [section(`*${title}*`)];
  if (items.length === 0) blocks.push(section(list.empty));
  for (const ticket of items) {
    blocks.push({
      ...section(ticketLine(ticket, list.now)),
      accessory: { type: 'button', action_id: ACTION.showTicket, text: plain('View'), value: ticket.folio },
    });
  }
  const nav = [
    ...(list.page.page > 0 ? [{ label: '‹ Previous', p: list.page.page - 1 }] : []),
    ...(hasMore ? [{ label: 'Next ›', p: list.page.page + 1 }] : []),
  ];
  if (nav.length > 0) {
    blocks.push({
      type: 'actions',
      elements: nav.map((target, i) => ({
        type: 'button',
        action_id: `${ACTION.listPage}_${i}`,
        text: plain(target.label),
        value: JSON.stringify({ ...list.request, p: target.p }),
      })),
    });
  } else if (items.length > 0) {
    blocks.push(context([`${items.length} ticket${items.length === 1 ? '' : 's'}`]));
  }
  return { text: title, blocks };
}
