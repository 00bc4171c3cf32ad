import { desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { type TicketEventRow, ticketEvents } from '../db/schema/index.js';

/** A ticket's latest `limit` audit events, oldest first, and how many it has in all. */
export async function ticketHistory(
  db: Queryable,
  ticketId: number,
  limit: number,
): Promise<{ events: TicketEventRow[]; total: number }> {
  const rows = await db
    .select({ event: ticketEvents, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(desc(ticketEvents.id))
    .limit(limit);
  return { events: rows.map((row) => row.event).reverse(), total: rows[0]?.total ?? 0 };
}
