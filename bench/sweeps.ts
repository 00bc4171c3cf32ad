import { performance } from 'node:perf_hooks';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { parseHelpdeskConfig } from '../src/config/desks.js';
import type { Db } from '../src/db/client.js';
import * as schema from '../src/db/schema/index.js';
import { syncConfig } from '../src/desks/sync.js';
import type { Job, JobContext } from '../src/jobs/index.js';
import { slaSweep } from '../src/jobs/sla.js';
import { snoozeReturn } from '../src/jobs/snooze.js';
import { createLogger } from '../src/lib/logger.js';
import { BENCH_CONFIG } from './lib/config.js';
import { type BenchContext, collectGarbage } from './lib/context.js';
import { waitForQuiet } from './lib/cpu.js';
import { median, round } from './lib/stats.js';

/**
 * Sweep cost: the SLA and snooze sweeps over a small and a large ticket table with the same number of
 * due rows. A sweep that reads only what is due through its index costs the same at both sizes; one
 * that scans grows with the table. The tables are built with set-based SQL (generate_series) in the
 * shape a long-lived desk has: most tickets closed with their clocks met, 2 % open with clocks and
 * snoozes in the future, and exactly `due` clocks breached and `due` snoozes come.
 */

export interface SweepOptions {
  sizes: number[];
  due: number;
  repetitions: number;
}

export interface SweepSize {
  tickets: number;
  buildSeconds: number;
  /** Table and index sizes, bytes. */
  tableBytes: Record<string, number>;
  slaMs: number[];
  snoozeMs: number[];
  slaMedianMs: number;
  snoozeMedianMs: number;
  plans: { sla: string; snooze: string };
  usesIndex: { sla: boolean; snooze: boolean };
  /** Whether a plan reads a whole table (fine on a small one, not on a large one). */
  seqScan: { sla: boolean; snooze: boolean };
}

export interface SweepResult {
  options: SweepOptions;
  sizes: SweepSize[];
  /** Largest size's median time over the smallest's. */
  slaRatio: number;
  snoozeRatio: number;
}

const quiet = createLogger('warn', { sink: () => {} });

/** The ids are 1…n in insertion order (a fresh identity): closed first, then due SLA, due snooze, other open. */
function layout(n: number, due: number) {
  const open = 2 * due + Math.round(n * 0.02);
  const closedUpTo = n - open;
  return {
    closedUpTo,
    slaFrom: closedUpTo + 1,
    slaTo: closedUpTo + due,
    snoozeFrom: closedUpTo + due + 1,
    snoozeTo: closedUpTo + 2 * due,
  };
}

