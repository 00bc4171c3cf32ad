import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { parseHelpdeskConfig } from '../src/config/desks.js';
import { openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { syncConfig } from '../src/desks/sync.js';
import { createLogger } from '../src/lib/logger.js';
import { AppProcess, type Measured, SplitFolio } from './lib/appProcess.js';
import { BENCH_CONFIG, requester } from './lib/config.js';
import { type BenchContext, collectGarbage, requestsTo, resetFake } from './lib/context.js';
import { cpuSample, cpuSince, foreignShare, waitForQuiet } from './lib/cpu.js';
import { type Captured, PayloadRecorder, Sender } from './lib/sender.js';
import { openCreateModals, submitModal } from './lib/slackLoad.js';
import { type Latency, latency, median, medianLatency, round } from './lib/stats.js';

/**
 * Ticket creation end to end: create-ticket submissions sent in waves of `wave` concurrent requests;
 * the clock runs from the first submission to the moment the fake Slack receives the last ticket's
 * card (chat.postMessage in the desk channel), so it covers the HTTP receiver, the transaction and
 * the outbox relay. The floor is the same rows written by raw transactions with the same concurrency
 * and the same pool size as the app's (10 connections), no HTTP, no Slack, no reads.
 */

export interface CreationOptions {
  tickets: number;
  wave: number;
  repetitions: number;
}

export interface CreationRun {
  ticketsPerSecond: number;
  /** Submissions acknowledged (so committed) per second. */
  committedPerSecond: number;
  /** Per ticket, from its submission to its card reaching Slack, ms. */
  submitToCard: Latency;
  /** CPU time of the app process per ticket, ms. */
  appCpuMsPerTicket: number;
  /** CPU time of the Postgres server per ticket, ms (0 on PGlite, which runs in the app). */
  postgresCpuMsPerTicket: number;
  /** Share of both cores busy from the first submission to the last card. */
  machineUtilisation: number;
  /** CPU time of the load generator and the fake Slack (this process) per ticket, ms. */
  clientCpuMsPerTicket: number;
  /** Share of both cores used by other programs meanwhile (see cpu.ts); large means disturbed. */
  foreignCpuShare: number;
}

export interface CreationResult {
  variant: CreationVariant;
  options: CreationOptions;
  /** The median of the runs, figure by figure, and the runs. */
  app: CreationRun & { runs: CreationRun[] };
  raw: {
    ticketsPerSecond: number;
    clientCpuMsPerTicket: number;
    postgresCpuMsPerTicket: number;
    runs: RawRun[];
  };
  /** App rate over raw rate. */
  ratio: number;
}

let batch = 0;

async function createOnce(ctx: BenchContext, app: Measured, o: CreationOptions): Promise<CreationRun> {
  // The fake keeps every message (a post into a long channel costs it more): start each run empty.
  ctx.tail.resetFake();
  const slack = requestsTo(ctx, app);
  const run = ++batch;
  const people = Array.from({ length: o.tickets }, (_, i) => ({
    subject: `create ${run} ticket ${i}`,
    user: requester(i, 500),
  }));
  const modals = await openCreateModals(slack, ctx.tail, people, 25);
  const recorder = new PayloadRecorder(ctx.fake);
  const requests: Captured[] = [];
  for (const m of modals) requests.push(await recorder.capture((r) => submitModal(r, m)));
  await app.settle();

  await waitForQuiet();
  const sender = new Sender(app.url, ctx.fake);
  await sender.warmConnections(o.wave);
  const sentAt = new Map<string, number>();
  collectGarbage();
  const cpuBefore = await app.cpu();
  const machineBefore = cpuSample();
  const clientBefore = process.cpuUsage();
  await app.profile('start');
  const first = Date.now();
  for (let w = 0; w < requests.length; w += o.wave) {
    await Promise.all(
      requests.slice(w, w + o.wave).map(async (request, k) => {
        const subject = people[w + k]?.subject ?? '';
        sentAt.set(subject, Date.now());
        const res = await sender.send(request);
        if (res.status !== 200 || res.text !== '')
          throw new Error(`submission answered ${res.status} ${res.text}`);
      }),
    );
  }
  const committed = Date.now();
  await ctx.tail.until(() => people.every((p) => ctx.tail.cardBySubject.has(p.subject)), 'every card');
  const cpuAfter = await app.cpu();
  const machine = cpuSince(machineBefore);
  const client = process.cpuUsage(clientBefore);
  await app.profile('stop', 'creation');
  sender.close();
  const cards = people.map((p) => ctx.tail.cardBySubject.get(p.subject)?.at ?? Number.NaN);
  const last = Math.max(...cards);
  await app.settle();
  return {
    ticketsPerSecond: (o.tickets / (last - first)) * 1000,
    committedPerSecond: (o.tickets / (committed - first)) * 1000,
    submitToCard: latency(
      people.map((p, i) => (cards[i] ?? Number.NaN) - (sentAt.get(p.subject) ?? Number.NaN)),
    ),
    appCpuMsPerTicket:
      (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000 / o.tickets,
    postgresCpuMsPerTicket: machine.postgresMs / o.tickets,
    machineUtilisation: machine.machineUtilisation,
    clientCpuMsPerTicket: (client.user + client.system) / 1000 / o.tickets,
    foreignCpuShare: foreignShare(
      machine,
      (client.user + client.system + cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) /
        1000,
    ),
  };
}

/** Runs a statement inside the current transaction and returns its rows. */
type Query = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * The rows createTicket writes for a ticket filed with /ticket on the IT desk: the counter, the
 * ticket, its two SLA clocks, its audit event, and its two outbox rows (the card and the requester's DM;
 * a new ticket refreshes no Home tab).
 */
async function writeTicketRows(q: Query, categoryId: number, user: string): Promise<void> {
  const now = new Date();
  const [counter] = await q(
    `insert into folio_counters (prefix, last_number) values ('TKT', 1)
     on conflict (prefix) do update set last_number = folio_counters.last_number + 1 returning last_number`,
    [],
  );
  const folio = `TKT${String(counter?.last_number).padStart(3, '0')}`;
  const [ticket] = await q(
    `insert into tickets (folio, subject, description, desk_key, category_id, priority, status, requester_id,
       created_by, source, idempotency_key, last_activity_at, created_at, updated_at)
     values ($1, $2, '', 'it', $3, 'medium', 'open', $4, $4, 'slash_command', $5, $6, $6, $6) returning *`,
    [folio, `raw ${folio}`, categoryId, user, randomUUID(), now],
  );
  const id = Number(ticket?.id);
  const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
  await q(
    `insert into sla_timers (ticket_id, kind, target_minutes, started_at, due_at, next_alert_at, created_at, updated_at)
     values ($1, 'first_response', 240, $2, $3, $4, $2, $2), ($1, 'resolution', 1440, $2, $5, $6, $2, $2)`,
    [id, now, later(4), later(3), later(24), later(18)],
  );
  await q(
    `insert into ticket_events (ticket_id, actor_id, type, data, created_at) values ($1, $2, 'ticket.created', $3, $4)`,
    [id, user, JSON.stringify({ folio, desk: 'it', requester: user, source: 'slash_command' }), now],
  );
  await q(
    `insert into outbox (kind, ticket_id, payload, ordering_key, available_at)
     values ('card.post', $1, $2::jsonb, $3, now()), ('requester.notify', $1, $4::jsonb, $5, now())
     on conflict (dedupe_key) where dedupe_key is not null and delivered_at is null and failed_at is null do nothing`,
    [
      id,
      JSON.stringify({ ticketId: id }),
      `card:${id}`,
      JSON.stringify({ ticketId: id, template: 'created' }),
      `requester:${id}`,
    ],
  );
}

interface RawRun {
  ticketsPerSecond: number;
  /** CPU of the process writing (this one) and of Postgres, per ticket, ms. */
  clientCpuMsPerTicket: number;
  postgresCpuMsPerTicket: number;
}

async function rawRate(
  o: CreationOptions,
  transaction: (fn: (q: Query) => Promise<void>) => Promise<void>,
  categoryId: number,
): Promise<RawRun> {
  await waitForQuiet();
  collectGarbage();
  const machineBefore = cpuSample();
  const clientBefore = process.cpuUsage();
  const start = performance.now();
  for (let w = 0; w < o.tickets; w += o.wave) {
    const n = Math.min(o.wave, o.tickets - w);
    await Promise.all(
      Array.from({ length: n }, (_, k) =>
        transaction((q) => writeTicketRows(q, categoryId, requester(w + k, 500))),
      ),
    );
  }
  const elapsed = performance.now() - start;
  const client = process.cpuUsage(clientBefore);
  return {
    ticketsPerSecond: (o.tickets / elapsed) * 1000,
    clientCpuMsPerTicket: (client.user + client.system) / 1000 / o.tickets,
    postgresCpuMsPerTicket: cpuSince(machineBefore).postgresMs / o.tickets,
  };
}

async function rawPostgres(url: string, o: CreationOptions): Promise<RawRun[]> {
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  try {
    const [cat] = await sql<{ id: number }[]>`select id from categories where name = 'IT'`;
    const tx = (fn: (q: Query) => Promise<void>) =>
      sql
        .begin((t) => fn((text, params) => t.unsafe(text, params as postgres.ParameterOrJSON<never>[])))
        .then(() => undefined);
    await rawRate({ ...o, tickets: o.wave }, tx, cat?.id ?? 0); // warm-up
    const runs: RawRun[] = [];
    for (let r = 0; r < o.repetitions; r++) runs.push(await rawRate(o, tx, cat?.id ?? 0));
    return runs;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function rawPglite(o: CreationOptions): Promise<RawRun[]> {
  const client = await PGlite.create();
  try {
    const database = await openDatabase({ kind: 'pglite', client });
    await migrate(database);
    await syncConfig(
      database.db,
      parseHelpdeskConfig(BENCH_CONFIG),
      createLogger('error', { sink: () => {} }),
    );
    const cat = await client.query<{ id: number }>(`select id from categories where name = 'IT'`);
    const categoryId = cat.rows[0]?.id ?? 0;
    const tx = (fn: (q: Query) => Promise<void>) =>
      client.transaction((t) =>
        fn(async (text, params) => (await t.query<Record<string, unknown>>(text, params)).rows),
      );
    await rawRate({ ...o, tickets: o.wave }, tx, categoryId);
    const runs: RawRun[] = [];
    for (let r = 0; r < o.repetitions; r++) runs.push(await rawRate(o, tx, categoryId));
    return runs;
  } finally {
    await client.close();
  }
}

/**
 * `postgres` and `pglite`: Folio as it runs. `postgres-split`: the split experiment (its relay in a
 * second process, see AppMode), to show what a web/worker split would buy.
 */
export type CreationVariant = 'postgres' | 'pglite' | 'postgres-split';

export async function creation(
  ctx: BenchContext,
  variant: CreationVariant,
  o: CreationOptions,
): Promise<CreationResult> {
  resetFake(ctx);
  const backend = variant === 'pglite' ? 'pglite' : 'postgres';
  const url = backend === 'postgres' ? await ctx.dbs.create(variant.replace('-', '_')) : undefined;
  const app: Measured =
    variant === 'postgres-split' && url
      ? await SplitFolio.start({ slackApiUrl: ctx.fake.apiUrl, databaseUrl: url }, ctx.runtime)
      : await AppProcess.start(
          { mode: 'folio', slackApiUrl: ctx.fake.apiUrl, ...(url ? { databaseUrl: url } : {}) },
          ctx.runtime,
        );
  const runs: CreationRun[] = [];
  let raw: RawRun[];
  try {
    ctx.say(`create (${variant}): warming up`);
    await createOnce(ctx, app, { ...o, tickets: o.wave });
    for (let r = 0; r < o.repetitions; r++) {
      const run = await createOnce(ctx, app, o);
      runs.push(run);
      ctx.say(
        `create (${variant}): run ${r + 1}/${o.repetitions}: ${round(run.ticketsPerSecond)} tickets/s end to end, ` +
          `${round(run.committedPerSecond)}/s committed, card p50 ${round(run.submitToCard.p50)} ms, ` +
          `app CPU ${round(run.appCpuMsPerTicket)} ms/ticket, Postgres CPU ${round(run.postgresCpuMsPerTicket)} ms/ticket, ` +
          `load generator and fake CPU ${round(run.clientCpuMsPerTicket)} ms/ticket, ` +
          (run.foreignCpuShare > 0.1
            ? `DISTURBED: ${round(run.foreignCpuShare * 100, 0)} % by other programs, `
            : '') +
          `machine ${round(run.machineUtilisation * 100, 0)} % busy`,
      );
    }
    const logs = await app.logs();
    if (Object.keys(logs.counts).length > 0)
      ctx.say(`create (${variant}): Folio logged ${JSON.stringify(logs.counts)}`);
  } finally {
    await app.stop();
  }
  try {
    raw = url ? await rawPostgres(url, o) : await rawPglite(o);
    ctx.say(
      `create (${variant}): raw floor ${raw.map((x) => round(x.ticketsPerSecond)).join(', ')} tickets/s, ` +
        `writer CPU ${round(median(raw.map((x) => x.clientCpuMsPerTicket)))} ms/ticket, ` +
        `Postgres CPU ${round(median(raw.map((x) => x.postgresCpuMsPerTicket)))} ms/ticket`,
    );
  } finally {
    if (url) await ctx.dbs.drop(url);
  }
  const appRate = median(runs.map((r) => r.ticketsPerSecond));
  const rawRateMedian = median(raw.map((x) => x.ticketsPerSecond));
  return {
    variant,
    options: o,
    app: {
      ticketsPerSecond: appRate,
      committedPerSecond: median(runs.map((r) => r.committedPerSecond)),
      submitToCard: medianLatency(runs.map((r) => r.submitToCard)),
      appCpuMsPerTicket: median(runs.map((r) => r.appCpuMsPerTicket)),
      postgresCpuMsPerTicket: median(runs.map((r) => r.postgresCpuMsPerTicket)),
      machineUtilisation: median(runs.map((r) => r.machineUtilisation)),
      clientCpuMsPerTicket: median(runs.map((r) => r.clientCpuMsPerTicket)),
      foreignCpuShare: Math.max(...runs.map((r) => r.foreignCpuShare)),
      runs,
    },
    raw: {
      ticketsPerSecond: rawRateMedian,
      clientCpuMsPerTicket: median(raw.map((x) => x.clientCpuMsPerTicket)),
      postgresCpuMsPerTicket: median(raw.map((x) => x.postgresCpuMsPerTicket)),
      runs: raw,
    },
    ratio: appRate / rawRateMedian,
  };
}
