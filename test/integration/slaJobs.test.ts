import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SlaTimerRow, slaTimers, ticketEvents, tickets } from '../../src/db/schema/index.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { autoClose } from '../../src/jobs/autoClose.js';
import type { Job } from '../../src/jobs/job.js';
import { slaSweep } from '../../src/jobs/sla.js';
import { snoozeReturn } from '../../src/jobs/snooze.js';
import { ManualClock } from '../../src/lib/clock.js';
import type { OutboxRelay } from '../../src/outbox/relay.js';
import type { Services } from '../../src/services.js';
import { createTicket } from '../../src/tickets/createTicket.js';
import { addRequesterComment } from '../../src/tickets/workflow/conversation.js';
import { escalateTicket } from '../../src/tickets/workflow/escalate.js';
import {
  replyToRequester,
  resolveTicket,
  setPriority,
  setStatus,
  snoozeTicket,
  takeTicket,
} from '../../src/tickets/workflow/responder.js';
import { FakeSlack } from '../harness/fakeSlack.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { memoryLogger, testRelay, testServices } from '../support/services.js';

/**
 * SLA clocks, reminders, escalations, snoozes and auto-close, with a clock the tests move. The desk
 * works Monday to Friday, 09:00–17:00 in Madrid. Low priority answers within 40 business hours (so
 * its first-response clock stays quiet here) and resolves within 4; urgent resolves within 2.
 */
const REQUESTER = 'U_REQ_RITA';
const ANA = 'U_AGENT_ANA';
const BEN = 'U_AGENT_BEN';
const LIA = 'U_LEAD_LIA';
const CONFIG = {
  timezone: 'Europe/Madrid',
  reminders: ['75%', '30m'],
  desks: [
    {
      key: 'ops',
      name: 'Ops',
      channel: 'C_OPS',
      escalationChannel: 'C_OPS_ESC',
      members: [ANA, BEN, LIA],
      leads: [LIA],
      assignment: 'none',
      autoCloseAfterDays: 3,
      holidays: ['2026-12-08'],
      sla: {
        low: { firstResponse: '40h', resolution: '4h' },
        urgent: { firstResponse: '1h', resolution: '2h' },
      },
    },
  ],
  categories: [{ name: 'Ops', desk: 'ops' }],
} satisfies HelpdeskConfigInput;

let database: TestDatabase;
let fake: FakeSlack;
let clock: ManualClock;
let s: Services;
let relay: OutboxRelay;

beforeAll(async () => {
  database = await openTestDatabase();
  fake = await FakeSlack.start();
  clock = new ManualClock('2026-11-23T08:00:00Z');
  s = { ...(await testServices(database, { config: CONFIG, clock })), clock };
  relay = testRelay(database, fake);
});
afterAll(async () => {
  await database?.close();
  await fake?.close();
});
beforeEach(async () => {
  await database.resetTickets();
  fake.reset();
});

/** Madrid wall time → Date. November is UTC+1, late March after the change UTC+2. */
const madrid = (local: string, offset = '+01:00') => new Date(`${local}${offset}`);

async function open(at: Date, priority: 'low' | 'urgent' = 'low', subject = 'Router down') {
  clock.set(at);
  const { ticket } = await createTicket(s, {
    subject,
    categoryId: 1,
    priority,
    requesterId: REQUESTER,
    createdBy: REQUESTER,
    source: 'api',
  });
  return ticket;
}

async function clockOf(ticketId: number, kind: SlaTimerRow['kind']) {
  const rows = await database.db.select().from(slaTimers).where(eq(slaTimers.ticketId, ticketId));
  return rows.find((r) => r.kind === kind);
}

/** Runs a job at `at` as the scheduler would, then lets the relay deliver what it queued. */
async function runAt(job: Job, at: Date) {
  clock.set(at);
  const summary = await job.run(
    { db: database.db, log: memoryLogger().log, clock, outbox: { kick: () => {} } },
    at,
  );
  await relay.drain();
  return summary;
}

const posts = (channel: string) => fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);