async function build(sql: postgres.Sql, n: number, due: number): Promise<void> {
  const l = layout(n, due);
  await sql.unsafe(`set synchronous_commit = off; set maintenance_work_mem = '512MB'; set work_mem = '64MB'`);
  const [cat] = await sql<{ id: number }[]>`select id from categories where name = 'IT'`;
  await sql.unsafe(`
    insert into tickets (folio, subject, description, desk_key, category_id, priority, status, requester_id,
      assignee_id, created_by, source, snoozed_until, snooze_reason, version, first_responded_at, resolved_at,
      closed_at, last_activity_at, created_at, updated_at)
    select 'TKT' || lpad(i::text, 7, '0'), 'Bench ticket ' || i, 'Generated for the sweep benchmark', 'it',
      ${cat?.id ?? 'null'}, (array['low','medium','high','urgent'])[1 + i % 4],
      case when i <= ${l.closedUpTo} then 'closed' else 'open' end,
      'U_REQ_' || lpad((i % 5000)::text, 5, '0'),
      case i % 3 when 0 then null when 1 then 'U_AGENT_ANA' else 'U_AGENT_BEN' end,
      'U_REQ_' || lpad((i % 5000)::text, 5, '0'), 'slash_command',
      case when i between ${l.snoozeFrom} and ${l.snoozeTo} then now() - interval '10 minutes'
           when i > ${l.snoozeTo} and i % 10 = 0 then now() + interval '2 days' end,
      case when i >= ${l.snoozeFrom} and (i <= ${l.snoozeTo} or i % 10 = 0) then 'waiting for parts' end,
      case when i <= ${l.closedUpTo} then 4 else 1 end,
      case when i <= ${l.closedUpTo} then created + interval '1 hour' end,
      case when i <= ${l.closedUpTo} then created + interval '1 day' end,
      case when i <= ${l.closedUpTo} then created + interval '4 days' end,
      created, created, created
    from generate_series(1, ${n}) i, lateral (select now() - (${n} - i) * interval '1 minute' as created) c`);
  await sql.unsafe(`
    insert into sla_timers (ticket_id, kind, target_minutes, started_at, due_at, met_at, next_alert_at,
      created_at, updated_at)
    select t.id, k.kind, k.target, t.created_at,
      case when t.id <= ${l.closedUpTo} then t.created_at + k.target * interval '1 minute'
           when t.id between ${l.slaFrom} and ${l.slaTo} and k.kind = 'first_response' then now() - interval '10 minutes'
           else now() + interval '1 day' + t.id * interval '1 second' end,
      case when t.id <= ${l.closedUpTo} then t.created_at + interval '1 hour' end,
      case when t.id <= ${l.closedUpTo} then null
           when t.id between ${l.slaFrom} and ${l.slaTo} and k.kind = 'first_response' then now() - interval '10 minutes'
           else now() + interval '20 hours' + t.id * interval '1 second' end,
      t.created_at, t.created_at
    from tickets t cross join (values ('first_response', 240), ('resolution', 1440)) k(kind, target)`);
  await sql.unsafe(`
    insert into ticket_events (ticket_id, actor_id, type, data, created_at)
    select id, requester_id, 'ticket.created', jsonb_build_object('folio', folio), created_at from tickets`);
  await sql.unsafe('vacuum (analyze) tickets, sla_timers, ticket_events');
  const [check] = await sql<{ sla: number; snooze: number }[]>`
    select (select count(*)::int from sla_timers where next_alert_at <= now()) as sla,
           (select count(*)::int from tickets where snoozed_until <= now()) as snooze`;
  if (check?.sla !== due || check.snooze !== due)
    throw new Error(`built ${JSON.stringify(check)} due rows, not ${due}`);
}

async function resetDue(sql: postgres.Sql, n: number, due: number): Promise<void> {
  const l = layout(n, due);
  await sql.unsafe(`
    update sla_timers set breached_at = null, next_alert_at = due_at
    where kind = 'first_response' and ticket_id between ${l.slaFrom} and ${l.slaTo}`);
  await sql.unsafe(`
    update tickets set snoozed_until = now() - interval '10 minutes', snooze_reason = 'waiting for parts'
    where id between ${l.snoozeFrom} and ${l.snoozeTo}`);
}

/** A drizzle database like the app's (src/db/client.ts) that also records every statement it sends. */
function recordingDb(client: postgres.Sql, seen: { query: string; params: unknown[] }[]): Db {
  return drizzle(client, {
    schema,
    casing: 'snake_case',
    logger: { logQuery: (query, params) => seen.push({ query, params }) },
  }) as unknown as Db;
}

class Rollback extends Error {}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the sweep's selecting statement, exactly as drizzle sent it: the sweep
 * runs once to capture it, the due rows are put back, and the statement is explained inside a
 * transaction that is rolled back (it locks rows).
 */
