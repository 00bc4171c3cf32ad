import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { openDatabase } from '../../src/db/client.js';
import { mailMessages, outbox, tickets } from '../../src/db/schema/index.js';
import { FAKE_BOT_TOKEN, FakeSlack } from '../harness/fakeSlack.js';
import { SmtpSink } from '../harness/smtpSink.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { settle } from '../support/flows.js';
import { SIGNING_SECRET, startTestFolio, type TestFolio } from '../support/folio.js';
import { IT_MAILBOX, MAIL_DESKS_CONFIG, mailRowCounts, rawMail, sendMail } from '../support/mailEdge.js';

/**
 * The app killed (SIGKILL) after it answered a mail 250 and before the ticket's card reached Slack:
 * the real app in a child process (`src/main.ts`, as `npm start` runs it) takes a mail by SMTP while
 * Slack answers every post with a 500, and dies; the app started again on the same database, with
 * Slack healthy, posts the card, once. On Postgres and on PGlite alike: a PGlite data directory is
 * opened by one process at a time, and the second opens it only once the first is dead.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const target = inject('folioDb');
const IT_CHANNEL = 'C_IT_DESK';
const CONTRACTOR = 'carla@contractor.example';
/** How long the child may take to start (tsx compiles it; PGlite opens its data directory). */
const START_TIMEOUT_MS = 60_000;

interface Child {
  process: ChildProcess;
  /** Every log line, parsed (the app logs one JSON object per line). */
  logs: Record<string, unknown>[];
  exited: Promise<NodeJS.Signals | number | null>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function startApp(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  const logs: Record<string, unknown>[] = [];
  let pending = '';
  const read = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { process: child, logs, exited };
}

async function until<T>(
  what: string,
  probe: () => T | undefined,
  logs: unknown[],
  timeoutMs = START_TIMEOUT_MS,
) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) {
      throw new Error(
        `timed out waiting for ${what}; the app logged:\n${logs.map((l) => JSON.stringify(l)).join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Where the child's database lives, and how to open it again in this process once the child is dead. */
async function childDatabase(
  dir: string,
): Promise<{ env: Record<string, string>; reopen(): Promise<TestDatabase> }> {
  if (target.kind === 'postgres') {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    if (!database.url) throw new Error('the test database has no URL');
    return { env: { DATABASE_URL: database.url }, reopen: async () => database };
  }
  // The run's migrated template, written to a data directory the child opens (DATA_DIR).
  const dataDir = join(dir, 'data');
  const seeded = await openDatabase({
    kind: 'pglite',
    dataDir,
    loadDataDir: new Blob([await readFile(target.dump)]),
  });
  await seeded.close();
  return {
    env: { DATA_DIR: dataDir },
    reopen: async () => {
      const database = await openDatabase({ kind: 'pglite', dataDir });
      cleanups.push(() => database.close());
      // Nothing to empty: this database is this test's alone.
      return { ...database, resetTickets: async () => {} };
    },
  };
}

describe('the app killed between the 250 and the card', () => {
  it('posts the card once after a restart on the same database', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'folio-mail-crash-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const fake = await FakeSlack.start();
    cleanups.push(() => fake.close());
    const sink = await SmtpSink.start();
    cleanups.push(() => sink.close());
    const configFile = join(dir, 'desks.yaml');
    await writeFile(configFile, toYaml(MAIL_DESKS_CONFIG));
    const database = await childDatabase(dir);

    // Slack is down for the first app: every post is answered 500, so the card cannot be posted.
    let slackDown = true;
    fake.fail('chat.postMessage', { kind: 'server_error' }, { times: 1_000, when: () => slackDown });

    const first = startApp({
      SLACK_BOT_TOKEN: FAKE_BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      SMTP_PORT: '0',
      SMTP_HOST: '127.0.0.1',
      SMTP_URL: sink.url,
      HELPDESK_CONFIG: configFile,
      LOG_LEVEL: 'info',
      ...database.env,
    });
    const smtpPort = await until(
      'the app to take mail',
      () => {
        const running = first.logs.some((l) => String(l.msg).startsWith('Folio is running'));
        const listening = first.logs.find((l) => l.msg === 'SMTP server listening');
        return running && typeof listening?.port === 'number' ? listening.port : undefined;
      },
      first.logs,
    );

    const answer = await sendMail(
      smtpPort,
      rawMail({
        from: `Carla <${CONTRACTOR}>`,
        subject: 'Door badge stopped working',
        body: 'Since this morning the badge reader refuses my card.',
      }),
      { mailFrom: CONTRACTOR, to: [IT_MAILBOX] },
    );
    expect(answer).toMatchObject({ accepted: true, response: expect.stringMatching(/^250 /) });

    // The card was tried and refused; the relay has put it back for later.
    await until(
      'the card to be tried and put back',
      () => first.logs.find((l) => l.msg === 'Outbox delivery failed; will retry' && l.kind === 'card.post'),
      first.logs,
    );
    // The log line comes just before the row is put back, in one statement: give that statement its
    // moment, so the restarted app does not wait out the dead one's lease (it would still post once).
    await new Promise((resolve) => setTimeout(resolve, 500));
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(fake.messagesIn(IT_CHANNEL)).toEqual([]);

    // Slack is back; the app starts again on the same database.
    slackDown = false;
    const db = await database.reopen();
    const second: TestFolio = await startTestFolio({
      database: db,
      fake,
      config: MAIL_DESKS_CONFIG,
      env: { SMTP_URL: sink.url },
    });
    cleanups.push(() => second.stop());

    // The failed post was answered 500: Slack may have acted on it, so the retry waits the request
    // timeout of the dead app (10 s) before it looks for the card and posts it.
    await fake.waitForCall('chat.postMessage', (args, call) => args.channel === IT_CHANNEL && !call.fault, {
      timeoutMs: 30_000,
    });
    await settle(second);

    const cards = fake
      .messagesIn(IT_CHANNEL)
      .filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && String(m.text).startsWith('TKT001:'));
    expect(cards).toHaveLength(1);
    expect(cards[0]?.text).toBe('TKT001: Door badge stopped working (Open, Medium)');

    // The mail and its ticket, once; nothing left to deliver.
    const storedTickets = await db.db.select().from(tickets).orderBy(asc(tickets.id));
    expect(storedTickets.map((t) => [t.folio, t.requesterEmail, t.description])).toEqual([
      ['TKT001', CONTRACTOR, 'Since this morning the badge reader refuses my card.'],
    ]);
    expect(await db.db.select().from(mailMessages).where(eq(mailMessages.direction, 'in'))).toHaveLength(1);
    expect(await mailRowCounts(db.db)).toMatchObject({ tickets: 1, comments: 0 });
    const pending = await db.db.select().from(outbox);
    expect(pending.filter((row) => row.deliveredAt === null)).toEqual([]);
    // The contractor's notice, however often its delivery was tried, is one mail to their client.
    const notices = sink.messages.filter((m) => m.subject.includes('[TKT001]'));
    expect(notices.length).toBeGreaterThan(0);
    expect(new Set(notices.map((m) => m.messageId)).size).toBe(1);
  }, 120_000);
});
