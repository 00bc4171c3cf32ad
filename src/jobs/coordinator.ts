import { and, eq, sql } from 'drizzle-orm';
import type { RunCoordinator } from 'node-cron';
import type { Db } from '../db/client.js';
import { jobRuns } from '../db/schema/index.js';
import type { Clock } from '../lib/clock.js';
import type { FolioLogger } from '../lib/logger.js';
import { defaultWorkerId } from '../lib/workerId.js';
import type { OutboxSignal } from '../outbox/messages.js';
import type { FireOutcome, Job, JobContext } from './job.js';

/**
 * Makes each scheduled fire of a job run once across every replica: the fire is claimed by inserting
 * (job, scheduled fire time) into `job_runs`; the insert that wins the primary key runs the job, the
 * others skip it (graphile/worker's cron likewise claims each fire in a Postgres statement, through
 * `known_crontabs`). Unlike a lock or a lease, the claim stays: a replica whose timer fires late
 * cannot run the same fire a second time.
 *
 * node-cron calls `shouldRun(key)` on every replica at each fire, with `key` = `<task name>:<fire
 * time, ISO>`. The fire time in the key is the scheduled slot (whole seconds, computed from the
 * cron expression), not the moment the timer woke up, so replicas whose clocks differ agree on it.
 */

export interface CoordinatorOptions {
  db: Db;
  log: FolioLogger;
  clock: Clock;
  outbox: OutboxSignal;
  /** Written to `job_runs.claimed_by`; unique per process by default. */
  workerId?: string;
}

/** node-cron 4.6 builds the key as `${task.name}:${slot.toISOString()}` (dist/_shared.js, Runner). */
export function fireTimeFromKey(jobName: string, key: string): Date {
  const prefix = `${jobName}:`;
  const iso = key.startsWith(prefix) ? key.slice(prefix.length) : '';
  const fireAt = new Date(iso);
  // Round-tripping refuses anything but toISOString's own output (Date would roll Feb 31 into March).
  if (Number.isNaN(fireAt.getTime()) || fireAt.toISOString() !== iso) {
    throw new Error(
      `Unexpected node-cron run key "${key}" for job ${jobName}: expected "${prefix}<ISO time>"`,
    );
  }
  return fireAt;
}

/** True when this call inserted the claim, false when the fire was already claimed. */
export async function claimFire(db: Db, job: string, fireAt: Date, workerId: string): Promise<boolean> {
  const rows = await db
    .insert(jobRuns)
    .values({ job, fireAt, claimedBy: workerId })
    .onConflictDoNothing()
    .returning({ job: jobRuns.job });
  return rows.length === 1;
}

