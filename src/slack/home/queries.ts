import { and, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { tickets } from '../../db/schema/index.js';
import { firstSummaries, listWhere, type TicketSummary } from '../../tickets/lists.js';

/**
 * What the Home tab reads beyond src/tickets/lists.ts: list sizes, and the "Breaching soon" list.
 *
 * **Breaching soon**: a desk's active, awake tickets (assigned or not) with an SLA clock still running
 * — `due_at` set, neither met nor breached — whose deadline is within BREACHING_SOON_HOURS from now,
 * the nearest first. A clock already past its deadline that the SLA sweep has not yet reported counts
 * too, at the top: it is the most urgent of all.
 */
export const BREACHING_SOON_HOURS = 4;

const at = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;
const horizonOf = (now: Date) => new Date(now.getTime() + BREACHING_SOON_HOURS * 60 * 60 * 1000);

const { active } = listWhere;
const runningClock = (now: Date): SQL => sql`s.ticket_id = ${tickets.id} and s.met_at is null
  and s.breached_at is null and s.due_at is not null and s.due_at <= ${at(horizonOf(now))}`;
const breaching = (now: Date): SQL =>
  sql`(${listWhere.awake(now)} and exists (select 1 from sla_timers s where ${runningClock(now)}))`;
const nearestDue = (now: Date): SQL =>
  sql`(select min(s.due_at) from sla_timers s where ${runningClock(now)})`;

export interface QueueCounts {
  toAssign: number;
  breaching: number;
  snoozed: number;
}

/** How many tickets each of the person's lists holds (one query per kind, each on an index). */
export async function homeCounts(
  q: Queryable,
  viewer: string,
  deskKeys: readonly string[],
  now: Date,
): Promise<{ requests: number; requestsOpen: number; assigned: number; desks: Map<string, QueueCounts> }> {
  const [mine, assigned, queues] = await Promise.all([
    q
      .select({
        all: count(),
        open: sql<number>`count(*) filter (where ${active})::int`,
      })
      .from(tickets)
      .where(listWhere.requestedBy(viewer)),
    q.select({ n: count() }).from(tickets).where(listWhere.assignedTo(viewer)),
    deskKeys.length === 0
      ? Promise.resolve([])
      : q
          .select({
            deskKey: tickets.deskKey,
            toAssign: sql<number>`count(*) filter (where ${listWhere.toAssign(now)})::int`,
            breaching: sql<number>`count(*) filter (where ${breaching(now)})::int`,
            snoozed: sql<number>`count(*) filter (where ${listWhere.snoozed(now)})::int`,
          })
          .from(tickets)
          .where(and(inArray(tickets.deskKey, [...deskKeys]), active))
          .groupBy(tickets.deskKey),
  ]);
  return {
    requests: Number(mine[0]?.all ?? 0),
    requestsOpen: Number(mine[0]?.open ?? 0),
    assigned: Number(assigned[0]?.n ?? 0),
    desks: new Map(
      queues.map((r) => [
        r.deskKey,
        { toAssign: Number(r.toAssign), breaching: Number(r.breaching), snoozed: Number(r.snoozed) },
      ]),
    ),
  };
}

/** A desk's "Breaching soon" list, the nearest deadline first. */
export async function breachingSoon(
  q: Queryable,
  deskKey: string,
  now: Date,
  limit: number,
): Promise<TicketSummary[]> {
  if (limit <= 0) return [];
  return firstSummaries(
    q,
    and(eq(tickets.deskKey, deskKey), active, breaching(now)),
    [sql`${nearestDue(now)} asc`, sql`${tickets.id}`],
    limit,
  );
}
