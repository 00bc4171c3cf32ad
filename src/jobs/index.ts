import { autoClose } from './autoClose.js';
import { cleanup } from './cleanup.js';
import type { Job } from './job.js';
import { slaSweep } from './sla.js';
import { snoozeReturn } from './snooze.js';

/**
 * Every scheduled job Folio runs. Adding one: write it in its own file (see README.md), add it here
 * and to the README's schedule table.
 */
export function allJobs(): Job[] {
  return [slaSweep, snoozeReturn, autoClose, cleanup];
}

export type { FireOutcome, Job, JobContext } from './job.js';
export { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';