async function explainSelect(
  sql: postgres.Sql,
  db: Db,
  job: Job,
  seen: { query: string; params: unknown[] }[],
  table: string,
  reset: () => Promise<void>,
): Promise<string> {
  seen.length = 0;
  await job.run(jobContext(db), new Date());
  await reset();
  const select = seen.find((s) => s.query.startsWith('select') && s.query.includes(`from "${table}"`));
  if (!select) throw new Error(`no select from ${table} in the ${job.name} sweep`);
  let plan = '';
  await sql
    .begin(async (tx) => {
      const rows = await tx.unsafe<{ 'QUERY PLAN': string }[]>(
        `explain (analyze, buffers) ${select.query}`,
        select.params as postgres.ParameterOrJSON<never>[],
      );
      plan = `${select.query}\n-- params: ${JSON.stringify(select.params)}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`;
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
  return plan;
}

function jobContext(db: Db): JobContext {
  return { db, log: quiet, clock: { now: () => new Date() }, outbox: { kick: () => {} } };
}

interface Built {
  n: number;
  url: string;
  sql: postgres.Sql;
  db: Db;
  seen: { query: string; params: unknown[] }[];
  buildSeconds: number;
  plans: { sla: string; snooze: string };
  slaMs: number[];
  snoozeMs: number[];
}

async function buildSize(ctx: BenchContext, n: number, o: SweepOptions): Promise<Built> {
  const url = await ctx.dbs.create(`sweep_${n}`);
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  const seen: { query: string; params: unknown[] }[] = [];
  const db = recordingDb(sql, seen);
  await syncConfig(db, parseHelpdeskConfig(BENCH_CONFIG), quiet);
  const started = performance.now();
  await build(sql, n, o.due);
  const buildSeconds = (performance.now() - started) / 1000;
  ctx.say(`sweeps: ${n} tickets built in ${round(buildSeconds, 1)} s`);
  // The first run of each sweep (the one whose statement is explained) also warms the caches.
  const reset = () => resetDue(sql, n, o.due);
  await reset();
  const sla = await explainSelect(sql, db, slaSweep, seen, 'sla_timers', reset);
  const snooze = await explainSelect(sql, db, snoozeReturn, seen, 'tickets', reset);
  return { n, url, sql, db, seen, buildSeconds, plans: { sla, snooze }, slaMs: [], snoozeMs: [] };
}

async function timeSweeps(b: Built, o: SweepOptions): Promise<void> {
  await resetDue(b.sql, b.n, o.due);
  for (const [job, times, count] of [
    [slaSweep, b.slaMs, 'breaches'],
    [snoozeReturn, b.snoozeMs, 'woken'],
  ] as const) {
    b.seen.length = 0;
    await waitForQuiet();
    collectGarbage();
    const start = performance.now();
    const summary = await job.run(jobContext(b.db), new Date());
    times.push(performance.now() - start);
    if (summary[count] !== o.due)
      throw new Error(`${job.name} sweep did ${JSON.stringify(summary)}, not ${o.due}`);
  }
}

async function describe(b: Built): Promise<SweepSize> {
  const sizes = await b.sql<{ name: string; bytes: string }[]>`
    select relname as name, pg_total_relation_size(oid)::text as bytes from pg_class
    where relname in ('tickets', 'sla_timers', 'ticket_events', 'sla_timers_next_alert', 'tickets_snoozed_until')`;
  return {
    tickets: b.n,
    buildSeconds: b.buildSeconds,
    tableBytes: Object.fromEntries(sizes.map((s) => [s.name, Number(s.bytes)])),
    slaMs: b.slaMs,
    snoozeMs: b.snoozeMs,
    slaMedianMs: median(b.slaMs),
    snoozeMedianMs: median(b.snoozeMs),
    plans: b.plans,
    usesIndex: {
      sla: b.plans.sla.includes('sla_timers_next_alert'),
      snooze: b.plans.snooze.includes('tickets_snoozed_until'),
    },
    seqScan: { sla: b.plans.sla.includes('Seq Scan'), snooze: b.plans.snooze.includes('Seq Scan') },
  };
}

/** Every size is built first; then the timed runs alternate between sizes, so drift hits them alike. */
export async function sweeps(ctx: BenchContext, o: SweepOptions): Promise<SweepResult> {
  const built: Built[] = [];
  try {
    for (const n of o.sizes) built.push(await buildSize(ctx, n, o));
    // Alternating sizes, and which goes first, so that drift and order hit them alike.
    for (let r = 0; r < o.repetitions; r++) {
      for (const b of r % 2 === 0 ? built : [...built].reverse()) await timeSweeps(b, o);
    }
    const sizes: SweepSize[] = [];
    for (const b of built) {
      const d = await describe(b);
      sizes.push(d);
      ctx.say(
        `sweeps: ${b.n} tickets: SLA ${round(d.slaMedianMs)} ms, snooze ${round(d.snoozeMedianMs)} ms ` +
          `(plans use ${d.usesIndex.sla ? '' : 'NOT '}sla_timers_next_alert, ${d.usesIndex.snooze ? '' : 'NOT '}tickets_snoozed_until)`,
      );
    }
    const small = sizes[0];
    const large = sizes[sizes.length - 1];
    return {
      options: o,
      sizes,
      slaRatio: small && large ? large.slaMedianMs / small.slaMedianMs : Number.NaN,
      snoozeRatio: small && large ? large.snoozeMedianMs / small.snoozeMedianMs : Number.NaN,
    };
  } finally {
    for (const b of built) {
      await b.sql.end({ timeout: 5 });
      await ctx.dbs.drop(b.url);
    }
  }
}
