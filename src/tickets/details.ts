import { and, asc, eq, isNull, min, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import {
  type AttachmentRow,
  attachments,
  categories,
  type LinkRow,
  links,
  slaTimers,
  type TicketRow,
  tickets,
} from '../db/schema/index.js';
import { type Desk, findDesk } from '../desks/directory.js';

/** A ticket with what its card and messages show. */
export interface TicketDetails {
  ticket: TicketRow;
  desk: Desk;
  category: { id: number; name: string } | null;
  attachments: AttachmentRow[];
  links: LinkRow[];
  /** The nearest deadline of a running SLA clock. */
  slaDue: Date | null;
  /** Whether a clock still running has broken its deadline. */
  slaBreached: boolean;
}

export async function loadTicketDetails(q: Queryable, ticketId: number): Promise<TicketDetails | undefined> {
  const [ticket] = await q.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!ticket) return undefined;
  const desk = await findDesk(q, ticket.deskKey);
  if (!desk) throw new Error(`ticket ${ticket.folio} refers to a missing desk ${ticket.deskKey}`);
  const [category] = ticket.categoryId
    ? await q
        .select({ id: categories.id, name: categories.name })
        .from(categories)
        .where(eq(categories.id, ticket.categoryId))
    : [];
  const files = await q
    .select()
    .from(attachments)
    .where(and(eq(attachments.ticketId, ticketId), isNull(attachments.commentId)))
    .orderBy(asc(attachments.id));
  const ticketLinks = await q.select().from(links).where(eq(links.ticketId, ticketId)).orderBy(asc(links.id));
  const [due] = await q
    .select({ at: min(slaTimers.dueAt), breached: sql<number>`count(${slaTimers.breachedAt})::int` })
    .from(slaTimers)
    .where(and(eq(slaTimers.ticketId, ticketId), isNull(slaTimers.metAt)));
  return {
    ticket,
    desk,
    category: category ?? null,
    attachments: files,
    links: ticketLinks,
    slaDue: due?.at ?? null,
    slaBreached: (due?.breached ?? 0) > 0,
  };
}
