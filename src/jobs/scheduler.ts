import { type Logger as CronLogger, createTask, type ScheduledTask } from 'node-cron';
import type { Db } from '../db/client.js';
import type { JobSchedules } from '../desks/model.js';
import type { Clock } from '../lib/clock.js';
import type { FolioLogger } from '../lib/logger.js';
import type { OutboxSignal } from '../outbox/messages.js';
import { JobCoordinator } from './coordinator.js';
import type { FireOutcome, Job } from './job.js';
import { CRON_TIMEZONE, resolveSchedules, type ScheduledJob } from './schedules.js';

/**
 * Runs the jobs on their schedules with node-cron, every fire claimed in Postgres first (see
 * coordinator.ts), so any number of replicas may run a scheduler: each fire runs in one of them.
 * A job runs with `now = clock.now()`; the claim is keyed by the scheduled fire time.
 */

export interface SchedulerOptions {
  db: Db;
  log: FolioLogger;
  clock: Clock;
  outbox: OutboxSignal;
  jobs: readonly Job[];
  /** The configuration's `schedules` section: job name → cron, overriding defaults. */
  schedules?: JobSchedules | undefined;
  /** Written to `job_runs.claimed_by`; unique per process by default. */
  workerId?: string;
}

export interface Scheduler {
  readonly workerId: string;
  /** What runs when, overrides applied. */
  readonly schedules: readonly ScheduledJob[];
  /** Starts the timers (once). */
  start(): void;
  /** Stops the timers, refuses new fires and waits for the runs in hand. */
  stop(): Promise<void>;
  /**
   * Runs one job once, through the same claim as a scheduled fire, with `now` as both its fire time
   * and its `now` (tests and demos move time this way). A fire time already claimed is `skipped`.
   */
  runNow(name: string, now?: Date): Promise<FireOutcome>;
}

/** Throws a ConfigError if a schedule is not valid cron or names no job. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const schedules = resolveSchedules(options.jobs, options.schedules);
  const log = options.log.child({ component: 'jobs' });
  const coordinator = new JobCoordinator({ ...options, log });
  const tasks: ScheduledTask[] = [];
  let state: 'new' | 'started' | 'stopped' = 'new';

  return {
    workerId: coordinator.workerId,
    schedules,
    start() {
      if (state !== 'new') throw new Error(`The scheduler cannot start: it is ${state}`);
      state = 'started';
      for (const scheduled of schedules) tasks.push(startTask(scheduled, coordinator, options.clock, log));
      log.info('Scheduler started', {
        workerId: coordinator.workerId,
        schedules: Object.fromEntries(schedules.map((scheduled) => [scheduled.job.name, scheduled.schedule])),
      });
    },
    async stop() {
      state = 'stopped';
      // Destroying also removes the task from node-cron's process-wide registry.
      await Promise.all(tasks.splice(0).map((task) => task.destroy()));
      await coordinator.close();
    },
    runNow(name, now = options.clock.now()) {
      const scheduled = schedules.find((candidate) => candidate.job.name === name);
      if (!scheduled) {
        const known = schedules.map((scheduled) => scheduled.job.name).join(', ');
        return Promise.reject(new Error(`There is no job named "${name}"; known jobs: ${known}`));
      }
      return coordinator.fire(scheduled.job, now, now);
    },
  };
}

function startTask(
  { job, schedule }: ScheduledJob,
  coordinator: JobCoordinator,
  clock: Clock,
  log: FolioLogger,
): ScheduledTask {
  const jobLog = log.child({ job: job.name });
  // ctx.date is the scheduled slot, the same time as in the coordinator's key.
  const task = createTask(schedule, (ctx) => coordinator.runClaimed(job, ctx.date, clock.now()), {
    name: job.name,
    timezone: CRON_TIMEZONE,
    distributed: true,
    runCoordinator: coordinator.runCoordinator(job.name),
    // A run longer than the interval: the next fire is not claimed here, so another replica may take it.
    noOverlap: true,
    logger: cronLogger(jobLog),
  });
  // Listening also silences node-cron's own console warning.
  task.on('execution:missed', (ctx) => {
    jobLog.warn(`Missed a fire of ${job.name} (the process was busy or asleep); the next fire sweeps`, {
      fireAt: ctx.date.toISOString(),
    });
  });
  task.start();
  return task;
}

/** node-cron's own messages (overlap, coordinator errors) go to Folio's structured log. */
function cronLogger(log: FolioLogger): CronLogger {
  return {
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message, err) => log.error(message, ...(err ? [err] : [])),
    debug: (message, err) => log.debug(message, ...(err ? [err] : [])),
  };
}
