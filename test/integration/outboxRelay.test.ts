import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox, tickets } from '../../src/db/schema/index.js';
import { transaction } from '../../src/db/tx.js';
import type { Deliverer, Delivery, DeliveryFailure } from '../../src/outbox/deliverer.js';
import { enqueue, OUTBOX_KINDS, type OutboxKind } from '../../src/outbox/messages.js';
import { OutboxRelay } from '../../src/outbox/relay.js';
import type { Services } from '../../src/services.js';
import { createTicket } from '../../src/tickets/createTicket.js';
import { FakeSlack } from '../harness/fakeSlack.js';
import { openTestDatabase, type TestDatabase } from '../support/db.js';
import { memoryLogger, testRelay, testServices } from '../support/services.js';

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

/** Makes the card's outbox row due now, as if the wait before its next attempt had passed. */
const cardPostDue = () =>
  database.db
    .update(outbox)
    .set({ availableAt: new Date(Date.now() - 1000) })
    .where(eq(outbox.kind, 'card.post'));

/**
 * A new ticket's card posted by a relay that gives up after 200 ms, while Slack, having posted it, answers
 * 600 ms late (`slow`) or breaks its answer off (`slow_body`); returns the ticket, that relay, and the card's
 * outbox row as the relay left it.
 */
async function postCardAnsweredLate(kind: 'slow' | 'slow_body') {
  const ticket = await newTicket('Printer jammed');
  fake.fail('chat.postMessage', { kind, delayMs: 600 }, { when: (a) => a.channel === DESK_CHANNEL });
  const relay = testRelay(database, fake, { timeoutMs: 200 });
  await relay.drain();
  const [row] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
  return { ticket, relay, row };
}

