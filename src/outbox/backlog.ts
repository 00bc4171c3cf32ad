import { sql } from 'drizzle-orm';
import { type Queryable, queryRows } from '../db/client.js';

/**
 * What the outbox still owes, for operators (`/metrics`): one query over the undelivered rows and
 * those given up on in the last day.
 */
export interface OutboxBacklog {
  /** Messages not yet delivered, including those waiting for a retry. */
  pending: number;
  /** Messages due now and not yet delivered. */
  due: number;
  /** Age of the oldest message due for delivery, in seconds; 0 when none is due. */
  oldestDueSeconds: number;
  /** Messages given up on in the last 24 hours. */
  failedLastDay: number;
}

export async function outboxBacklog(db: Queryable): Promise<OutboxBacklog> {
  const [row] = await queryRows<{
    pending: number;
    due: number;
    oldest_due_seconds: number | null;
    failed_day: number;
  }>(
    db,
    sql`
      select
        count(*) filter (where delivered_at is null and failed_at is null)::int as pending,
        count(*) filter (where delivered_at is null and failed_at is null and available_at <= now())::int as due,
        extract(epoch from now() - min(available_at) filter (
          where delivered_at is null and failed_at is null and available_at <= now()))::float as oldest_due_seconds,
        count(*) filter (where failed_at > now() - interval '1 day')::int as failed_day
      from outbox
      where (delivered_at is null and failed_at is null) or failed_at > now() - interval '1 day'`,
  );
  return {
    pending: row?.pending ?? 0,
    due: row?.due ?? 0,
    oldestDueSeconds: row?.oldest_due_seconds ?? 0,
    failedLastDay: row?.failed_day ?? 0,
  };
}
