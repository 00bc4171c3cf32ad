import type { SQL } from 'drizzle-orm';
import { type Db, queryRows, sql } from '../db/client.js';
import { deleteExpiredDrafts } from '../tickets/drafts.js';
import type { Job } from './job.js';

/**
 * `cleanup`: deletes what has served its purpose, so that the tables that grow with traffic stay the
 * size of their retention window. Each table is emptied through a condition an index answers, in
 * batches of `batchSize` rows per statement (each its own short transaction), looping until a batch
 * comes back short: a large backlog never holds a long lock.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

export const RETENTION_MS = {
  /** Slack retries an event within minutes; the design asks to remember ids for ≥ 10 minutes. */
  slackEvents: DAY_MS,
  /** Delivered or failed messages stay a week for support questions ("was it sent?"). */
  outbox: 7 * DAY_MS,
  /** A month of run history. */
  jobRuns: 30 * DAY_MS,
} as const;

export const CLEANUP_BATCH_SIZE = 10_000;

export function cleanupJob(options: { batchSize?: number } = {}): Job {
  const batchSize = options.batchSize ?? CLEANUP_BATCH_SIZE;
  return {
    name: 'cleanup',
    defaultSchedule: '17 3 * * *',
    description:
      'Deletes expired message drafts, Slack event ids older than a day, delivered or failed outbox rows older than 7 days, job runs older than 30 days',
    async run({ db }, now) {
      const before = (ms: number) => new Date(now.getTime() - ms);
      return {
        drafts: await deleteExpiredDrafts(db, now),
        slackEvents: await deleteOldSlackEvents(db, before(RETENTION_MS.slackEvents), batchSize),
        outbox: await deleteFinishedOutbox(db, before(RETENTION_MS.outbox), batchSize),
        jobRuns: await deleteOldJobRuns(db, before(RETENTION_MS.jobRuns), batchSize),
      };
    },
  };
}

export const cleanup: Job = cleanupJob();

/** Runs `deleteBatch` until it deletes fewer than a full batch; returns the total. */
async function inBatches(batchSize: number, deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/**
 * Runs `DELETE … RETURNING 1` wrapped so that only a count travels back. The batch statements below
 * pick their rows as `key = any(array(select key … limit n))` rather than `key in (select …)`: with
 * an array the planner looks each row up by primary key, where `in` lets it hash-join the whole
 * table on every batch.
 */
async function countDeleted(db: Db, deleteStatement: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with deleted as (${deleteStatement} returning 1) select count(*)::int as n from deleted`,
  );
  return row?.n ?? 0;
}

/** Through `slack_events_received` (received_at). */
export function deleteOldSlackEvents(db: Db, before: Date, batchSize: number): Promise<number> {
  return inBatches(batchSize, () =>
    countDeleted(
      db,
      sql`delete from slack_events where event_id = any(array(
        select event_id from slack_events where received_at < ${before.toISOString()}::timestamptz
        limit ${batchSize}))`,
    ),
  );
}

/**
 * Rows delivered or given up on before `before`; pending rows are never touched. The condition is
 * written to match the partial expression index outbox_finished on coalesce(delivered_at, failed_at).
 */
export function deleteFinishedOutbox(db: Db, before: Date, batchSize: number): Promise<number> {
  return inBatches(batchSize, () =>
    countDeleted(
      db,
      sql`delete from outbox where id = any(array(
        select id from outbox
        where (delivered_at is not null or failed_at is not null)
          and coalesce(delivered_at, failed_at) < ${before.toISOString()}::timestamptz
        limit ${batchSize}))`,
    ),
  );
}

/**
 * Runs fired before `before`. The primary key is (job, fire_at), so the deletion goes job by job, each
 * an index range; the job names come from the same index, one probe per name (a "loose index scan"),
 * which also catches runs of jobs that no longer exist.
 */
export async function deleteOldJobRuns(db: Db, before: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (const job of await jobNames(db)) {
    total += await inBatches(batchSize, () =>
      countDeleted(
        db,
        sql`delete from job_runs where job = ${job} and fire_at = any(array(
          select fire_at from job_runs
          where job = ${job} and fire_at < ${before.toISOString()}::timestamptz
          limit ${batchSize}))`,
      ),
    );
  }
  return total;
}

async function jobNames(db: Db): Promise<string[]> {
  const rows = await queryRows<{ job: string }>(
    db,
    sql`with recursive names(job) as (
          (select job from job_runs order by job limit 1)
          union all
          select (select r.job from job_runs r where r.job > names.job order by r.job limit 1)
          from names where names.job is not null)
        select job from names where job is not null`,
  );
  return rows.map((row) => row.job);
}
