import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobRuns, messageDrafts, outbox, slackEvents } from '../../../src/db/schema/index.js';
import { cleanupJob } from '../../../src/jobs/cleanup.js';
import { createScheduler } from '../../../src/jobs/scheduler.js';
import { ManualClock } from '../../../src/lib/clock.js';
import { openTestDatabase, type TestDatabase } from '../../support/db.js';
import { memoryLogger } from '../../support/services.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
beforeEach(async () => {
  await database.resetTickets();
});

const NOW = new Date('2026-03-10T03:17:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

async function seed() {
  const { db } = database;
  const draft = (id: string, createdAt: Date) => ({
    id,
    channelId: 'C_IT_DESK',
    messageTs: '1.000001',
    threadTs: null,
    authorId: null,
    text: id,
    files: [],
    permalink: null,
    createdAt,
  });
  await db
    .insert(messageDrafts)
    .values([
      draft('expired', ago(DAY + 1000)),
      draft('exactly-a-day', ago(DAY)),
      draft('fresh', ago(MINUTE)),
    ]);

  await db
    .insert(slackEvents)
    .values([
      ...[1, 2, 3, 4, 5].map((i) => ({ eventId: `Ev_old_${i}`, receivedAt: ago(DAY + i * MINUTE) })),
      { eventId: 'Ev_exactly_a_day', receivedAt: ago(DAY) },
      { eventId: 'Ev_recent', receivedAt: ago(10 * MINUTE) },
    ]);

  const message = (name: string, at: { createdAt: Date; deliveredAt?: Date; failedAt?: Date }) => ({
    kind: 'message.post',
    payload: { channel: 'C_IT_DESK', text: name },
    deliveredAt: at.deliveredAt ?? null,
    failedAt: at.failedAt ?? null,
    createdAt: at.createdAt,
  });
  await db
    .insert(outbox)
    .values([
      message('delivered-8d-a', { createdAt: ago(8 * DAY), deliveredAt: ago(8 * DAY) }),
      message('delivered-8d-b', { createdAt: ago(9 * DAY), deliveredAt: ago(8 * DAY) }),
      message('delivered-20d', { createdAt: ago(20 * DAY), deliveredAt: ago(20 * DAY) }),
      message('failed-8d', { createdAt: ago(9 * DAY), failedAt: ago(8 * DAY) }),
      message('failed-exactly-7d', { createdAt: ago(9 * DAY), failedAt: ago(7 * DAY) }),
      message('old-but-delivered-6d', { createdAt: ago(10 * DAY), deliveredAt: ago(6 * DAY) }),
      message('delivered-1h', { createdAt: ago(61 * MINUTE), deliveredAt: ago(60 * MINUTE) }),
      message('pending-30d', { createdAt: ago(30 * DAY) }),
    ]);

  const run = (job: string, fireAt: Date, finished = true) => ({
    job,
    fireAt,
    claimedBy: 'worker-old',
    claimedAt: fireAt,
    finishedAt: finished ? fireAt : null,
    summary: finished ? {} : null,
  });
  await db
    .insert(jobRuns)
    .values([
      run('sla', ago(31 * DAY)),
      run('sla', ago(31 * DAY - MINUTE)),
      run('sla', ago(32 * DAY), false),
      run('sla', ago(30 * DAY)),
      run('sla', ago(29 * DAY)),
      run('retired-job', ago(40 * DAY)),
      run('cleanup', ago(31 * DAY)),
      run('cleanup', ago(DAY)),
    ]);
}

const names = {
  drafts: async () => (await database.db.select().from(messageDrafts)).map((r) => r.id).sort(),
  events: async () => (await database.db.select().from(slackEvents)).map((r) => r.eventId).sort(),
  outbox: async () => (await database.db.select().from(outbox)).map((r) => String(r.payload.text)).sort(),
  runs: async () =>
    (await database.db.select().from(jobRuns))
      .map((r) => `${r.job}@${Math.round((NOW.getTime() - r.fireAt.getTime()) / DAY)}d`)
      .sort(),
};

describe('the cleanup job', () => {
  it('deletes exactly what is past its retention, in batches, and keeps the rest', async () => {
    await seed();
    const { log } = memoryLogger();
    const scheduler = createScheduler({
      db: database.db,
      log,
      clock: new ManualClock(NOW),
      outbox: { kick: () => {} },
      jobs: [cleanupJob({ batchSize: 2 })], // small batches: every table takes several statements
    });

    expect(await scheduler.runNow('cleanup', NOW)).toEqual({
      status: 'ran',
      summary: { drafts: 1, slackEvents: 5, outbox: 4, jobRuns: 5 },
    });

    expect(await names.drafts()).toEqual(['exactly-a-day', 'fresh']);
    expect(await names.events()).toEqual(['Ev_exactly_a_day', 'Ev_recent']);
    expect(await names.outbox()).toEqual([
      'delivered-1h',
      'failed-exactly-7d',
      'old-but-delivered-6d',
      'pending-30d',
    ]);
    expect(await names.runs()).toEqual(['cleanup@0d', 'cleanup@1d', 'sla@29d', 'sla@30d']);

    // A second later, exactly the rows that sat on each boundary have aged out.
    expect(await scheduler.runNow('cleanup', new Date(NOW.getTime() + 1000))).toEqual({
      status: 'ran',
      summary: { drafts: 1, slackEvents: 1, outbox: 1, jobRuns: 1 },
    });
    expect(await names.drafts()).toEqual(['fresh']);
    expect(await names.events()).toEqual(['Ev_recent']);
    expect(await names.outbox()).toEqual(['delivered-1h', 'old-but-delivered-6d', 'pending-30d']);
    expect(await names.runs()).toEqual(['cleanup@0d', 'cleanup@0d', 'cleanup@1d', 'sla@29d']);
  });

  it('has nothing to do on empty tables', async () => {
    const { log } = memoryLogger();
    const job = cleanupJob();
    const summary = await job.run(
      { db: database.db, log, clock: new ManualClock(NOW), outbox: { kick: () => {} } },
      NOW,
    );
    expect(summary).toEqual({ drafts: 0, slackEvents: 0, outbox: 0, jobRuns: 0 });
  });
});
