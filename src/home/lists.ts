import { and, count, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { tickets } from '../db/schema/index.js';
import { listDesks } from '../desks/directory.js';
import {
  assignedTo,
  firstSummaries,
  listWhere,
  requestedBy,
  snoozed,
  type TicketSummary,
  toAssign,
} from '../tickets/lists.js';
import type { ListKind } from './state.js';

/**
 * A person's Home, as data any channel renders: My requests, Assigned to me, and for each desk they
 * belong to its To assign, Breaching soon and Snoozed lists. First how many tickets each list holds
 * (homeOverview), then the first tickets of the lists the channel has room for (homeTickets). The
 * lists beyond "Breaching soon" are those of src/tickets/lists.ts, counted with the same conditions.
 *
 * **Breaching soon**: a desk's active, awake tickets (assigned or not) with an SLA clock still running
 * — `due_at` set, neither met nor breached — whose deadline is within BREACHING_SOON_HOURS from now,
 * the nearest first. A clock already past its deadline that the SLA sweep has not yet reported counts
 * too, at the top: it is the most urgent of all.
 */
export const BREACHING_SOON_HOURS = 4;

const at = (instant: Date): SQL => sql`${instant.toISOString()}::timestamptz`;
const horizonOf = (now: Date) => new Date(now.getTime() + BREACHING_SOON_HOURS * 60 * 60 * 1000);

const { active } = listWhere;
const runningClock = (now: Date): SQL => sql`s.ticket_id = ${tickets.id} and s.met_at is null
  and s.breached_at is null and s.due_at is not null and s.due_at <= ${at(horizonOf(now))}`;
const breaching = (now: Date): SQL =>
  sql`(${listWhere.awake(now)} and exists (select 1 from sla_timers s where ${runningClock(now)}))`;
const nearestDue = (now: Date): SQL =>
  sql`(select min(s.due_at) from sla_timers s where ${runningClock(now)})`;

/** One of the person's desks, with how many tickets each of its lists holds. */
export interface DeskQueues {
  key: string;
  name: string;
  toAssign: number;
  breaching: number;
  snoozed: number;
}

/** How many tickets each of a person's lists holds. */
export interface HomeOverview {
  /** My requests, whatever their status; `requestsOpen` of them still active. */
  requests: number;
  requestsOpen: number;
  assigned: number;
  /** The desks the person belongs to, in the directory's order. */
  desks: DeskQueues[];
}

/** The person's desks and the size of every list (one query per kind, each on an index). */
export async function homeOverview(db: Queryable, viewer: string, now: Date): Promise<HomeOverview> {
  const desks = (await listDesks(db)).filter((desk) => desk.members.includes(viewer));
  const deskKeys = desks.map((desk) => desk.key);
  const [mine, assigned, queues] = await Promise.all([
    db
      .select({
        all: count(),
        open: sql<number>`count(*) filter (where ${active})::int`,
      })
      .from(tickets)
      .where(listWhere.requestedBy(viewer)),
    db.select({ total: count() }).from(tickets).where(listWhere.assignedTo(viewer)),
    deskKeys.length === 0
      ? Promise.resolve([])
      : db
          .select({
            deskKey: tickets.deskKey,
            toAssign: sql<number>`count(*) filter (where ${listWhere.toAssign(now)})::int`,
            breaching: sql<number>`count(*) filter (where ${breaching(now)})::int`,
            snoozed: sql<number>`count(*) filter (where ${listWhere.snoozed(now)})::int`,
          })
          .from(tickets)
          .where(and(inArray(tickets.deskKey, deskKeys), active))
          .groupBy(tickets.deskKey),
  ]);
  const byDesk = new Map(queues.map((row) => [row.deskKey, row]));
  return {
    requests: Number(mine[0]?.all ?? 0),
    requestsOpen: Number(mine[0]?.open ?? 0),
    assigned: Number(assigned[0]?.total ?? 0),
    desks: desks.map((desk) => {
      const counted = byDesk.get(desk.key);
      return {
        key: desk.key,
        name: desk.name,
        toAssign: Number(counted?.toAssign ?? 0),
        breaching: Number(counted?.breaching ?? 0),
        snoozed: Number(counted?.snoozed ?? 0),
      };
    }),
  };
}

/** A desk's "Breaching soon" list, the nearest deadline first. */
export async function breachingSoon(
  db: Queryable,
  deskKey: string,
  now: Date,
  limit: number,
): Promise<TicketSummary[]> {
  if (limit <= 0) return [];
  return firstSummaries(
    db,
    and(eq(tickets.deskKey, deskKey), active, breaching(now)),
    [sql`${nearestDue(now)} asc`, sql`${tickets.id}`],
    limit,
  );
}

/** One list the channel shows: its key (state.ts's listKey), and how many of its tickets it has room for. */
export interface ListWanted {
  key: string;
  kind: ListKind;
  deskKey: string | undefined;
  limit: number;
}

function firstOf(db: Queryable, viewer: string, now: Date, list: ListWanted): Promise<TicketSummary[]> {
  const { limit } = list;
  if (limit === 0) return Promise.resolve([]);
  const desk = list.deskKey ?? '';
  switch (list.kind) {
    case 'requests':
      return requestedBy(db, viewer, 0, limit).then((page) => page.items);
    case 'assigned':
      return assignedTo(db, viewer, 0, limit).then((page) => page.items);
    case 'toAssign':
      return toAssign(db, desk, now, 0, limit).then((page) => page.items);
    case 'breaching':
      return breachingSoon(db, desk, now, limit);
    case 'snoozed':
      return snoozed(db, desk, now, 0, limit).then((page) => page.items);
  }
}

/** The first tickets of each list wanted, by list key, in each list's order. */
export async function homeTickets(
  db: Queryable,
  viewer: string,
  now: Date,
  lists: readonly ListWanted[],
): Promise<Map<string, TicketSummary[]>> {
  const found = await Promise.all(lists.map((list) => firstOf(db, viewer, now, list)));
  return new Map(lists.map((list, index) => [list.key, found[index] ?? []]));
}