describe('SLA clocks', () => {
  it('counts a 4-business-hour target from Friday 16:00 to Monday 12:00 in the desk’s zone', async () => {
    const t = await open(madrid('2026-11-20T16:00:00'));
    expect((await clockOf(t.id, 'resolution'))?.dueAt?.toISOString()).toBe(
      madrid('2026-11-23T12:00:00').toISOString(),
    );
  });

  it('is right across a daylight-saving change', async () => {
    // Clocks go forward in Madrid on Sunday 29 March 2026: Friday is UTC+1, Monday UTC+2.
    const t = await open(madrid('2026-03-27T16:00:00', '+01:00'));
    expect((await clockOf(t.id, 'resolution'))?.dueAt?.toISOString()).toBe('2026-03-30T10:00:00.000Z');
  });

  it('pauses while Waiting on requester and resumes with the time it had left', async () => {
    const t = await open(madrid('2026-11-23T10:00:00'));
    clock.set(madrid('2026-11-23T11:00:00'));
    await setStatus(s, { ticketId: t.id, actorId: ANA, to: 'waiting', question: 'Which building?' });
    const paused = await clockOf(t.id, 'resolution');
    expect(paused).toMatchObject({ dueAt: null, remainingSeconds: 3 * 3600, nextAlertAt: null });
    // The question was the first response.
    expect((await clockOf(t.id, 'first_response'))?.metAt?.toISOString()).toBe(
      madrid('2026-11-23T11:00:00').toISOString(),
    );

    clock.set(madrid('2026-11-24T10:00:00'));
    await addRequesterComment(s, {
      ticketId: t.id,
      actorId: REQUESTER,
      body: 'Building B',
      files: [],
      slack: { channel: 'D_REQ_RITA', ts: '1795000000.000100' },
    });
    const resumed = await clockOf(t.id, 'resolution');
    expect(resumed?.dueAt?.toISOString()).toBe(madrid('2026-11-24T13:00:00').toISOString());
    expect(resumed?.deadlineVersion).toBe(2);
  });

  it('recomputes from the time already used when the priority changes', async () => {
    const t = await open(madrid('2026-11-23T09:00:00'));
    clock.set(madrid('2026-11-23T10:00:00'));
    await setPriority(s, { ticketId: t.id, actorId: ANA, priority: 'urgent', reason: 'CEO affected' });
    // One of urgent's two hours is used: due one business hour from now.
    expect((await clockOf(t.id, 'resolution'))?.dueAt?.toISOString()).toBe(
      madrid('2026-11-23T11:00:00').toISOString(),
    );
  });

  it('meets the clocks on resolution, and resumes the resolution clock if the ticket reopens', async () => {
    const t = await open(madrid('2026-11-23T09:00:00'));
    clock.set(madrid('2026-11-23T10:00:00'));
    await resolveTicket(s, { ticketId: t.id, actorId: ANA, resolution: 'Rebooted' });
    expect((await clockOf(t.id, 'resolution'))?.metAt).not.toBeNull();
    clock.set(madrid('2026-11-24T09:00:00'));
    await addRequesterComment(s, {
      ticketId: t.id,
      actorId: REQUESTER,
      body: 'Down again',
      files: [],
      slack: { channel: 'D_REQ_RITA', ts: '1795000000.000200' },
    });
    const reopened = await clockOf(t.id, 'resolution');
    expect(reopened?.metAt).toBeNull();
    expect(reopened?.dueAt?.toISOString()).toBe(madrid('2026-11-24T12:00:00').toISOString());
  });
});

