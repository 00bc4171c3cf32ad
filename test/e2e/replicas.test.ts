import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ManualClock } from '../../src/lib/clock.js';
import { createTicket } from '../../src/tickets/createTicket.js';
import { snoozeTicket, takeTicket } from '../../src/tickets/workflow/responder.js';
import { FakeSlack } from '../harness/fakeSlack.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { testServices } from '../support/services.js';

/**
 * Two real app processes (`src/main.ts`, as `npm start` runs it) on one Postgres, their jobs firing
 * every second: every SLA reminder, breach escalation and snooze return happens exactly once, and
 * every message reaches Slack once.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const target = inject('folioDb');
const HOUR = 3600_000;
const REQUESTER = 'U_REQ_RITA';
const ANA = 'U_AGENT_ANA';
const BEN = 'U_AGENT_BEN';
const LIA = 'U_LEAD_LIA';

const CONFIG_YAML = `
timezone: UTC
reminders: ["50%"]
desks:
  - key: ops
    name: Ops
    channel: C_OPS
    escalationChannel: C_OPS_ESC
    members: [${ANA}, ${BEN}, ${LIA}]
    leads: [${LIA}]
    assignment: none
    businessHours: {}
    sla:
      low: { firstResponse: 40h, resolution: 4h }
categories:
  - { name: Ops, desk: ops }
schedules:
  sla: "* * * * * *"
  snooze: "* * * * * *"
`;

const children: ChildProcess[] = [];
let database: TestDatabase | undefined;
let fake: FakeSlack | undefined;
let dir: string | undefined;

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await database?.close();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function startReplica(env: Record<string, string>): { child: ChildProcess; output: string[] } {
  const output: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  children.push(child);
  return { child, output };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('two app processes on one Postgres', () => {
  // Several replicas share a Postgres server; PGlite is one process's own database.
  it.skipIf(target.kind !== 'postgres')('alert, escalate and wake exactly once', async () => {
    database = await openTestDatabase();
    fake = await FakeSlack.start();
    dir = await mkdtemp(join(tmpdir(), 'folio-replicas-'));
    const configFile = join(dir, 'desks.yaml');
    await writeFile(configFile, CONFIG_YAML);
    if (!database.url) throw new Error('the test database has no URL');

    // Tickets made in the past, so that their moments are due when the replicas start.
    const now = Date.now();
    const clock = new ManualClock(new Date(now - 3 * HOUR));
    const s = { ...(await testServices(database, { config: parseYaml(CONFIG_YAML), clock })), clock };
    const open = async (subject: string, hoursAgo: number, assignee: string) => {
      clock.set(new Date(now - hoursAgo * HOUR));
      const { ticket } = await createTicket(s, {
        subject,
        categoryId: 1,
        priority: 'low',
        requesterId: REQUESTER,
        createdBy: REQUESTER,
        source: 'api',
      });
      await takeTicket(s, { ticketId: ticket.id, actorId: assignee });
      return ticket;
    };
    await open('Half-way there', 3, ANA); // TKT001: 50% reminder was due an hour ago
    await open('Overdue', 5, BEN); // TKT002: breached an hour ago
    const snoozed = await open('Back soon', 0.5, ANA); // TKT003: its snooze ended a minute ago
    clock.set(new Date(now - 0.4 * HOUR));
    await snoozeTicket(s, {
      ticketId: snoozed.id,
      actorId: ANA,
      until: new Date(now - 60_000),
      reason: 'Waiting for parts',
    });

    const env = {
      SLACK_BOT_TOKEN: 'xoxb-replica',
      SLACK_SIGNING_SECRET: 'replica-secret',
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      DATABASE_URL: database.url,
      HELPDESK_CONFIG: configFile,
      LOG_LEVEL: 'info',
    };
    const a = startReplica(env);
    const b = startReplica(env);
    await until('both replicas to run', () =>
      [a, b].every((r) => r.output.join('').includes('Folio is running')),
    );

    const posts = (channel: string) =>
      fake?.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && !c.fault) ?? [];
    const snoozeNotes = () => posts('C_OPS').filter((c) => String(c.args.text).includes('back from snooze'));
    await until(
      'the alerts and the snooze return',
      () => posts('C_OPS_ESC').length > 0 && posts(ANA).length > 0 && snoozeNotes().length > 0,
    );
    // Several more fires of every job, on both replicas.
    await new Promise((r) => setTimeout(r, 3500));

    expect(posts('C_OPS_ESC')).toHaveLength(1);
    expect(String(posts('C_OPS_ESC')[0]?.args.text)).toBe('Folio: SLA breached (1)');
    expect(JSON.stringify(posts('C_OPS_ESC')[0]?.args.blocks)).toContain('TKT002');
    expect(posts(BEN)).toHaveLength(1);
    expect(posts(LIA)).toHaveLength(1);
    expect(posts(ANA)).toHaveLength(1);
    expect(JSON.stringify(posts(ANA)[0]?.args.blocks)).toContain('TKT001');
    expect(snoozeNotes()).toHaveLength(1);
    // Every card posted once, whichever replica delivered it.
    const cards = posts('C_OPS').filter((c) => !c.args.thread_ts);
    expect(cards.map((c) => String(c.args.text).slice(0, 6)).sort()).toEqual(['TKT001', 'TKT002', 'TKT003']);
  });
});
