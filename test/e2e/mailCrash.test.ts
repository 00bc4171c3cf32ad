import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { FakeSlack } from '../harness/fakeSlack.js';
import { SmtpSink } from '../harness/smtpSink.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { IT_MAILBOX, MAIL_CONFIG, sendMail } from '../support/mail.js';

/**
 * The app process (`src/main.ts`, as `npm start` runs it) killed with SIGKILL after it answered 250 to
 * a mail and before it could post the card or send the desk's answer: a second process on the same
 * database posts the card and sends the mail, once each. On Postgres, and on PGlite under DATA_DIR
 * (the second process opens the data directory the first left behind).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const target = inject('folioDb');
const DESK = 'C_IT_DESK';
const CARLA = 'carla@contractor.example';
/** How long a process gets to start (tsx compiles on the fly) or to deliver. */
const WAIT_MS = 60_000;

const children: ChildProcess[] = [];
const servers: Server[] = [];
/** Connections to the relay and Slack calls held without an answer. */
const heldSockets: Socket[] = [];
const heldCalls: { method: string; res: ServerResponse }[] = [];
let database: TestDatabase | undefined;
let fake: FakeSlack | undefined;
let sink: SmtpSink | undefined;
let dir: string | undefined;

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const socket of heldSockets) socket.destroy();
  for (const call of heldCalls) call.res.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await sink?.close();
  await fake?.close();
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  /** Its log, one JSON object per line. */
  lines: Record<string, unknown>[];
  exited: Promise<unknown>;
}

function startApp(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  const read = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, lines, exited };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = WAIT_MS): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function listening(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A relay that takes the connection and never says a word. */
const silentRelay = () => listening(createServer((socket) => heldSockets.push(socket)));

/**
 * A Slack that answers who is a member (nobody) and leaves every other call without an answer: the
 * mail is taken in, its card never posted.
 */
const stalledSlack = () =>
  listening(
    createHttpServer((req, res) => {
      const method = new URL(req.url ?? '/', 'http://slack').pathname.replace(/^\/api\//, '');
      req.resume();
      if (method === 'users.lookupByEmail') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'users_not_found' }));
        return;
      }
      heldCalls.push({ method, res });
    }),
  );

describe('a crash between 250 and the deliveries', () => {
  it('posts the card and sends the desk’s mail after a restart, once each', async () => {
    fake = await FakeSlack.start();
    sink = await SmtpSink.start();
    dir = await mkdtemp(join(tmpdir(), 'folio-mail-crash-'));
    const configFile = join(dir, 'desks.json');
    await writeFile(configFile, JSON.stringify(MAIL_CONFIG));
    let databaseEnv: Record<string, string>;
    if (target.kind === 'postgres') {
      database = await openTestDatabase();
      if (!database.url) throw new Error('the test database has no URL');
      databaseEnv = { DATABASE_URL: database.url };
    } else {
      databaseEnv = { DATA_DIR: join(dir, 'data') };
    }
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-crash-test',
      SLACK_SIGNING_SECRET: 'crash-test-secret',
      PORT: '0',
      HELPDESK_CONFIG: configFile,
      LOG_LEVEL: 'info',
      SMTP_PORT: '0',
      SMTP_HOST: '127.0.0.1',
      ...databaseEnv,
    };

    // The first process's deliveries all hang mid-request: it dies before any is answered.
    const first = startApp({
      ...env,
      SLACK_API_URL: `http://127.0.0.1:${await stalledSlack()}/api/`,
      SMTP_URL: `smtp://127.0.0.1:${await silentRelay()}`,
    });
    const smtpPort = await until('the first process’s SMTP server', () => {
      const port = first.lines.find((line) => line.msg === 'SMTP server listening')?.port;
      return typeof port === 'number' ? port : undefined;
    });
    const answer = await sendMail(smtpPort, {
      from: { name: 'Carla Ruiz', address: CARLA },
      to: IT_MAILBOX,
      subject: 'Laptop stolen',
      text: 'My laptop was stolen from the car this morning.',
      messageId: '<stolen.1@contractor.example>',
    });
    expect(answer).toMatchObject({ code: 250 });
    // The card is on its way to Slack, the desk's mail to the relay: both wait for an answer.
    await until('the card and the mail in flight', () =>
      heldSockets.length > 0 && heldCalls.some((call) => call.method === 'chat.postMessage')
        ? true
        : undefined,
    );
    first.child.kill('SIGKILL');
    await first.exited;

    // The dead process's claims last their lease (60 s): as if it had run out.
    const expireLeases = sql`update outbox set locked_until = now() - interval '1 second' where locked_until is not null`;
    if (database) await database.db.execute(expireLeases);
    else {
      const left = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') });
      await left.db.execute(expireLeases);
      await left.close();
    }

    const second = startApp({ ...env, SLACK_API_URL: fake.apiUrl, SMTP_URL: sink.url });
    await fake.waitForCall('chat.postMessage', (args) => args.channel === DESK, { timeoutMs: WAIT_MS });
    const created = await sink.waitFor((mail) => mail.envelope.to.includes(CARLA), WAIT_MS);
    second.child.kill('SIGTERM');
    await second.exited;

    const cards = fake.messagesIn(DESK).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    expect(cards.map((m) => m.text)).toEqual(['TKT001: Laptop stolen (Open, Medium)']);
    expect(JSON.stringify(cards[0]?.blocks)).toContain(`by email from ${CARLA}`);
    expect(sink.messages).toHaveLength(1);
    expect(created.subject).toBe('Re: [TKT001] Laptop stolen');
    expect(created.inReplyTo).toBe('stolen.1@contractor.example');
  }, 240_000);
});
