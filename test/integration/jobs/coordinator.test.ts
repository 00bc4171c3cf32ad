import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobRuns } from '../../../src/db/schema/index.js';
import { JobCoordinator } from '../../../src/jobs/coordinator.js';
import type { Job } from '../../../src/jobs/job.js';
import { createScheduler, type Scheduler } from '../../../src/jobs/scheduler.js';
import { ManualClock } from '../../../src/lib/clock.js';
import { openTestDatabase, type TestDatabase } from '../../support/db.js';
import { memoryLogger } from '../../support/services.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await database.resetTickets();
});

const FIRE = new Date('2026-03-02T09:00:00.000Z');
const noKick = { kick: () => {} };

/** A job that counts its runs (and may fail or take time), with the `now` it was given. */
function countingJob(o: { name?: string; fail?: boolean; delayMs?: number } = {}) {
  const runs: { now: Date; fireAt: Date | undefined }[] = [];
  const job: Job = {
    name: o.name ?? 'count',
    defaultSchedule: '* * * * *',
    description: 'counts its runs',
    async run(ctx, now) {
      runs.push({ now, fireAt: ctx.fireAt });
      if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
      if (o.fail) throw new Error('the sweep broke');
      return { swept: runs.length };
    },
  };
  return { job, runs };
}

function coordinator(workerId: string, clock = new ManualClock(FIRE)) {
  const { log, lines } = memoryLogger();
  return {
    coordinator: new JobCoordinator({ db: database.db, log, clock, outbox: noKick, workerId }),
    lines,
  };
}

function scheduler(jobs: Job[], workerId: string, clock = new ManualClock(FIRE)) {
  const { log, lines } = memoryLogger();
  return {
    scheduler: createScheduler({ db: database.db, log, clock, outbox: noKick, jobs, workerId }),
    lines,
  };
}

const runsOf = (job: string) => database.db.select().from(jobRuns).where(eq(jobRuns.job, job));

