import postgres from 'postgres';
import type { Memory, ProcessFacts } from './app/protocol.js';
import { AppProcess, type Runtime } from './lib/appProcess.js';
import { BENCH_CONFIG, ESCALATION_CHANNEL, requester } from './lib/config.js';
import { type BenchContext, requestsTo, resetFake } from './lib/context.js';
import { closedLoop, expectAck, openCreateModals, submitModal } from './lib/slackLoad.js';
import { round } from './lib/stats.js';

/**
 * Economy: what the app costs to keep running.
 * - Memory: RSS of the app process (its own process, so the load generator and the fake Slack do not
 *   count) after `tickets` tickets were filed through /ticket and the modal, with every Slack delivery
 *   done; also after a forced GC, and the peak.
 * - Web API calls per created ticket: every call the fake Slack received during that workload (the
 *   modal, the card, the requester's DM, Home tabs, users.info, auth.test…), divided by the tickets;
 *   on a busy desk (50 concurrent) and on a quiet one (one ticket at a time). The desk's three members
 *   have opened their Home tab, the requesters have not.
 * - Alert messages per channel per sweep: `breaches` first-response clocks of one desk broken at once,
 *   one SLA sweep (through the scheduler's claim), and the chat.postMessage calls each channel got.
 */

export interface EconomyOptions {
  tickets: number;
  concurrency: number;
  requesters: number;
  /** Tickets filed between two resets of the fake (it keeps every call it records). */
  chunk: number;
  breaches: number;
  /** Tickets filed one at a time on a quiet desk, to count what one ticket costs without coalescing. */
  quietTickets: number;
}

export interface EconomyResult {
  options: EconomyOptions;
  /** How the app process ran (its Node flags, its heap limit). */
  process: ProcessFacts;
  memory: { atStart: Memory; afterWorkload: Memory; afterGc: Memory };
  seconds: number;
  /** When the last submission was answered: outbox rows not yet delivered, and how long they took. */
  relay: { filedSeconds: number; backlog: number; drainSeconds: number };
  calls: {
    total: number;
    perTicket: number;
    byMethod: Record<string, number>;
    perTicketByMethod: Record<string, number>;
    /** One ticket at a time on a quiet desk, each delivered before the next. */
    quiet: { tickets: number; perTicket: number; byMethod: Record<string, number> };
  };
  /** SQL statements the app sent per ticket of the workload (relay and Home included), by kind. */
  statements: { perTicket: number; transactionsPerTicket: number; byKind: Record<string, number> };
  alerts: {
    breaches: number;
    summary: unknown;
    postsByChannel: Record<string, number>;
    maxPerChannel: number;
    escalationChannel: number;
  };
}

const MB = 1024 * 1024;
const DESK_MEMBERS = BENCH_CONFIG.desks[0]?.members ?? [];

