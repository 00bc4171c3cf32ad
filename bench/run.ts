import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FakeSlack } from '../test/harness/fakeSlack.js';
import { type AckResult, ackLatency } from './ack.js';
import type { Memory } from './app/protocol.js';
import { type CreationResult, creation } from './creation.js';
import { type EconomyResult, economy, memoryAtStart } from './economy.js';
import type { Runtime } from './lib/appProcess.js';
import { compileApp, removeBuild, type StartCommand, startCommand } from './lib/compile.js';
import type { BenchContext } from './lib/context.js';
import { BenchDatabases, DEFAULT_ADMIN_URL } from './lib/databases.js';
import { fmt, printTable, type Row, verdict } from './lib/report.js';
import { CallTail } from './lib/slackLoad.js';
import { type MailResult, mailBenchmark } from './mail.js';
import { type SweepResult, sweeps } from './sweeps.js';

/**
 * `npm run bench` (tsx bench/run.ts): Folio's benchmarks, each figure beside a floor measured in the
 * same run. Prints a table and writes bench/results/latest.json. See docs/benchmarks.md.
 *
 * The app and the floors run as `npm start` runs the app: compiled to JavaScript with the production
 * build's settings, on plain node with the `start` script's Node flags (read from package.json); see
 * lib/compile.ts. The runner itself (load generator, fake Slack, sweeps) runs under tsx.
 *
 *   --quick           smaller sizes (100k tickets instead of 1M, fewer repetitions), a few minutes
 *   --only=a,b        some of: ack, create, pglite, sweeps, economy, mail
 *   --experiments     also: Folio with its outbox relay in a second process (ack, create), what a
 *                     web/worker split would buy (not a mode src/ offers)
 *   --tsx             run the app and the floors under tsx, without the start flags, as `npm run dev`
 *                     does (for comparison; the targets are read on the compiled app)
 *   BENCH_DATABASE_URL  a Postgres where the user may create databases (default the local server)
 */

const BENCHMARKS = ['ack', 'create', 'pglite', 'sweeps', 'economy', 'mail'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    experiments: { type: 'boolean', default: false },
    tsx: { type: 'boolean', default: false },
  },
});
const tsx = values.tsx ?? false;
const quick = values.quick ?? false;
const experiments = values.experiments ?? false;
const only = new Set<Benchmark>(
  values.only ? (values.only.split(',').map((s) => s.trim()) as Benchmark[]) : BENCHMARKS,
);
for (const name of only) if (!BENCHMARKS.includes(name)) throw new Error(`--only: unknown benchmark ${name}`);

const SIZES = quick
  ? {
      ack: { perKind: 100, repetitions: 3, concurrency: 50 },
      create: { tickets: 300, wave: 50, repetitions: 2 },
      pglite: { tickets: 300, wave: 50, repetitions: 1 },
      sweeps: { sizes: [10_000, 100_000], due: 200, repetitions: 3 },
      economy: {
        tickets: 2_000,
        concurrency: 50,
        requesters: 2_000,
        chunk: 1_000,
        breaches: 1_000,
        quietTickets: 3,
      },
      mail: {
        intake: { mails: 300, connections: 5, repetitions: 2, warmup: 50, senders: 200 },
        memory: { mails: 300, connections: 5, attachmentBytes: 1024 * 1024, senders: 200 },
      },
    }
  : {
      ack: { perKind: 200, repetitions: 5, concurrency: 50 },
      create: { tickets: 500, wave: 50, repetitions: 3 },
      pglite: { tickets: 500, wave: 50, repetitions: 2 },
      sweeps: { sizes: [10_000, 1_000_000], due: 200, repetitions: 5 },
      economy: {
        tickets: 10_000,
        concurrency: 50,
        requesters: 5_000,
        chunk: 1_000,
        breaches: 1_000,
        quietTickets: 5,
      },
      mail: {
        intake: { mails: 1_000, connections: 5, repetitions: 3, warmup: 100, senders: 500 },
        memory: { mails: 1_000, connections: 5, attachmentBytes: 1024 * 1024, senders: 500 },
      },
    };

const TARGETS = {
  ackP99VsBolt: 1.3,
  creationVsRaw: 1 / 3,
  sweepRatio: 1.2,
  rssMb: 200,
  callsPerTicket: 3,
  alertsPerChannel: 1,
};

