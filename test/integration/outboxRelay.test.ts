import { and, eq, isNull, lte } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox, tickets } from '../../src/db/schema/index.js';
import { transaction } from '../../src/db/tx.js';
import { enqueue } from '../../src/outbox/messages.js';
import type { Services } from '../../src/services.js';
import { createTicket } from '../../src/tickets/createTicket.js';
import { FakeSlack } from '../harness/fakeSlack.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { testRelay, testServices } from '../support/services.js';

const REQUESTER = 'U_REQ_RITA';
const DESK_CHANNEL = 'C_IT_DESK';

let database: TestDatabase;
let fake: FakeSlack;
let services: Services;

beforeAll(async () => {
  database = await openTestDatabase();
  fake = await FakeSlack.start();
  services = await testServices(database);
});
afterAll(async () => {
  await database?.close();
  await fake?.close();
});
beforeEach(async () => {
  await database.resetTickets();
  fake.reset();
});

async function newTicket(subject: string) {
  const result = await createTicket(services, {
    subject,
    categoryId: 1, // Technical support → the IT desk
    requesterId: REQUESTER,
    createdBy: REQUESTER,
    source: 'slash_command',
  });
  return result.ticket;
}

/** Rows due now and not delivered (Home tab refreshes are deliberately delayed a few seconds). */
const pending = () =>
  database.db
    .select()
    .from(outbox)
    .where(and(isNull(outbox.deliveredAt), isNull(outbox.failedAt), lte(outbox.availableAt, new Date())));

const cardsPosted = () => fake.messagesIn(DESK_CHANNEL).filter((m) => !m.thread_ts);

describe('the outbox relay', () => {
  it('delivers every row exactly once with two relays running at the same time', async () => {
    for (let i = 0; i < 20; i++) await newTicket(`Request ${i}`);
    const a = testRelay(database, fake, { batchSize: 3 });
    const b = testRelay(database, fake, { batchSize: 3 });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);

    expect(await pending()).toHaveLength(0);
    expect(cardsPosted()).toHaveLength(20);
    expect(fake.messagesIn(fake.dmChannelOf(REQUESTER))).toHaveLength(20);
    const rows = await database.db.select().from(tickets);
    expect(new Set(rows.map((r) => r.cardTs)).size).toBe(20);
  });

  it('does not post twice when a post timed out although Slack had posted it', async () => {
    const ticket = await newTicket('Printer jammed');
    // Slack answers after the client gave up, but the message is posted all the same.
    fake.fail(
      'chat.postMessage',
      { kind: 'slow', delayMs: 600 },
      { when: (a) => a.channel === DESK_CHANNEL },
    );
    const relay = testRelay(database, fake, { timeoutMs: 200 });
    await relay.drain();
    const [row] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(row?.mayHavePosted).toBe(true);
    expect(row?.deliveredAt).toBeNull();

    await new Promise((r) => setTimeout(r, 700)); // the slow answer lands; the retry's backoff passes
    await relay.drain();
    expect(cardsPosted()).toHaveLength(1);
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
    const [stored] = await database.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(stored?.cardTs).toBe(cardsPosted()[0]?.ts);
  });

  it('picks up a row whose relay died holding it, and posts it once', async () => {
    await newTicket('Laptop will not boot');
    // Another relay claimed the card and vanished: its lease has run out.
    await database.db
      .update(outbox)
      .set({ lockedUntil: new Date(Date.now() - 1000), lockedBy: 'dead-relay', attempts: 1 })
      .where(eq(outbox.kind, 'card.post'));
    await testRelay(database, fake).drain();
    expect(fake.callsTo('conversations.history')).toHaveLength(1); // it looked first
    expect(cardsPosted()).toHaveLength(1);
    expect(await pending()).toHaveLength(0);
  });

  it('retries after a 500 and posts once', async () => {
    await newTicket('VPN down');
    fake.fail('chat.postMessage', { kind: 'server_error' }, { when: (a) => a.channel === DESK_CHANNEL });
    const relay = testRelay(database, fake);
    await relay.drain();
    await new Promise((r) => setTimeout(r, 150));
    await relay.drain();
    expect(cardsPosted()).toHaveLength(1);
    const [row] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(row?.attempts).toBe(2);
    expect(row?.deliveredAt).not.toBeNull();
  });

  it('does not spend attempts on 429s and waits for Retry-After', async () => {
    await newTicket('Slow wifi');
    fake.fail(
      'chat.postMessage',
      { kind: 'ratelimited', retryAfter: 1 },
      { times: 3, when: (a) => a.channel === DESK_CHANNEL },
    );
    const relay = testRelay(database, fake, { maxAttempts: 2 });
    await relay.drain();
    const [held] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(held?.availableAt.getTime()).toBeGreaterThan(Date.now() + 500); // not before Retry-After
    for (let i = 0; i < 3; i++) {
      await database.db
        .update(outbox)
        .set({ availableAt: new Date(Date.now() - 1000) })
        .where(eq(outbox.kind, 'card.post'));
      await relay.drain();
    }
    const [row] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(row?.deliveredAt).not.toBeNull();
    expect(row?.attempts).toBe(1);
    expect(cardsPosted()).toHaveLength(1);
  });

  it('gives up on a permanent error and says so in the log', async () => {
    await newTicket('Printer jammed');
    fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'channel_not_found' },
      { when: (a) => a.channel === DESK_CHANNEL },
    );
    await testRelay(database, fake).drain();
    const [row] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(row?.failedAt).not.toBeNull();
    expect(row?.lastError).toBe('channel_not_found');
    expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === DESK_CHANNEL)).toHaveLength(1);
  });

  it('updates a card only after it is posted, once for a burst of changes', async () => {
    const ticket = await newTicket('Monitor flickers');
    await transaction(database.db, async (tx, afterCommit) => {
      await tx.update(tickets).set({ subject: 'Monitor flickers badly' }).where(eq(tickets.id, ticket.id));
      await enqueue(tx, afterCommit, services.outbox, [
        { kind: 'card.update', ticketId: ticket.id },
        { kind: 'card.update', ticketId: ticket.id },
        { kind: 'card.update', ticketId: ticket.id },
      ]);
    });
    await testRelay(database, fake).drain();
    const [post] = fake.callsTo('chat.postMessage').filter((c) => c.args.channel === DESK_CHANNEL);
    const updates = fake.callsTo('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args.ts).toBe(post?.answer?.ts);
    expect(updates[0]?.at).toBeGreaterThanOrEqual(post?.at ?? Number.POSITIVE_INFINITY);
    expect(JSON.stringify(fake.message(DESK_CHANNEL, String(post?.answer?.ts))?.blocks)).toContain(
      'Monitor flickers badly',
    );
    expect(await pending()).toHaveLength(0);
  });
});
