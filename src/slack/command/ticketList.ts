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

export function ticketLine(t: TicketSummary, now: Date): string {
  const snoozed = t.snoozedUntil && t.snoozedUntil > now ? ` · :zzz: until ${slackDate(t.snoozedUntil)}` : '';
  const due = t.dueAt ? ` · due ${slackDate(t.dueAt)}` : '';
  return (
    `*${t.folio}* ${escapeMrkdwn(truncate(t.subject, 120))}\n` +
    `${STATUS_EMOJI[t.status]} ${STATUS_LABEL[t.status]} · ${PRIORITY_LABEL[t.priority]} · ${escapeMrkdwn(t.deskName)}` +
    ` · updated ${slackDate(t.lastActivityAt)}${due}${snoozed}`
  );
}

export function ticketListMessage(o: {
  title: string;
  page: Page<TicketSummary>;
  request: ListRequest;
  empty: string;
  now: Date;
}): { text: string; blocks: KnownBlock[] } {
  const { items, hasMore } = o.page;
  const pageNumber = o.page.page + 1;
  const title = `${o.title}${pageNumber > 1 || hasMore ? ` · page ${pageNumber}` : ''}`;
  const blocks: KnownBlock[] = [section(`*${title}*`)];
  if (items.length === 0) blocks.push(section(o.empty));
  for (const t of items) {
    blocks.push({
      ...section(ticketLine(t, o.now)),
      accessory: { type: 'button', action_id: ACTION.showTicket, text: plain('View'), value: t.folio },
    });
  }
  const nav = [
    ...(o.page.page > 0 ? [{ label: '‹ Previous', p: o.page.page - 1 }] : []),
    ...(hasMore ? [{ label: 'Next ›', p: o.page.page + 1 }] : []),
  ];
  if (nav.length > 0) {
    blocks.push({
      type: 'actions',
      elements: nav.map((n, i) => ({
        type: 'button',
        action_id: `${ACTION.listPage}_${i}`,
        text: plain(n.label),
        value: JSON.stringify({ ...o.request, p: n.p }),
      })),
    });
  } else if (items.length > 0) {
    blocks.push(context([`${items.length} ticket${items.length === 1 ? '' : 's'}`]));
  }
  return { text: title, blocks };
}
