import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, queryRows, sql, type TestDatabase } from '../../support/db.js';
import { withDatabase } from '../../support/globalSetup.js';

/**
 * Two real processes, each running a scheduler with a per-second job, on one Postgres database: every
 * fire must run exactly once between them. PGlite cannot take part: it is one process's own
 * database, so a second process cannot open it; the in-process tests cover it.
 */
const target = inject('folioDb');
const onPostgres = target.kind === 'postgres';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER = fileURLToPath(new URL('./twoProcesses.worker.ts', import.meta.url));
/** From both processes being ready to their common start, and how long they run. */
const START_DELAY_MS = 300;
const RUN_MS = 4000;

interface Worker {
  id: string;
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function startWorker(id: string, url: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    cwd: ROOT,
    env: {
      ...process.env,
      JOBS_TEST_DATABASE_URL: url,
      JOBS_TEST_WORKER: id,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (pending + chunk.toString()).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts)
      if (part.startsWith('{')) lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) process.stderr.write(`worker ${id} exited with ${code}:\n${stderr}\n`);
      resolve(code);
    });
  });
  return { id, child, lines, exited };
}

/** Resolves once the worker has opened its database and waits for its start time. */
async function readyOf(worker: Worker): Promise<void> {
  const until = Date.now() + 20_000;
  while (!worker.lines.some((l) => l.ready === worker.id)) {
    if (Date.now() > until) throw new Error(`worker ${worker.id} did not get ready`);
    if (worker.child.exitCode !== null) throw new Error(`worker ${worker.id} exited before it was ready`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The fire times a worker's log shows it ran, and the ones it found already claimed. */
function firesSeen(worker: Worker) {
  const fireAt = (msg: string) =>
    worker.lines.filter((l) => l.job === 'tick' && l.msg === msg).map((l) => String(l.fireAt));
  return { ran: fireAt('Job tick ran'), skipped: fireAt('Fire of tick already claimed; skipping it') };
}

describe('two processes on one Postgres', () => {
  let database: TestDatabase | undefined;
  const workers: Worker[] = [];

  beforeAll(async () => {
    if (!onPostgres) return;
    database = await openTestDatabase();
    await database.db.execute(
      sql`create table job_fires (fire_at timestamptz not null, worker text not null)`,
    );
  });
  afterAll(async () => {
    // Whatever happened, no process outlives the test.
    for (const w of workers)
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await database?.close();
  });

  // PGlite is an in-process database: a second process cannot share it, so this runs on Postgres only.
  it.skipIf(!onPostgres)(
    'run each per-second fire exactly once between them',
    async () => {
      if (!database || target.kind !== 'postgres') throw new Error('needs Postgres');
      const [current] = await queryRows<{ name: string }>(
        database.db,
        sql`select current_database() as name`,
      );
      const url = withDatabase(target.adminUrl, current?.name ?? '');
      workers.push(startWorker('proc-a', url), startWorker('proc-b', url));
      // Both start together once both are ready, however long loading took on a busy machine.
      await Promise.all(workers.map((w) => readyOf(w)));
      const startAt = Date.now() + START_DELAY_MS;
      for (const w of workers) w.child.stdin?.end(`${startAt} ${startAt + RUN_MS}\n`);

      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes).toEqual([0, 0]);

      const rows = await queryRows<{ fire_at: string; worker: string; n: number }>(
        database.db,
        sql`select to_char(fire_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as fire_at,
                   min(worker) as worker, count(*)::int as n
            from job_fires group by fire_at order by fire_at`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows.filter((r) => r.n !== 1)).toEqual([]); // no fire ran twice
      expect(rows.every((r) => r.fire_at.endsWith('.000Z'))).toBe(true); // whole seconds

      const [a, b] = workers.map(firesSeen);
      // Each process ran exactly the fires recorded under its name…
      for (const [worker, seen] of [
        ['proc-a', a],
        ['proc-b', b],
      ] as const) {
        expect(seen?.ran.sort()).toEqual(rows.filter((r) => r.worker === worker).map((r) => r.fire_at));
      }
      // …and they really competed: both saw some fire, and every fire both saw ran in one of them.
      const seenBy = (s: typeof a) => new Set([...(s?.ran ?? []), ...(s?.skipped ?? [])]);
      const both = [...seenBy(a)].filter((f) => seenBy(b).has(f));
      expect(both.length).toBeGreaterThanOrEqual(1);
      const recorded = new Set(rows.map((r) => r.fire_at));
      expect(both.filter((f) => !recorded.has(f))).toEqual([]);
    },
    30_000,
  );
});