export async function economy(ctx: BenchContext, o: EconomyOptions): Promise<EconomyResult> {
  resetFake(ctx);
  const url = await ctx.dbs.create('economy');
  const app = await AppProcess.start(
    { mode: 'folio', slackApiUrl: ctx.fake.apiUrl, databaseUrl: url, countQueries: true },
    ctx.runtime,
  );
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const slack = requestsTo(ctx, app);
    const atStart = await app.memory(false);

    await openMemberHomes(ctx, app);

    // A quiet desk: one ticket at a time, everything delivered before the next (the first, which
    // also reads the workspace with auth.test, is not counted).
    const quiet: Record<string, number> = {};
    for (let i = 0; i <= o.quietTickets; i++) {
      ctx.tail.poll();
      ctx.tail.clearCounts();
      const [modal] = await openCreateModals(
        slack,
        ctx.tail,
        [{ subject: `quiet ${i}`, user: `U_QUIET_${i}` }],
        1,
      );
      if (modal) expectAck(await submitModal(slack, modal), 'submission');
      await app.settle();
      ctx.tail.poll();
      if (i > 0) for (const [m, n] of ctx.tail.counts) quiet[m] = (quiet[m] ?? 0) + n;
    }
    const quietTotal = Object.values(quiet).reduce((a, b) => a + b, 0);
    ctx.say(
      `economy: quiet desk, ${round(quietTotal / o.quietTickets)} Web API calls per ticket ${JSON.stringify(quiet)}`,
    );
    ctx.tail.clearCounts();

    const statementsBefore = await app.queries();
    const xactBefore = await transactions(sql);
    const started = Date.now();
    await fileTickets(ctx, app, o, 'economy');
    // Every submission is answered; how far behind are the deliveries to Slack?
    const filedSeconds = (Date.now() - started) / 1000;
    const backlog = await pendingOutbox(sql);
    await app.settle();
    ctx.tail.poll();
    const seconds = (Date.now() - started) / 1000;
    ctx.say(
      `economy: ${o.tickets} tickets filed in ${round(filedSeconds, 1)} s; ${backlog} outbox rows were still to ` +
        `deliver, which took ${round(seconds - filedSeconds, 1)} s more`,
    );
    const statementsAfter = await app.queries();
    // The statistics reach pg_stat_database when a backend next reports (about a second when idle).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const xactAfter = await transactions(sql);
    const statementsByKind = Object.fromEntries(
      Object.entries(statementsAfter)
        .map(([k, n]) => [k, (n - (statementsBefore[k] ?? 0)) / o.tickets] as const)
        .filter(([, n]) => n > 0)
        .sort(([, a], [, b]) => b - a),
    );
    const statementsPerTicket = Object.values(statementsByKind).reduce((a, b) => a + b, 0);
    ctx.say(
      `economy: ${round(statementsPerTicket, 1)} SQL statements and ${round((xactAfter - xactBefore) / o.tickets, 1)} ` +
        `transactions per ticket ${JSON.stringify(Object.fromEntries(Object.entries(statementsByKind).map(([k, n]) => [k, round(n, 2)])))}`,
    );
    const afterWorkload = await settledMemory(app);
    const afterGc = await app.memory(true);
    const byMethod = Object.fromEntries([...ctx.tail.counts].sort(([a], [b]) => a.localeCompare(b)));
    const total = Object.values(byMethod).reduce((a, b) => a + b, 0);
    const perTicketByMethod = Object.fromEntries(
      Object.entries(byMethod).map(([m, n]) => [m, n / o.tickets]),
    );
    ctx.say(`economy: ${round(total / o.tickets)} Web API calls per ticket ${JSON.stringify(byMethod)}`);

    // Many breaches on one desk at once: the newest tickets (their cards are still in the fake), all
    // open and unassigned on the IT desk.
    await sql`
      update sla_timers set due_at = now() - interval '1 minute', next_alert_at = now() - interval '1 minute'
      where kind = 'first_response'
        and ticket_id in (select id from tickets where desk_key = 'it' order by id desc limit ${o.breaches})`;
    ctx.tail.poll();
    ctx.tail.clearCounts();
    const outcome = await app.runJob('sla', new Date());
    await app.settle();
    ctx.tail.poll();
    const postsByChannel = Object.fromEntries(ctx.tail.postsByChannel);
    const alerts = {
      breaches: o.breaches,
      summary: outcome,
      postsByChannel,
      maxPerChannel: Math.max(0, ...Object.values(postsByChannel)),
      escalationChannel: postsByChannel[ESCALATION_CHANNEL] ?? 0,
    };
    ctx.say(`economy: one SLA sweep with ${o.breaches} breaches posted ${JSON.stringify(postsByChannel)}`);
    const logs = await app.logs();
    if (Object.keys(logs.counts).length > 0) ctx.say(`economy: Folio logged ${JSON.stringify(logs.counts)}`);
    return {
      options: o,
      process: app.facts,
      memory: { atStart, afterWorkload, afterGc },
      seconds,
      relay: { filedSeconds, backlog, drainSeconds: seconds - filedSeconds },
      calls: {
        total,
        perTicket: total / o.tickets,
        byMethod,
        perTicketByMethod,
        quiet: { tickets: o.quietTickets, perTicket: quietTotal / o.quietTickets, byMethod: quiet },
      },
      statements: {
        perTicket: statementsPerTicket,
        transactionsPerTicket: (xactAfter - xactBefore) / o.tickets,
        byKind: statementsByKind,
      },
      alerts,
    };
  } finally {
    await sql.end({ timeout: 5 });
    await app.stop();
    await ctx.dbs.drop(url);
  }
}

