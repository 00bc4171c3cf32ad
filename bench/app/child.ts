import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { App, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { type RunningFolio, startFolio } from '../../src/app.js';
import { parseHelpdeskConfig } from '../../src/config/desks.js';
import { parseEnv } from '../../src/config/env.js';
import { type Database, type Db, openDatabase, queryRows, sql } from '../../src/db/client.js';
import * as schema from '../../src/db/schema/index.js';
import { DeskDirectory } from '../../src/desks/directory.js';
import { createLogger, type FolioLogger } from '../../src/lib/logger.js';
import { startSmtpServer } from '../../src/mail/inbound/smtpServer.js';
import { OutboxRelay } from '../../src/outbox/relay.js';
import { slackDeliverer } from '../../src/slack/delivery/deliverer.js';
import { BENCH_CONFIG, BENCH_MAIL_CONFIG, BENCH_MAILBOX, BOT_TOKEN, SIGNING_SECRET } from '../lib/config.js';
import type { ChildOptions, Command, LogSummary, Memory, Reply, Request } from './protocol.js';

/**
 * The process the bench measures: Folio itself (`startFolio`, as src/main.ts starts it for `npm start`),
 * or one of the floors — a Bolt app with the same receiver settings whose listeners only ack, a bare
 * `node:http` server that only verifies the signature, and Folio's SMTP server discarding every mail. It is its own process so that its event loop
 * and its memory are its own, not shared with the load generator and the fake Slack.
 * The runner compiles it with the app and runs it as `npm start` runs dist/main.js (lib/compile.ts).
 */

const options = JSON.parse(process.env.BENCH_CHILD ?? '{}') as ChildOptions;

function send(reply: Reply): void {
  process.send?.(reply);
}

/** Log lines at info and debug are built (their cost is real) and dropped; warnings are counted. */
const summary: LogSummary = { counts: {}, samples: [] };
function benchLogger(): FolioLogger {
  return createLogger(LogLevel.INFO, {
    secrets: [SIGNING_SECRET],
    sink: (line, level) => {
      if (level !== LogLevel.WARN && level !== LogLevel.ERROR) return;
      const { msg } = JSON.parse(line) as { msg?: string };
      const key = `${level}: ${msg ?? ''}`;
      summary.counts[key] = (summary.counts[key] ?? 0) + 1;
      if (summary.samples.length < 5) summary.samples.push(line.slice(0, 2000));
    },
  });
}

const statements: Record<string, number> = {};

/** `select tickets`, `insert outbox`, `with … update outbox`: the verb and the table a statement is about. */
function statementKind(query: string): string {
  const q = query.replace(/\s+/g, ' ').trim().toLowerCase();
  const write = /^(?:with .*\) )?(insert into|update|delete from) "?(\w+)"?/.exec(q);
  if (write) return `${q.startsWith('with') ? 'with … ' : ''}${write[1]?.split(' ')[0]} ${write[2]}`;
  const verb = /^(\w+)/.exec(q)?.[1] ?? '';
  return `${verb} ${/\bfrom "?(\w+)"?/.exec(q)?.[1] ?? ''}`;
}

/** The database src/db/client.ts opens for a Postgres URL, with a drizzle logger that counts statements. */
async function countingDatabase(url: string): Promise<Database> {
  const sessions = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzle(client, {
    schema,
    casing: 'snake_case',
    logger: {
      logQuery: (query) => {
        const kind = statementKind(query);
        statements[kind] = (statements[kind] ?? 0) + 1;
      },
    },
  }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    withSession: (fn) => sessions.withSession(fn),
    ping: () => sessions.ping(),
    async close() {
      await client.end({ timeout: 5 });
      await sessions.close();
    },
  };
}

interface Running {
  port: number;
  smtpPort?: number | undefined;
  settle(timeoutMs?: number): Promise<void>;
  runJob(name: string, at: Date): Promise<unknown>;
  stop(): Promise<void>;
}