const startedAt = new Date();
const t0 = Date.now();
const say = (m: string) =>
  process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}\n`);

function gitFacts(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'drizzle', 'package.json'], {
      encoding: 'utf8',
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/** What `npm start` runs (package.json), read before anything starts: it fails if the script changed shape. */
const start: StartCommand = await startCommand();
const APP_BENCHMARKS: readonly Benchmark[] = ['ack', 'create', 'pglite', 'economy', 'mail'];

const dbs = new BenchDatabases(process.env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL);
const fake = await FakeSlack.start();
const tail = new CallTail(fake).start();
let runtime: Runtime = { kind: 'tsx' };
const ctx: BenchContext = { dbs, fake, tail, say, runtime };
const results: {
  ack?: AckResult;
  create?: CreationResult;
  pglite?: CreationResult;
  createSplit?: CreationResult;
  sweeps?: SweepResult;
  economy?: EconomyResult;
  mail?: MailResult;
  /** For the record: Folio's RSS at start under tsx (`npm run dev`), beside the compiled app's. */
  tsxAtStart?: Memory;
} = {};

const stop = async () => {
  tail.stop();
  await dbs.dropAll().catch(() => undefined);
  await dbs.close().catch(() => undefined);
  await fake.close().catch(() => undefined);
  await removeBuild().catch(() => undefined);
};
process.once('SIGINT', () => {
  say('interrupted: dropping the bench databases');
  stop().finally(() => process.exit(130));
});

let serverFacts: Record<string, string> = {};
try {
  serverFacts = await dbs.serverFacts();
  const leftovers = await dbs.dropLeftovers();
  if (leftovers.length > 0) say(`dropped bench databases left by an earlier run: ${leftovers.join(', ')}`);
  if (!tsx && APP_BENCHMARKS.some((b) => only.has(b))) {
    say("compiling the app and the bench's process with tsconfig.build.json's settings (tsc)");
    runtime = { kind: 'node', buildDir: await compileApp(), nodeFlags: start.nodeFlags };
    ctx.runtime = runtime;
  }
  say(
    `Folio benchmarks${quick ? ' (quick)' : ''}${experiments ? ' with experiments' : ''}: ${[...only].join(', ')}; ` +
      (runtime.kind === 'node'
        ? `the app compiled, on node ${start.nodeFlags.join(' ')} (as npm start)`
        : 'the app under tsx (as npm run dev)'),
  );
  if (only.has('ack')) results.ack = await ackLatency(ctx, { ...SIZES.ack, split: experiments });
  if (only.has('create')) results.create = await creation(ctx, 'postgres', SIZES.create);
  if (only.has('create') && experiments)
    results.createSplit = await creation(ctx, 'postgres-split', SIZES.create);
  if (only.has('pglite')) results.pglite = await creation(ctx, 'pglite', SIZES.pglite);
  if (only.has('sweeps')) results.sweeps = await sweeps(ctx, SIZES.sweeps);
  if (only.has('economy')) results.economy = await economy(ctx, SIZES.economy);
  if (only.has('mail')) results.mail = await mailBenchmark(ctx, SIZES.mail);
  if (only.has('economy') && runtime.kind === 'node') {
    results.tsxAtStart = await memoryAtStart(ctx, { kind: 'tsx' });
    say(
      `economy: for the record, under tsx the app takes ${fmt(results.tsxAtStart.rss / 2 ** 20)} MB at start`,
    );
  }
} finally {
  await stop();
}

const rows: Row[] = [];
const ms = (x: number) => `${fmt(x)} ms`;
if (results.ack) {
  const a = results.ack;
  const { folio, 'bolt-noop': bolt, 'bare-http': bare } = a.targets;
  const n = `${a.options.concurrency} concurrent`;
  rows.push(
    ...(['p50', 'p95'] as const).map(
      (p): Row => ({
        benchmark: 'ack latency',
        figure: `${p}, ${n}`,
        value: ms(folio.all[p]),
        floor: `${ms(bolt.all[p])} Bolt / ${ms(bare.all[p])} bare`,
        ratio: `${fmt(folio.all[p] / bolt.all[p], 2)}× Bolt`,
        target: '',
        verdict: 'record',
      }),
    ),
    {
      benchmark: 'ack latency',
      figure: `p99, ${n}`,
      value: ms(folio.all.p99),
      floor: `${ms(bolt.all.p99)} Bolt`,
      ratio: `${fmt(a.p99VsBolt, 2)}×`,
      target: `≤ ${TARGETS.ackP99VsBolt}× Bolt`,
      verdict: verdict(a.p99VsBolt <= TARGETS.ackP99VsBolt),
    },
    {
      benchmark: 'ack latency',
      figure: 'p99 vs bare node:http',
      value: ms(folio.all.p99),
      floor: `${ms(bare.all.p99)} bare`,
      ratio: `${fmt(a.p99VsBare, 2)}× (Bolt ${fmt(a.boltVsBare, 2)}×)`,
      target: 'report',
      verdict: 'record',
    },
  );
  for (const kind of ['command', 'click', 'submission'] as const) {
    rows.push({
      benchmark: 'ack latency',
      figure: `p50 / p99 ${kind}s`,
      value: `${ms(folio.byKind[kind].p50)} / ${ms(folio.byKind[kind].p99)}`,
      floor: `${ms(bolt.byKind[kind].p99)} Bolt p99`,
      ratio: `${fmt(folio.byKind[kind].p99 / bolt.byKind[kind].p99, 2)}×`,
      target: '',
      verdict: 'record',
    });
  }
  rows.push({
    benchmark: 'ack latency',
    figure: 'app CPU per request',
    value: ms(folio.cpuMsPerRequest),
    floor: `${ms(bolt.cpuMsPerRequest)} Bolt / ${ms(bare.cpuMsPerRequest)} bare`,
    ratio: `${fmt(folio.cpuMsPerRequest / bolt.cpuMsPerRequest, 1)}× Bolt`,
    target: '',
    verdict: 'record',
  });
  const split = a.targets['folio-split'];
  if (split) {
    rows.push({
      benchmark: 'ack latency',
      figure: 'experiment: relay in its own process, p50 / p99',
      value: `${ms(split.all.p50)} / ${ms(split.all.p99)}`,
      floor: `${ms(bolt.all.p99)} Bolt p99`,
      ratio: `${fmt(split.all.p99 / bolt.all.p99, 2)}×`,
      target: 'for the record',
      verdict: 'record',
    });
  }
}
for (const c of [results.create, results.pglite, results.createSplit]) {
  if (!c) continue;
  const name =
    c.variant === 'postgres'
      ? 'creation (Postgres)'
      : c.variant === 'pglite'
        ? 'creation (PGlite)'
        : 'creation (experiment: relay in its own process)';
  rows.push(
    {
      benchmark: name,
      figure: `tickets/s, submission → card, ${c.options.tickets} in waves of ${c.options.wave}`,
      value: fmt(c.app.ticketsPerSecond),
      floor: `${fmt(c.raw.ticketsPerSecond)} raw tx`,
      ratio: fmt(c.ratio, 2),
      target: c.variant === 'postgres' ? '≥ 0.33' : 'for the record',
      verdict: c.variant === 'postgres' ? verdict(c.ratio >= TARGETS.creationVsRaw) : 'record',
    },
    {
      benchmark: name,
      figure: 'committed/s (acks); submission → card p50 / p95',
      value: `${fmt(c.app.committedPerSecond)}/s; ${ms(c.app.submitToCard.p50)} / ${ms(c.app.submitToCard.p95)}`,
      floor: '',
      ratio: '',
      target: '',
      verdict: 'record',
    },
    {
      benchmark: name,
      figure: 'CPU per ticket: app / Postgres / load generator + fake',
      value: `${ms(c.app.appCpuMsPerTicket)} / ${ms(c.app.postgresCpuMsPerTicket)} / ${ms(c.app.clientCpuMsPerTicket)}`,
      floor: `raw: ${ms(c.raw.clientCpuMsPerTicket)} writer / ${ms(c.raw.postgresCpuMsPerTicket)} Postgres`,
      ratio: `machine ${fmt(c.app.machineUtilisation * 100, 0)} % busy`,
      target: '',
      verdict: 'record',
    },
  );
}
if (results.sweeps) {
  const s = results.sweeps;
  const [small, large] = [s.sizes[0], s.sizes[s.sizes.length - 1]];
  if (small && large) {
    const sizes = `${fmt(large.tickets, 0)} vs ${fmt(small.tickets, 0)} tickets, ${s.options.due} due`;
    rows.push(
      {
        benchmark: 'sweep cost',
        figure: `SLA sweep, ${sizes}`,
        value: ms(large.slaMedianMs),
        floor: ms(small.slaMedianMs),
        ratio: fmt(s.slaRatio, 2),
        target: `≤ ${TARGETS.sweepRatio}`,
        verdict: verdict(s.slaRatio <= TARGETS.sweepRatio),
      },
      {
        benchmark: 'sweep cost',
        figure: `snooze sweep, ${sizes}`,
        value: ms(large.snoozeMedianMs),
        floor: ms(small.snoozeMedianMs),
        ratio: fmt(s.snoozeRatio, 2),
        target: `≤ ${TARGETS.sweepRatio}`,
        verdict: verdict(s.snoozeRatio <= TARGETS.sweepRatio),
      },
      {
        benchmark: 'sweep cost',
        figure: 'plans use sla_timers_next_alert / tickets_snoozed_until',
        value: s.sizes
          .map((z) => `${z.usesIndex.sla ? 'yes' : 'NO'}/${z.usesIndex.snooze ? 'yes' : 'NO'}`)
          .join(', '),
        floor: '',
        ratio: '',
        target: 'yes at every size',
        verdict: verdict(s.sizes.every((z) => z.usesIndex.sla && z.usesIndex.snooze)),
      },
    );
  }
}
if (results.economy) {
  const e = results.economy;
  const mb = (b: number) => `${fmt(b / 1024 / 1024)} MB`;
  rows.push(
    {
      benchmark: 'economy',
      figure: `app RSS after ${fmt(e.options.tickets, 0)} tickets (Postgres)`,
      value: mb(e.memory.afterWorkload.rss),
      floor: `${mb(e.memory.atStart.rss)} at start`,
      ratio: `peak ${mb(e.memory.afterWorkload.maxRss)}; heap after GC ${mb(e.memory.afterGc.heapUsed)}`,
      target: `≤ ${TARGETS.rssMb} MB`,
      verdict: verdict(e.memory.afterWorkload.rss <= TARGETS.rssMb * 1024 * 1024),
    },
    ...(results.tsxAtStart
      ? [
          {
            benchmark: 'economy',
            figure: 'for the record: app RSS at start under tsx (npm run dev)',
            value: mb(results.tsxAtStart.rss),
            floor: `${mb(e.memory.atStart.rss)} compiled`,
            ratio: `heap ${mb(results.tsxAtStart.heapUsed)}`,
            target: '',
            verdict: 'record',
          } satisfies Row,
        ]
      : []),
    {
      benchmark: 'economy',
      figure: `outbox backlog when the last of ${fmt(e.options.tickets, 0)} submissions was answered`,
      value: `${fmt(e.relay.backlog, 0)} rows`,
      floor: `filed in ${fmt(e.relay.filedSeconds)} s`,
      ratio: `delivered ${fmt(e.relay.drainSeconds)} s later`,
      target: '',
      verdict: 'record',
    },
    {
      benchmark: 'economy',
      figure: `Web API calls per created ticket, ${fmt(e.options.tickets, 0)} at ${e.options.concurrency} concurrent`,
      value: fmt(e.calls.perTicket, 3),
      floor: Object.entries(e.calls.perTicketByMethod)
        .map(([m, n]) => `${m} ${fmt(n, n < 0.01 ? 4 : 2)}`)
        .join(', '),
      ratio: '',
      target: `≤ ${TARGETS.callsPerTicket}`,
      verdict: verdict(e.calls.perTicket <= TARGETS.callsPerTicket),
    },
    {
      benchmark: 'economy',
      figure: 'Web API calls per created ticket, quiet desk (one at a time)',
      value: fmt(e.calls.quiet.perTicket, 3),
      floor: Object.entries(e.calls.quiet.byMethod)
        .map(([m, n]) => `${m} ${fmt(n / e.calls.quiet.tickets, 2)}`)
        .join(', '),
      ratio: '',
      target: `≤ ${TARGETS.callsPerTicket}`,
      verdict: verdict(e.calls.quiet.perTicket <= TARGETS.callsPerTicket),
    },
    {
      benchmark: 'economy',
      figure: 'SQL statements / transactions per created ticket (relay, Home included)',
      value: `${fmt(e.statements.perTicket, 1)} / ${fmt(e.statements.transactionsPerTicket, 1)}`,
      floor: Object.entries(e.statements.byKind)
        .slice(0, 6)
        .map(([k, n]) => `${k} ${fmt(n, 1)}`)
        .join(', '),
      ratio: '',
      target: '',
      verdict: 'record',
    },
    {
      benchmark: 'economy',
      figure: `alert messages per channel, one sweep, ${e.alerts.breaches} breaches on one desk`,
      value: String(e.alerts.maxPerChannel),
      floor: Object.entries(e.alerts.postsByChannel)
        .map(([c, n]) => `${c} ${n}`)
        .join(', '),
      ratio: '',
      target: `${TARGETS.alertsPerChannel}`,
      verdict: verdict(e.alerts.maxPerChannel <= TARGETS.alertsPerChannel),
    },
  );
}

if (results.mail) {
  const { intake, memory, options } = results.mail;
  const mb = (b: number) => `${fmt(b / 1024 / 1024)} MB`;
  const peak = Math.max(memory.peakRss, memory.maxRss);
  rows.push(
    {
      benchmark: 'mail',
      figure: `mails/s, SMTP → committed ticket, ${fmt(options.intake.mails, 0)} over ${options.intake.connections} connections`,
      value: fmt(intake.app.mailsPerSecond),
      floor: `${fmt(intake.floor.mailsPerSecond)} SMTP server discarding`,
      ratio: fmt(intake.ratio, 2),
      target: 'report',
      verdict: 'record',
    },
    {
      benchmark: 'mail',
      figure: 'CPU per mail: app / Postgres',
      value: `${ms(intake.app.cpuMsPerMail)} / ${ms(intake.app.postgresCpuMsPerMail)}`,
      floor: `${ms(intake.floor.cpuMsPerMail)} floor`,
      ratio: `cards and mails out ${fmt(intake.deliveredAfterSeconds)} s after the last 250`,
      target: '',
      verdict: 'record',
    },
    {
      benchmark: 'mail',
      figure: 'tickets from mail in the database / mails answered 250',
      value: `${fmt(intake.tickets.counted, 0)} / ${fmt(intake.tickets.sent, 0)}`,
      floor: '',
      ratio: '',
      target: 'equal',
      verdict: verdict(intake.tickets.counted === intake.tickets.sent),
    },
    {
      benchmark: 'mail',
      figure: `app RSS, ${fmt(memory.mails, 0)} mails of ${mb(options.memory.attachmentBytes)} over ${options.memory.connections} connections: peak / settled`,
      value: `${mb(peak)} / ${mb(memory.settled.rss)}`,
      floor: `${mb(memory.atStart.rss)} at start`,
      ratio: `heap after GC ${mb(memory.afterGc.heapUsed)}`,
      target: `peak ≤ ${TARGETS.rssMb} MB`,
      verdict: verdict(peak <= TARGETS.rssMb * 1024 * 1024),
    },
  );
}

/** The largest share of the CPU other programs took during a timed window (see lib/cpu.ts). */
const foreign = Math.max(
  0,
  ...Object.values(results.ack?.targets ?? {}).map((t) => t.foreignCpuShare),
  ...[results.create, results.pglite, results.createSplit].map((c) => c?.app.foreignCpuShare ?? 0),
  results.mail?.intake.app.foreignCpuShare ?? 0,
  results.mail?.intake.floor.foreignCpuShare ?? 0,
);
const seconds = (Date.now() - t0) / 1000;
const cpu = cpus();
const machine = {
  cpuModel: cpu[0]?.model ?? 'unknown',
  cores: cpu.length,
  memoryBytes: totalmem(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  postgres: serverFacts,
};
const output = {
  date: startedAt.toISOString(),
  quick,
  experiments,
  /** How the app and the floors ran: `node` is compiled, with the `start` script's flags. */
  runtime: {
    kind: runtime.kind,
    startScript: start.script,
    nodeFlags: runtime.kind === 'node' ? runtime.nodeFlags : [],
    app: results.economy?.process,
  },
  seconds,
  git: gitFacts(),
  machine,
  note: 'The load generator and the fake Slack share the machine with the app and Postgres.',
  foreignCpuShare: foreign,
  targets: TARGETS,
  sizes: SIZES,
  table: rows,
  results,
};
const dir = fileURLToPath(new URL('./results/', import.meta.url));
await mkdir(dir, { recursive: true });
await writeFile(`${dir}latest.json`, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(
  `\nFolio benchmarks — ${startedAt.toISOString()}${quick ? ' (quick)' : ''}, ${machine.cpuModel} × ${machine.cores}, Node ${process.version}, ` +
    `${runtime.kind === 'node' ? `app compiled, node ${runtime.nodeFlags.join(' ')}` : 'app under tsx'}\n\n`,
);
process.stdout.write(
  `${printTable(rows)}\n\nWritten to bench/results/latest.json in ${fmt(seconds / 60)} min.\n`,
);
if (foreign > 0.1) {
  process.stdout.write(
    `Warning: other programs used up to ${fmt(foreign * 100, 0)} % of the CPU during a timed window; ` +
      'these figures are less reliable than a run on a quiet machine.\n',
  );
}
process.exit(0);
