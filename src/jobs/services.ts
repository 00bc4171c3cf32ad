import { DeskDirectory } from '../desks/directory.js';
import type { Services } from '../services.js';
import type { JobContext } from './job.js';

/**
 * Use-case services for a job run: the run's `now` is the time every change is made at, and the run
 * reads desks once (its own directory).
 */
export function jobServices(ctx: JobContext, now: Date): Services {
  return {
    db: ctx.db,
    log: ctx.log,
    outbox: ctx.outbox,
    clock: { now: () => now },
    directory: new DeskDirectory(),
  };
}