/** Records the end of a claimed fire; false when the claim is not (or no longer) this worker's. */
export async function finishFire(
  db: Db,
  claim: { job: string; fireAt: Date; workerId: string },
  summary: Record<string, unknown>,
): Promise<boolean> {
  const rows = await db
    .update(jobRuns)
    .set({ finishedAt: sql`now()`, summary })
    .where(
      and(
        eq(jobRuns.job, claim.job),
        eq(jobRuns.fireAt, claim.fireAt),
        eq(jobRuns.claimedBy, claim.workerId),
      ),
    )
    .returning({ job: jobRuns.job });
  return rows.length === 1;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** What a claimed fire can end in. */
type RunOutcome = Exclude<FireOutcome, { status: 'skipped' }>;

export class JobCoordinator {
  readonly workerId: string;
  readonly #options: CoordinatorOptions;
  /** Fires being claimed or run through node-cron, until its onComplete: what close() waits for. */
  readonly #claimed = new Map<string, { done: Promise<void>; resolve: () => void }>();
  /** Fires started by `fire` (runNow). */
  readonly #manual = new Set<Promise<unknown>>();
  #closed = false;

  constructor(options: CoordinatorOptions) {
    this.#options = options;
    this.workerId = options.workerId ?? defaultWorkerId();
  }

  /** node-cron's per-task hook (the `runCoordinator` option of a `distributed` task named after the job). */
  runCoordinator(jobName: string): RunCoordinator {
    return {
      shouldRun: (key) => this.#shouldRun(jobName, key),
      onComplete: (key) => this.#release(key),
    };
  }

  /** Claims (job, fireAt) and, if the claim is this call's, runs the job as of `now`. */
  fire(job: Job, fireAt: Date, now: Date = this.#options.clock.now()): Promise<FireOutcome> {
    if (this.#closed) return Promise.reject(new Error(`The scheduler is stopped: cannot run ${job.name}`));
    const run = (async (): Promise<FireOutcome> => {
      if (!(await this.#claim(job.name, fireAt))) return { status: 'skipped' };
      return this.runClaimed(job, fireAt, now);
    })();
    this.#manual.add(run);
    return run.finally(() => this.#manual.delete(run));
  }

  /**
   * Runs a fire this worker has claimed and records its end. Never throws: a failure is logged with
   * the job's name and kept in the run's summary; the fire is not retried, the next one sweeps again.
   */
  async runClaimed(job: Job, fireAt: Date, now: Date): Promise<RunOutcome> {
    const log = this.#options.log.child({ job: job.name, fireAt: fireAt.toISOString() });
    const ctx: JobContext = {
      db: this.#options.db,
      log,
      clock: this.#options.clock,
      outbox: this.#options.outbox,
      fireAt,
    };
    const started = performance.now();
    let outcome: RunOutcome;
    try {
      outcome = { status: 'ran', summary: await job.run(ctx, now) };
    } catch (error) {
      outcome = { status: 'failed', error: asError(error) };
    }
    const durationMs = Math.round(performance.now() - started);
    if (outcome.status === 'ran') log.info(`Job ${job.name} ran`, { durationMs, summary: outcome.summary });
    else log.error(`Job ${job.name} failed; its next fire sweeps again`, { durationMs }, outcome.error);
    await this.#finish(job.name, fireAt, outcome, log);
    return outcome;
  }

  /** Refuses new claims and waits for the fires this worker has claimed to finish. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#claimed.size > 0 || this.#manual.size > 0) {
      await Promise.allSettled([...[...this.#claimed.values()].map((claim) => claim.done), ...this.#manual]);
    }
  }

  async #shouldRun(jobName: string, key: string): Promise<boolean> {
    // Shutting down: leave the fire to a replica that is not (or to the next fire).
    if (this.#closed) return false;
    let fireAt: Date;
    try {
      fireAt = fireTimeFromKey(jobName, key);
    } catch (error) {
      this.#options.log.error(
        'Cannot tell the fire time of a scheduled run; skipping it',
        { job: jobName },
        error,
      );
      return false;
    }
    // Tracked from before the insert, so that a close() meanwhile waits for the claim and its run.
    let resolve = () => {};
    const done = new Promise<void>((resolveDone) => {
      resolve = resolveDone;
    });
    this.#claimed.set(key, { done, resolve });
    const claimed = await this.#claim(jobName, fireAt);
    if (!claimed) this.#release(key);
    return claimed;
  }

  #release(key: string): void {
    this.#claimed.get(key)?.resolve();
    this.#claimed.delete(key);
  }

  /** A database error fails closed (the fire is skipped) and is logged here, with the job's name. */
  async #claim(jobName: string, fireAt: Date): Promise<boolean> {
    const log = this.#options.log.child({ job: jobName, fireAt: fireAt.toISOString() });
    try {
      const claimed = await claimFire(this.#options.db, jobName, fireAt, this.workerId);
      if (!claimed) log.debug(`Fire of ${jobName} already claimed; skipping it`);
      return claimed;
    } catch (error) {
      log.error(`Could not claim a fire of ${jobName}; skipping it`, error);
      return false;
    }
  }

  async #finish(jobName: string, fireAt: Date, outcome: RunOutcome, log: FolioLogger): Promise<void> {
    const summary = outcome.status === 'ran' ? outcome.summary : { error: outcome.error.message };
    try {
      const mine = await finishFire(
        this.#options.db,
        { job: jobName, fireAt, workerId: this.workerId },
        summary,
      );
      if (!mine) log.warn(`The run of ${jobName} finished but its claim was not found in job_runs`);
    } catch (error) {
      log.error(`Could not record the end of a run of ${jobName}`, error);
    }
  }
}