describe('reminders and escalations', () => {
  it('sends each reminder once, then the breach to the escalation channel, the assignee and the lead', async () => {
    const t = await open(madrid('2026-11-23T09:00:00'));
    await takeTicket(s, { ticketId: t.id, actorId: ANA });
    // Resolution due 13:00; reminders at 75% (12:00) and 30 minutes before (12:30).
    for (const at of ['11:59', '12:00', '12:01', '12:15', '12:30', '12:45', '13:00', '13:05', '16:00']) {
      await runAt(slaSweep, madrid(`2026-11-23T${at}:00`));
    }
    const toAna = posts(ANA).map((c) => String(c.args.text));
    expect(toAna).toEqual(['Folio: SLA due soon (1)', 'Folio: SLA due soon (1)', 'Folio: SLA breached (1)']);
    expect(JSON.stringify(posts(ANA)[0]?.args.blocks)).toContain('75% of the time used');
    expect(JSON.stringify(posts(ANA)[1]?.args.blocks)).toContain('30m left');
    expect(posts('C_OPS_ESC')).toHaveLength(1);
    expect(posts(LIA)).toHaveLength(1);
    expect(posts(BEN)).toHaveLength(0);
    const types = (await database.db.select().from(ticketEvents).orderBy(asc(ticketEvents.id))).map(
      (e) => e.type,
    );
    expect(types.filter((x) => x.startsWith('sla.'))).toEqual([
      'sla.reminder',
      'sla.reminder',
      'sla.breached',
    ]);
  });

  it('sends only the nearest reminder after a three-hour outage, not a burst', async () => {
    const t = await open(madrid('2026-11-23T09:00:00'));
    await takeTicket(s, { ticketId: t.id, actorId: ANA });
    await runAt(slaSweep, madrid('2026-11-23T09:40:00'));
    // No sweep ran between 09:40 and 12:40: the 12:00 reminder was missed, the 12:30 one is due.
    await runAt(slaSweep, madrid('2026-11-23T12:40:00'));
    expect(posts(ANA)).toHaveLength(1);
    expect(JSON.stringify(posts(ANA)[0]?.args.blocks)).toContain('30m left');
    await runAt(slaSweep, madrid('2026-11-23T12:50:00'));
    expect(posts(ANA)).toHaveLength(1);
  });

  it('gathers 30 breaches of one sweep into one digest per channel and person', async () => {
    for (let i = 0; i < 30; i++) {
      const t = await open(madrid('2026-11-23T09:00:00'), 'low', `Request ${i}`);
      await takeTicket(s, { ticketId: t.id, actorId: i % 2 === 0 ? ANA : BEN });
    }
    const summary = await runAt(slaSweep, madrid('2026-11-23T14:00:00'));
    expect(summary).toMatchObject({ breaches: 30, reminders: 0 });
    expect(posts('C_OPS_ESC')).toHaveLength(1);
    expect(posts(ANA)).toHaveLength(1);
    expect(posts(BEN)).toHaveLength(1);
    expect(posts(LIA)).toHaveLength(1);
    expect(String(posts('C_OPS_ESC')[0]?.args.text)).toBe('Folio: SLA breached (30)');
    expect(JSON.stringify(posts('C_OPS_ESC')[0]?.args.blocks).match(/TKT0\d\d/g)).toHaveLength(30);
  });

  it('lets the requester escalate only once the promise is overdue', async () => {
    const t = await open(madrid('2026-11-23T09:00:00'));
    clock.set(madrid('2026-11-23T12:00:00'));
    await expect(escalateTicket(s, { ticketId: t.id, actorId: REQUESTER })).rejects.toMatchObject({
      code: 'illegal_transition',
    });
    clock.set(madrid('2026-11-23T13:30:00'));
    await escalateTicket(s, { ticketId: t.id, actorId: REQUESTER });
    await expect(escalateTicket(s, { ticketId: t.id, actorId: REQUESTER })).rejects.toMatchObject({
      code: 'duplicate',
    });
    await expect(escalateTicket(s, { ticketId: t.id, actorId: BEN })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await relay.drain();
    expect(posts('C_OPS_ESC').map((c) => String(c.args.text))).toEqual([
      expect.stringContaining(`<@${REQUESTER}> escalated *TKT001*`),
    ]);
    expect(posts(LIA)).toHaveLength(1);
  });
});

describe('snooze and auto-close', () => {
  it('brings a snoozed ticket back at its time and not before, telling the assignee in the thread', async () => {
    const t = await open(madrid('2026-11-23T09:00:00'));
    await takeTicket(s, { ticketId: t.id, actorId: ANA });
    await relay.drain();
    await snoozeTicket(s, {
      ticketId: t.id,
      actorId: ANA,
      until: madrid('2026-11-23T15:00:00'),
      reason: 'Parts on order',
    });
    await runAt(snoozeReturn, madrid('2026-11-23T14:59:00'));
    expect((await database.db.select().from(tickets))[0]?.snoozedUntil).not.toBeNull();
    await runAt(snoozeReturn, madrid('2026-11-23T15:00:00'));
    const [row] = await database.db.select().from(tickets);
    expect(row).toMatchObject({ snoozedUntil: null, status: 'in_progress' });
    const note = posts('C_OPS').find((c) => c.args.thread_ts === row?.cardTs);
    expect(String(note?.args.text)).toContain(
      `<@${ANA}>, *TKT001* is back from snooze (snoozed for: Parts on order)`,
    );
    await runAt(snoozeReturn, madrid('2026-11-23T15:01:00'));
    expect(posts('C_OPS').filter((c) => c.args.thread_ts === row?.cardTs)).toHaveLength(1);
  });

  it('keeps a ticket resolved meanwhile resolved when its snooze ends', async () => {
    const t = await open(madrid('2026-11-23T09:00:00'));
    await snoozeTicket(s, {
      ticketId: t.id,
      actorId: ANA,
      until: madrid('2026-11-23T15:00:00'),
      reason: 'Later',
    });
    await resolveTicket(s, { ticketId: t.id, actorId: ANA });
    await runAt(snoozeReturn, madrid('2026-11-23T15:00:00'));
    expect((await database.db.select().from(tickets))[0]).toMatchObject({
      status: 'resolved',
      snoozedUntil: null,
    });
  });

  it('closes a resolved ticket nobody answered within three business days, telling the requester', async () => {
    const t = await open(madrid('2026-11-23T09:00:00'));
    await replyToRequester(s, { ticketId: t.id, actorId: ANA, body: 'Fixed the cable' });
    clock.set(madrid('2026-11-23T10:00:00'));
    await resolveTicket(s, { ticketId: t.id, actorId: ANA });
    await relay.drain();
    await runAt(autoClose, madrid('2026-11-26T09:59:00'));
    expect((await database.db.select().from(tickets))[0]?.status).toBe('resolved');
    await runAt(autoClose, madrid('2026-11-26T10:00:00'));
    expect((await database.db.select().from(tickets))[0]?.status).toBe('closed');
    expect(posts(fake.dmChannelOf(REQUESTER)).at(-1)?.args.text).toContain('*TKT001* is now closed');
  });

  it('does not count a holiday as a business day before closing', async () => {
    const t = await open(madrid('2026-12-07T09:00:00'));
    clock.set(madrid('2026-12-07T10:00:00'));
    await resolveTicket(s, { ticketId: t.id, actorId: ANA });
    // Tuesday 8 December is a holiday: three business days end on Friday 11, not Thursday.
    await runAt(autoClose, madrid('2026-12-10T10:00:00'));
    await runAt(autoClose, madrid('2026-12-11T09:59:00'));
    expect((await database.db.select().from(tickets))[0]?.status).toBe('resolved');
    await runAt(autoClose, madrid('2026-12-11T10:00:00'));
    expect((await database.db.select().from(tickets))[0]?.status).toBe('closed');
  });
});

describe('a sweep after a long outage', () => {
  it('sends one digest per channel and person even with hundreds of breaches', async () => {
    // Set-based: 600 tickets whose resolution clocks broke their deadline an hour ago.
    const base = await open(madrid('2026-11-23T09:00:00'), 'low', 'Template');
    await takeTicket(s, { ticketId: base.id, actorId: ANA });
    await database.db.execute(sql`
      insert into tickets (folio, subject, desk_key, category_id, priority, status, requester_id, assignee_id, created_by, source)
      select 'OUT' || lpad(g::text, 4, '0'), 'Outage ' || g, 'ops', 1, 'low', 'open', ${REQUESTER}, ${BEN}, ${REQUESTER}, 'api'
      from generate_series(1, 599) g`);
    await database.db.execute(sql`
      insert into sla_timers (ticket_id, kind, target_minutes, started_at, due_at, next_alert_at, reminders_sent)
      select id, 'resolution', 240, ${madrid('2026-11-23T09:00:00').toISOString()}::timestamptz,
        ${madrid('2026-11-23T13:00:00').toISOString()}::timestamptz, ${madrid('2026-11-23T13:00:00').toISOString()}::timestamptz, 2
      from tickets where folio like 'OUT%'`);
    const summary = await runAt(slaSweep, madrid('2026-11-23T14:00:00'));
    expect(summary).toMatchObject({ breaches: 600 });
    expect(posts('C_OPS_ESC')).toHaveLength(1);
    expect(String(posts('C_OPS_ESC')[0]?.args.text)).toBe('Folio: SLA breached (600)');
    expect(JSON.stringify(posts('C_OPS_ESC')[0]?.args.blocks)).toContain('and 560 more');
    expect(posts(LIA)).toHaveLength(1);
    expect(posts(BEN)).toHaveLength(1);
  });
});
