import type { Db } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import type { FolioLogger } from '../lib/logger.js';
import type { OutboxSignal } from '../outbox/messages.js';

/**
 * A scheduled job: one function that does what is due at `now`. Every job is an idempotent sweep —
 * it reads the rows that are due (through an index) and acts on them — so a skipped fire (a replica
 * down, a missed tick) or an extra one (a manual `runNow`) changes nothing: the next run finds what
 * is still due. See src/jobs/README.md.
 */
export interface Job {
  /** Stable name: the key of its runs in `job_runs` and of its entry in the config's `schedules`. */
  name: string;
  /** Cron in UTC; an optional sixth, leading field counts seconds (`0,30 * * * * *`: every 30 s). */
  defaultSchedule: string;
  /** One line for the README's schedule table and for logs. */
  description: string;
  /** Does what is due at `now`; returns a summary (counts), stored in `job_runs.summary` and logged. */
  run(ctx: JobContext, now: Date): Promise<Record<string, unknown>>;
}

export interface JobContext {
  db: Db;
  /** Already carries `{ job, fireAt }`. */
  log: FolioLogger;
  clock: Clock;
  /** Wake the relay after committing outbox rows (see enqueue). */
  outbox: OutboxSignal;
  /**
   * The scheduled fire this run was claimed for (the scheduler always sets it). Jobs should decide
   * what is due from `now`, not from this; it is here for logs and tests.
   */
  fireAt?: Date;
}

/** The outcome of one fire, as the coordinator saw it. */
export type FireOutcome =
  | { status: 'ran'; summary: Record<string, unknown> }
  /** The job threw: logged, recorded in `job_runs.summary.error`, not retried until the next fire. */
  | { status: 'failed'; error: Error }
  /** Another process (or an earlier call) had already claimed this fire. */
  | { status: 'skipped' };