/**
 * The desk's members work from their Home tab (its "To assign" queue), so they have opened it;
 * requesters have not. Every new, unassigned ticket changes the members' queues.
 */
async function openMemberHomes(ctx: BenchContext, app: AppProcess): Promise<void> {
  const slack = requestsTo(ctx, app);
  for (const user of DESK_MEMBERS) {
    const res = await slack.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
    if (res.status !== 200) throw new Error(`app_home_opened answered ${res.status}`);
  }
  await app.settle();
}

/**
 * Files `o.tickets` tickets through /ticket and the modal, `o.concurrency` at a time, in chunks
 * between which the fake Slack is emptied (its calls counted first); the last chunk's cards stay.
 */
async function fileTickets(
  ctx: BenchContext,
  app: AppProcess,
  o: EconomyOptions,
  label: string,
): Promise<void> {
  const slack = requestsTo(ctx, app);
  const started = Date.now();
  for (let from = 0; from < o.tickets; from += o.chunk) {
    const people = Array.from({ length: Math.min(o.chunk, o.tickets - from) }, (_, k) => ({
      subject: `economy ticket ${from + k}`,
      user: requester(from + k, o.requesters),
    }));
    const modals = await openCreateModals(slack, ctx.tail, people, o.concurrency);
    await closedLoop(modals, o.concurrency, async (m) =>
      expectAck(await submitModal(slack, m), 'submission'),
    );
    const done = from + people.length;
    if (done < o.tickets) {
      ctx.tail.resetFake();
      ctx.tail.viewByTrigger.clear();
      ctx.tail.cardBySubject.clear();
    }
    if (done % (o.chunk * 2) === 0 || done === o.tickets) {
      const m = await app.memory(false);
      ctx.say(
        `${label}: ${done} tickets, ${round((Date.now() - started) / 1000, 1)} s, app RSS ${round(m.rss / MB, 1)} MB`,
      );
    }
  }
}

/**
 * For the record: Folio's RSS just after start under another runtime (tsx, as `npm run dev` runs it),
 * to set beside the measured runtime's start; a few seconds, no workload.
 */
export async function memoryAtStart(ctx: BenchContext, runtime: Runtime): Promise<Memory> {
  const url = await ctx.dbs.create('economy_start');
  const app = await AppProcess.start(
    { mode: 'folio', slackApiUrl: ctx.fake.apiUrl, databaseUrl: url, countQueries: true },
    runtime,
  );
  try {
    return await app.memory(false);
  } finally {
    await app.stop();
    await ctx.dbs.drop(url);
  }
}

/**
 * The app's memory once the work is done: RSS moves by tens of MB from one second to the next as V8
 * returns pages, so the median of five readings half a second apart (the peak is kept as is).
 */
export async function settledMemory(app: Pick<AppProcess, 'memory'>): Promise<Memory> {
  const readings: Memory[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(await app.memory(false));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const byRss = [...readings].sort((a, b) => a.rss - b.rss);
  const middle = byRss[2] ?? readings[0];
  if (!middle) throw new Error('no memory reading');
  return { ...middle, maxRss: Math.max(...readings.map((r) => r.maxRss)) };
}

async function pendingOutbox(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from outbox where delivered_at is null and failed_at is null`;
  return row?.n ?? 0;
}

async function transactions(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`
    select xact_commit::text as n from pg_stat_database where datname = current_database()`;
  return Number(row?.n ?? 0);
}
