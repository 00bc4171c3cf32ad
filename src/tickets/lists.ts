import { and, asc, desc, eq, gt, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { desks, slaTimers, tickets } from '../db/schema/index.js';
import type { Priority } from '../domain/priority.js';
import { ACTIVE_STATUSES, type Status } from '../domain/status.js';
import { visibleTo } from './visibility.js';

/** The lists people ask for: my requests, assigned to me, a desk's queue; paged. */

export const PAGE_SIZE = 10;

export interface TicketSummary {
  id: number;
  /** Carried by the ticket's buttons, so an action on an out-of-date list is refused. */
  version: number;
  folio: string;
  subject: string;
  status: Status;
  priority: Priority;
  deskKey: string;
  deskName: string;
  requesterId: string | null;
  assigneeId: string | null;
  snoozedUntil: Date | null;
  lastActivityAt: Date;
  createdAt: Date;
  /** The nearest running SLA deadline, if any. */
  dueAt: Date | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  hasMore: boolean;
}

const nextDue = sql<Date | null>`(
  select min(${slaTimers.dueAt}) from ${slaTimers}
  where ${slaTimers.ticketId} = ${tickets.id} and ${slaTimers.metAt} is null
)`.mapWith((value: unknown) => (value === null || value === undefined ? null : new Date(value as string)));

const summaryColumns = {
  id: tickets.id,
  version: tickets.version,
  folio: tickets.folio,
  subject: tickets.subject,
  status: tickets.status,
  priority: tickets.priority,
  deskKey: tickets.deskKey,
  deskName: desks.name,
  requesterId: tickets.requesterId,
  assigneeId: tickets.assigneeId,
  snoozedUntil: tickets.snoozedUntil,
  lastActivityAt: tickets.lastActivityAt,
  createdAt: tickets.createdAt,
  dueAt: nextDue,
};

const priorityRank = sql`case ${tickets.priority} when 'urgent' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;
const active = inArray(tickets.status, [...ACTIVE_STATUSES]);
const notSnoozed = (now: Date) => or(isNull(tickets.snoozedUntil), lte(tickets.snoozedUntil, now)) as SQL;

/**
 * Which tickets each list holds. The lists below and the Home's counts of them (src/home/lists.ts)
 * share these, so that a list and its count never disagree. The desk lists' conditions
 * apply within one desk's active tickets.
 */
export const listWhere = {
  active,
  awake: notSnoozed,
  requestedBy: (viewer: string) => eq(tickets.requesterId, viewer),
  assignedTo: (viewer: string) => and(eq(tickets.assigneeId, viewer), active, visibleTo(viewer)) as SQL,
  toAssign: (now: Date) => and(isNull(tickets.assigneeId), notSnoozed(now)) as SQL,
  snoozed: (now: Date) => gt(tickets.snoozedUntil, now),
};

async function paged(
  db: Queryable,
  where: SQL | undefined,
  order: SQL[],
  page: number,
  pageSize = PAGE_SIZE,
): Promise<Page<TicketSummary>> {
  const rows = await db
    .select(summaryColumns)
    .from(tickets)
    .innerJoin(desks, eq(desks.key, tickets.deskKey))
    .where(where)
    .orderBy(...order)
    .limit(pageSize + 1)
    .offset(page * pageSize);
  return { items: rows.slice(0, pageSize), page, hasMore: rows.length > pageSize };
}

/** My requests: open ones first, then by last activity. */
export function requestedBy(
  db: Queryable,
  viewer: string,
  page = 0,
  pageSize = PAGE_SIZE,
): Promise<Page<TicketSummary>> {
  return paged(
    db,
    listWhere.requestedBy(viewer),
    [
      sql`case when ${tickets.status} in ('resolved', 'closed') then 1 else 0 end`,
      desc(tickets.lastActivityAt),
      desc(tickets.id),
    ],
    page,
    pageSize,
  );
}

/** Assigned to me and still owing work, the nearest deadline first (snoozed ones included, marked). */
export function assignedTo(
  db: Queryable,
  viewer: string,
  page = 0,
  pageSize = PAGE_SIZE,
): Promise<Page<TicketSummary>> {
  return paged(
    db,
    listWhere.assignedTo(viewer),
    [sql`${nextDue} asc nulls last`, priorityRank, asc(tickets.createdAt)],
    page,
    pageSize,
  );
}

/** A desk's "To assign" view: active, unassigned, awake; most urgent and oldest first. */
export function toAssign(
  db: Queryable,
  deskKey: string,
  now: Date,
  page = 0,
  pageSize = PAGE_SIZE,
): Promise<Page<TicketSummary>> {
  return paged(
    db,
    and(eq(tickets.deskKey, deskKey), active, listWhere.toAssign(now)),
    [priorityRank, asc(tickets.createdAt)],
    page,
    pageSize,
  );
}

/** A desk's snoozed tickets, the next to wake first. */
export function snoozed(
  db: Queryable,
  deskKey: string,
  now: Date,
  page = 0,
  pageSize = PAGE_SIZE,
): Promise<Page<TicketSummary>> {
  return paged(
    db,
    and(eq(tickets.deskKey, deskKey), active, listWhere.snoozed(now)),
    [asc(tickets.snoozedUntil)],
    page,
    pageSize,
  );
}

/** The first `limit` summaries of the tickets `where` selects, in `order` (the Home's other lists). */
export async function firstSummaries(
  db: Queryable,
  where: SQL | undefined,
  order: SQL[],
  limit: number,
): Promise<TicketSummary[]> {
  return (await paged(db, where, order, 0, limit)).items;
}

/** Summaries of the given tickets, in the given order (search results). */
export async function summariesOf(db: Queryable, ids: readonly number[]): Promise<TicketSummary[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(summaryColumns)
    .from(tickets)
    .innerJoin(desks, eq(desks.key, tickets.deskKey))
    .where(inArray(tickets.id, [...ids]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
