import { sql } from 'drizzle-orm';
import { type Queryable, queryRows } from '../db/client.js';
import { type JobLastRun, lastFinishedRuns } from '../jobs/runs.js';
import { type OutboxBacklog, outboxBacklog } from '../outbox/backlog.js';

/**
 * What an operator watches (`/metrics`), each figure one cheap, indexed query: the outbox backlog
 * (Slack falling behind, messages given up on), when each scheduled job last finished, and active
 * tickets by status.
 */
export interface OperationsFigures {
  outbox: OutboxBacklog;
  jobs: JobLastRun[];
  /** Tickets by status, Closed ones not counted, by status name. */
  ticketsByStatus: { status: string; count: number }[];
}

/** Tickets by status, without reading the closed history (a partial index serves it). */
export async function activeTicketsByStatus(db: Queryable): Promise<{ status: string; count: number }[]> {
  const rows = await queryRows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from tickets where status <> 'closed' group by status order by status`,
  );
  return rows.map((row) => ({ status: row.status, count: row.n }));
}

export async function operationsFigures(db: Queryable): Promise<OperationsFigures> {
  const outbox = await outboxBacklog(db);
  const jobs = await lastFinishedRuns(db);
  const ticketsByStatus = await activeTicketsByStatus(db);
  return { outbox, jobs, ticketsByStatus };
}
