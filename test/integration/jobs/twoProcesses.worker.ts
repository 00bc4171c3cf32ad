import { openDatabase, sql } from '../../../src/db/client.js';
import type { Job } from '../../../src/jobs/job.js';
import { createScheduler } from '../../../src/jobs/scheduler.js';
import { systemClock } from '../../../src/lib/clock.js';
import { createLogger } from '../../../src/lib/logger.js';

/**
 * One of the two processes of twoProcesses.test.ts: runs a scheduler with a per-second job from
 * START_AT to STOP_AT (epoch ms) against the test's Postgres database. The job writes its fire time
 * to `job_fires`, a table without a unique key, so a fire run twice would show up as two rows. Logs
 * (JSON lines on stdout, debug included) tell the test which fires this process saw.
 */

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const url = env('JOBS_TEST_DATABASE_URL');
const workerId = env('JOBS_TEST_WORKER');
const startAt = Number(env('JOBS_TEST_START_AT'));
const stopAt = Number(env('JOBS_TEST_STOP_AT'));

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

const tick: Job = {
  name: 'tick',
  defaultSchedule: '* * * * * *',
  description: 'records its fire time',
  async run({ db, fireAt }, now) {
    const at = (fireAt ?? now).toISOString();
    await db.execute(sql`insert into job_fires (fire_at, worker) values (${at}::timestamptz, ${workerId})`);
    return { recorded: at };
  },
};

const database = await openDatabase({ kind: 'postgres', url, maxConnections: 2 });
const log = createLogger('debug', { sink: (line) => process.stdout.write(`${line}\n`) });
const scheduler = createScheduler({
  db: database.db,
  log,
  clock: systemClock,
  outbox: { kick: () => {} },
  jobs: [tick],
  workerId,
});
try {
  await sleepUntil(startAt);
  scheduler.start();
  await sleepUntil(stopAt);
  await scheduler.stop();
} finally {
  await database.close();
}