describe('the outbox relay', () => {
  it('delivers every row exactly once with two relays running at the same time', async () => {
    for (let i = 0; i < 20; i++) await newTicket(`Request ${i}`);
    // Production's Web API timeout: with 1 s, a busy machine turns this test into one of timeouts, against
    // a fake that, starved in this same process, reads a request up to seconds after the client gave up
    // (the tests below force such failures on purpose).
    const a = testRelay(database, fake, { batchSize: 3, timeoutMs: 10_000 });
    const b = testRelay(database, fake, { batchSize: 3, timeoutMs: 10_000 });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);

    expect(await pending()).toHaveLength(0);
    expect(cardsPosted()).toHaveLength(20);
    expect(fake.messagesIn(fake.dmChannelOf(REQUESTER))).toHaveLength(20);
    const rows = await database.db.select().from(tickets);
    expect(new Set(rows.map((r) => r.cardTs)).size).toBe(20);
  });

  it('does not post twice when a post timed out although Slack had posted it', async () => {
    // Slack answers after the client gave up, but the message is posted all the same.
    const { ticket, relay, row } = await postCardAnsweredLate('slow');
    expect(row?.mayHavePosted).toBe(true);
    expect(row?.deliveredAt).toBeNull();

    await new Promise((r) => setTimeout(r, 700)); // the slow answer lands; the retry's backoff passes
    await relay.drain();
    expect(cardsPosted()).toHaveLength(1);
    expect(fake.callsTo('conversations.history')).toHaveLength(1);
    const [stored] = await database.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(stored?.cardTs).toBe(cardsPosted()[0]?.ts);
  });

  it('does not post twice when the answer broke off after Slack had posted', async () => {
    // Slack posts and starts answering; the rest of the answer comes after the client gave up.
    const { ticket, relay, row } = await postCardAnsweredLate('slow_body');
    expect(row?.mayHavePosted).toBe(true);
    expect(row?.deliveredAt).toBeNull();

    await cardPostDue();
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
    // Slack may have posted all the same: the retry waits (a request timeout) before it looks.
    await cardPostDue();
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
      await cardPostDue();
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

describe('the relay with a deliverer of another channel', () => {
  class ChannelError extends Error {}

  /** A channel that records what it is given, and fails while `failure` is set. */
  class RecordingChannel implements Deliverer {
    kinds: readonly OutboxKind[] = OUTBOX_KINDS;
    delivered: Delivery[] = [];
    failure: DeliveryFailure | undefined;
    /** Thrown instead, and not classified. */
    unexpected: Error | undefined;

    async deliver(delivery: Delivery) {
      if (this.unexpected) throw this.unexpected;
      if (this.failure) throw new ChannelError(this.failure.detail);
      this.delivered.push(delivery);
      return { sent: delivery.message.kind };
    }

    classify(error: unknown) {
      return error instanceof ChannelError ? this.failure : undefined;
    }
  }

  const relayFor = (deliverer: Deliverer) =>
    new OutboxRelay({ db: database.db, deliverers: [deliverer], log: memoryLogger().log });

  it('hands it each message as data, and coalesces a burst of card updates into one delivery', async () => {
    const ticket = await newTicket('Monitor flickers');
    await transaction(database.db, (tx, afterCommit) =>
      enqueue(tx, afterCommit, services.outbox, [
        { kind: 'card.update', ticketId: ticket.id },
        { kind: 'card.update', ticketId: ticket.id },
        { kind: 'card.update', ticketId: ticket.id },
      ]),
    );
    const channel = new RecordingChannel();
    await relayFor(channel).drain();

    const updates = channel.delivered.filter((d) => d.message.kind === 'card.update');
    expect(updates.map((d) => d.message)).toEqual([{ kind: 'card.update', ticketId: ticket.id }]);
    expect(updates[0]?.attempts).toBe(1);
    expect(updates[0]?.mayHavePosted).toBe(false);
    const rows = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.kind, 'card.update'))
      .orderBy(asc(outbox.id));
    expect(rows.map((r) => r.result)).toEqual([
      { sent: 'card.update', coalesced: 2 },
      { coalescedInto: updates[0]?.id },
      { coalescedInto: updates[0]?.id },
    ]);
    expect(await pending()).toHaveLength(0);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('asks that deliverer what a failure means: wait without spending an attempt, or give up', async () => {
    await newTicket('Printer jammed');
    const channel = new RecordingChannel();
    const relay = relayFor(channel);
    channel.failure = { kind: 'rate_limited', retryAfterSeconds: 30, detail: 'channel busy' };
    await relay.drain();
    const [held] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(held?.attempts).toBe(0);
    expect(held?.lastError).toBe('channel busy');
    expect(held?.availableAt.getTime()).toBeGreaterThan(Date.now() + 20_000);

    channel.failure = { kind: 'permanent', detail: 'no such address' };
    await database.db.update(outbox).set({ availableAt: new Date(Date.now() - 1000) });
    await relay.drain();
    const [dropped] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(dropped?.failedAt).not.toBeNull();
    expect(dropped?.lastError).toBe('no such address');
    expect(channel.delivered).toHaveLength(0);
  });

  it('after an attempt whose outcome is unknown, waits a request timeout before the next one looks', async () => {
    await newTicket('Printer jammed');
    const channel = new RecordingChannel();
    const relay = new OutboxRelay({
      db: database.db,
      deliverers: [channel],
      log: memoryLogger().log,
      requestTimeoutMs: 30_000,
      baseBackoffSeconds: 0.05,
    });
    channel.failure = { kind: 'transient', uncertain: true, detail: 'no answer' };
    await relay.drain();
    // The request given up on may still be acted on: a look at once could miss what it sends.
    const [held] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(held?.mayHavePosted).toBe(true);
    expect(held?.availableAt.getTime()).toBeGreaterThan(Date.now() + 20_000);

    channel.failure = undefined;
    await database.db.update(outbox).set({ availableAt: new Date(Date.now() - 1000) });
    await relay.drain();
    const [post] = channel.delivered.filter((d) => d.message.kind === 'card.post');
    expect(post?.attempts).toBe(2);
    expect(post?.mayHavePosted).toBe(true);
  });

  it('takes a failure it cannot classify for one whose outcome is unknown', async () => {
    await newTicket('Printer jammed');
    const channel = new RecordingChannel();
    const relay = relayFor(channel);
    // Thrown after the channel acted, say: the next attempt must look before it sends again.
    channel.unexpected = new Error('the answer broke off');
    await relay.drain();
    const [held] = await database.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(held?.mayHavePosted).toBe(true);

    channel.unexpected = undefined;
    await database.db.update(outbox).set({ availableAt: new Date(Date.now() - 1000) });
    await relay.drain();
    const [post] = channel.delivered.filter((d) => d.message.kind === 'card.post');
    expect(post?.attempts).toBe(2);
    expect(post?.mayHavePosted).toBe(true);
  });

  it('refuses a lease that does not outlast a request', () => {
    expect(
      () =>
        new OutboxRelay({
          db: database.db,
          deliverers: [new RecordingChannel()],
          log: memoryLogger().log,
          leaseSeconds: 10,
          requestTimeoutMs: 10_000,
        }),
    ).toThrow('The outbox lease (10 s) must outlast a request (10000 ms)');
  });

  it('refuses to start without a deliverer for every kind', () => {
    const channel = new RecordingChannel();
    channel.kinds = OUTBOX_KINDS.filter((kind) => kind !== 'sla.digest');
    expect(() => relayFor(channel)).toThrow('No deliverer for outbox kinds: sla.digest');
  });
});

describe('rows written by an earlier version', () => {
  it('delivers a message.post that carries rendered blocks as they are', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*SLA breached* (1)' } }];
    await database.db.insert(outbox).values({
      kind: 'message.post',
      payload: { channel: DESK_CHANNEL, text: 'Folio: SLA breached (1)', blocks },
    });
    await testRelay(database, fake).drain();
    const [posted] = fake.messagesIn(DESK_CHANNEL);
    expect(posted?.text).toBe('Folio: SLA breached (1)');
    expect(posted?.blocks).toMatchObject(blocks);
  });
});