async function startApp(): Promise<Running> {
  const log = benchLogger();
  const env = parseEnv({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    PORT: '0',
    LOG_LEVEL: 'info',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.mail ? { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1', SMTP_URL: options.mail.smtpUrl } : {}),
  });
  const database = options.databaseUrl
    ? options.countQueries
      ? await countingDatabase(options.databaseUrl)
      : undefined
    : await openDatabase({ kind: 'pglite' });
  const folio: RunningFolio = await startFolio({
    env,
    config: parseHelpdeskConfig(options.mail ? BENCH_MAIL_CONFIG : BENCH_CONFIG),
    log,
    scheduler: 'manual',
    ...(database ? { database } : {}),
  });
  // The web half of the split experiment: commits kick a relay that is not running here.
  if (options.mode === 'folio-web') await folio.relay.stop();
  return {
    port: folio.port,
    smtpPort: folio.smtpPort,
    async settle(timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        await folio.services.background.idle();
        if (options.mode !== 'folio-web') await folio.relay.drain();
        const [row] = await queryRows<{ n: number }>(
          folio.services.db,
          sql`select count(*)::int as n from outbox where delivered_at is null and failed_at is null`,
        );
        if ((row?.n ?? 0) === 0) return;
        if (Date.now() > until)
          throw new Error(`${row?.n} outbox rows still pending after ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    runJob: (name, at) => folio.scheduler.runNow(name, at),
    async stop() {
      await folio.stop();
      await database?.close();
    },
  };
}

/** The worker half of the split experiment: the outbox relay alone, configured as src/app.ts configures it. */
async function startRelayOnly(): Promise<Running> {
  if (!options.databaseUrl) throw new Error('folio-relay needs a Postgres URL');
  const database = await openDatabase({ kind: 'postgres', url: options.databaseUrl });
  const log = benchLogger();
  const slack = new WebClient(BOT_TOKEN, {
    slackApiUrl: options.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: log.child({ component: 'web-api' }),
  });
  const outboxLog = log.child({ component: 'outbox' });
  const relay = new OutboxRelay({
    db: database.db,
    deliverers: [slackDeliverer({ db: database.db, directory: new DeskDirectory(), slack, log: outboxLog })],
    log: outboxLog,
    pollMs: 20,
  });
  relay.start();
  return {
    port: 0,
    async settle() {
      await relay.drain();
    },
    runJob: noJobs,
    async stop() {
      await relay.stop();
      await database.close();
    },
  };
}

const noJobs = (): Promise<unknown> => Promise.reject(new Error(`${options.mode} runs no jobs`));

async function startNoopBolt(): Promise<Running> {
  // Imported here so that Folio's process (whose memory is measured) does not load the fake.
  const { FAKE_BOT } = await import('../../test/harness/fakeSlack.js');
  const app = new App({
    token: BOT_TOKEN,
    // Bolt's floor: with the bot's ids given it never calls auth.test (src/app.ts's
    // `tokenVerificationEnabled: false` makes Bolt 5.1 call it on every request; see docs/benchmarks.md).
    botId: FAKE_BOT.botId,
    botUserId: FAKE_BOT.userId,
    signingSecret: SIGNING_SECRET,
    logger: benchLogger(),
    logLevel: LogLevel.INFO,
    clientOptions: { slackApiUrl: options.slackApiUrl },
    // The same receiver settings as Folio's (src/app.ts).
    processBeforeResponse: true,
  });
  const ack = async ({ ack }: { ack: () => Promise<void> }) => ack();
  app.command(/.*/, ack);
  app.action(/.*/, ack);
  app.view(/.*/, ack);
  app.shortcut(/.*/, ack);
  const server = (await app.start(0)) as unknown as Server;
  return {
    port: (server.address() as AddressInfo).port,
    settle: async () => {},
    runJob: noJobs,
    stop: () => app.stop().then(() => undefined),
  };
}

/** Verifies `v0=HMAC-SHA256(secret, "v0:" + timestamp + ":" + rawBody)` and answers 200, or 401. */
async function startBareHttp(): Promise<Running> {
  const verify = (req: IncomingMessage, body: Buffer): boolean => {
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signature = String(req.headers['x-slack-signature'] ?? '');
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
    const expected = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
    const a = Buffer.from(signature);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(verify(req, Buffer.concat(chunks)) ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    settle: async () => {},
    runJob: noJobs,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The floor of mail intake: the app's SMTP server, started as src/mail/channel.ts starts it (the
 * limits of smtpServer.ts, the default SMTP_MAX_BYTES), with an intake that takes the bench's mailbox
 * and discards each mail once read whole: the SMTP conversation and the buffering without the parsing
 * and the transaction.
 */
async function startSmtpFloor(): Promise<Running> {
  const env = parseEnv({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET });
  const server = await startSmtpServer({
    host: '127.0.0.1',
    port: 0,
    maxBytes: env.SMTP_MAX_BYTES,
    intake: {
      isMailbox: async (address) => address === BENCH_MAILBOX,
      receive: async () => {},
    },
    log: benchLogger(),
  });
  return {
    port: 0,
    smtpPort: server.port,
    settle: async () => {},
    runJob: noJobs,
    stop: () => server.close(),
  };
}

let profiler: Session | undefined;

async function startProfile(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}

async function stopProfile(file: string): Promise<void> {
  if (!profiler) return;
  const { profile } = await profiler.post('Profiler.stop');
  await writeFile(file, JSON.stringify(profile));
  profiler.disconnect();
  profiler = undefined;
}

function memory(gc: boolean): Memory {
  if (gc) (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
}

const running = await (options.mode === 'folio' || options.mode === 'folio-web'
  ? startApp()
  : options.mode === 'folio-relay'
    ? startRelayOnly()
    : options.mode === 'bolt-noop'
      ? startNoopBolt()
      : options.mode === 'smtp-floor'
        ? startSmtpFloor()
        : startBareHttp());

async function handle(c: Command): Promise<unknown> {
  switch (c.cmd) {
    case 'settle':
      return running.settle(c.timeoutMs);
    case 'memory':
      return memory(c.gc);
    case 'cpu':
      return process.cpuUsage();
    case 'logs':
      return summary;
    case 'queries':
      return statements;
    case 'profile':
      return c.action === 'start' ? startProfile() : stopProfile(c.file);
    case 'runJob':
      return running.runJob(c.name, new Date(c.at));
    case 'stop':
      await running.stop();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

process.on('message', (message: Request) => {
  handle(message).then(
    (value) => send({ type: 'result', id: message.id, ok: true, value }),
    (error: unknown) => send({ type: 'result', id: message.id, ok: false, error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({
  type: 'ready',
  port: running.port,
  ...(running.smtpPort !== undefined ? { smtpPort: running.smtpPort } : {}),
  process: {
    node: process.version,
    execArgv: process.execArgv,
    heapSizeLimit: getHeapStatistics().heap_size_limit,
    entry: process.argv[1] ?? '',
  },
});
