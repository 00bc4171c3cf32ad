import { openDatabase, sql } from '../../../src/db/client.js';
import type { Job } from '../../../src/jobs/job.js';
import { createScheduler } from '../../../src/jobs/scheduler.js';
import { systemClock } from '../../../src/lib/clock.js';
import { createLogger } from '../../../src/lib/logger.js';

/**
 * One of the two processes of twoProcesses.test.ts: once its database is open it says it is ready,
 * reads from stdin when to start and stop (epoch ms, the same for both processes, sent once both are
 * ready, however slowly each started), and runs a scheduler with a per-second job in between against
 * the test's Postgres database. The job writes its fire time
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
/** The first line on stdin: `<startAt> <stopAt>`. */
async function window(): Promise<[number, number]> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    const line = text.split('\n')[0];
    if (text.includes('\n') && line) {
      const [start, stop] = line.split(' ').map(Number);
      if (start && stop) return [start, stop];
      throw new Error(`not a start and stop time: ${line}`);
    }
  }
  throw new Error('stdin closed before the start time came');
}
try {
  process.stdout.write(`${JSON.stringify({ ready: workerId })}\n`);
  const [startAt, stopAt] = await window();
  await sleepUntil(startAt);
  scheduler.start();
  await sleepUntil(stopAt);
  await scheduler.stop();
} finally {
  await database.close();
}