describe('the claim of a fire', () => {
  it('runs a fire once when two workers claim it at the same time', async () => {
    const { job, runs } = countingJob();
    const a = coordinator('worker-a').coordinator;
    const b = coordinator('worker-b').coordinator;

    const outcomes = await Promise.all([a.fire(job, FIRE), b.fire(job, FIRE), a.fire(job, FIRE)]);

    expect(runs).toHaveLength(1);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['ran', 'skipped', 'skipped']);
    const [row, ...others] = await runsOf('count');
    expect(others).toEqual([]);
    expect(row).toMatchObject({ job: 'count', fireAt: FIRE, summary: { swept: 1 } });
    expect(['worker-a', 'worker-b']).toContain(row?.claimedBy);
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it('elects one worker through node-cron’s shouldRun, keyed by job and fire time', async () => {
    const a = coordinator('worker-a').coordinator.runCoordinator('sla');
    const b = coordinator('worker-b').coordinator.runCoordinator('sla');
    const key = `sla:${FIRE.toISOString()}`;

    const elected = await Promise.all([a.shouldRun(key, 30_000), b.shouldRun(key, 30_000)]);

    expect(elected.filter(Boolean)).toHaveLength(1);
    expect(await runsOf('sla')).toMatchObject([{ fireAt: FIRE, finishedAt: null }]);
    // The next second and another job are other fires.
    expect(await b.shouldRun(`sla:${new Date(FIRE.getTime() + 1000).toISOString()}`, 30_000)).toBe(true);
    expect(await b.shouldRun(`snooze:${FIRE.toISOString()}`, 30_000)).toBe(false); // not this task's key
  });

  it('runs distinct fire times each once, and claims nothing for another job', async () => {
    const { job, runs } = countingJob();
    const other = countingJob({ name: 'other' });
    const a = scheduler([job, other.job], 'worker-a').scheduler;
    const b = scheduler([job, other.job], 'worker-b').scheduler;
    const second = new Date(FIRE.getTime() + 60_000);

    await Promise.all([a.runNow('count', FIRE), b.runNow('count', FIRE), b.runNow('count', second)]);
    await a.runNow('count', second);

    const byTime = (x: Date | undefined, y: Date | undefined) => (x?.getTime() ?? 0) - (y?.getTime() ?? 0);
    expect(runs.map((r) => r.now).sort(byTime)).toEqual([FIRE, second]);
    expect(runs.map((r) => r.fireAt).sort(byTime)).toEqual([FIRE, second]);
    expect(other.runs).toEqual([]);
    expect((await runsOf('count')).map((r) => r.fireAt).sort(byTime)).toEqual([FIRE, second]);
  });

  it('records a failure with the job’s name and does not run that fire again', async () => {
    const { job, runs } = countingJob({ fail: true });
    const { scheduler: a, lines } = scheduler([job], 'worker-a');

    const outcome = await a.runNow('count', FIRE);

    expect(outcome).toMatchObject({ status: 'failed', error: { message: 'the sweep broke' } });
    expect(await runsOf('count')).toMatchObject([
      { claimedBy: 'worker-a', summary: { error: 'the sweep broke' }, finishedAt: expect.any(Date) },
    ]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'Job count failed; its next fire sweeps again',
        job: 'count',
        fireAt: FIRE.toISOString(),
        err: expect.objectContaining({ message: 'the sweep broke' }),
      }),
    );
    expect(await scheduler([job], 'worker-b').scheduler.runNow('count', FIRE)).toEqual({ status: 'skipped' });
    expect(runs).toHaveLength(1);
  });

  it('runs the job with the injected clock’s time by default', async () => {
    const { job, runs } = countingJob();
    const clock = new ManualClock('2026-05-01T12:34:56.789Z');
    expect(await scheduler([job], 'worker-a', clock).scheduler.runNow('count')).toEqual({
      status: 'ran',
      summary: { swept: 1 },
    });
    expect(runs).toEqual([{ now: clock.now(), fireAt: clock.now() }]);
  });

  it('refuses an unknown job, and any run once stopped', async () => {
    const { job } = countingJob();
    const a = scheduler([job], 'worker-a').scheduler;
    await expect(a.runNow('nope', FIRE)).rejects.toThrow('There is no job named "nope"; known jobs: count');
    await a.stop();
    await expect(a.runNow('count', FIRE)).rejects.toThrow('The scheduler is stopped');
    expect(await runsOf('count')).toEqual([]);
  });

  it('waits on stop for a run in hand to finish and be recorded', async () => {
    const { job } = countingJob({ delayMs: 200 });
    const a = scheduler([job], 'worker-a').scheduler;
    const run = a.runNow('count', FIRE);
    await new Promise((r) => setTimeout(r, 50));
    await a.stop();
    expect(await runsOf('count')).toMatchObject([{ finishedAt: expect.any(Date), summary: { swept: 1 } }]);
    expect(await run).toEqual({ status: 'ran', summary: { swept: 1 } });
  });
});

describe('two schedulers on their cron timers', () => {
  let started: Scheduler[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('run every per-second fire exactly once between them, keyed by whole seconds', async () => {
    const { job, runs } = countingJob({ name: 'tick', delayMs: 150 });
    const tick: Job = { ...job, defaultSchedule: '* * * * * *' };
    // The job's `now` comes from the injected clock; only the claim uses the fire time.
    const clock = new ManualClock('2030-01-01T00:00:00Z');
    started = ['worker-a', 'worker-b'].map((id) => scheduler([tick], id, clock).scheduler);
    for (const s of started) s.start();

    await new Promise((r) => setTimeout(r, 2300));
    await Promise.all(started.map((s) => s.stop()));

    const rows = await runsOf('tick');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(runs).toHaveLength(rows.length);
    expect(new Set(rows.map((r) => r.fireAt.getTime())).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.fireAt.getUTCMilliseconds()).toBe(0);
      expect(row.finishedAt).toBeInstanceOf(Date); // stop() waited for the last run
    }
    expect(runs.every((r) => r.now.getTime() === clock.now().getTime())).toBe(true);
    expect(runs.map((r) => r.fireAt?.getTime()).sort()).toEqual(rows.map((r) => r.fireAt.getTime()).sort());
  });
});
