import { WebClient } from '@slack/web-api';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  attachments,
  comments,
  desks,
  mailMessages,
  type OutboxRow,
  outbox,
  tickets,
} from '../../../../src/db/schema/index.js';
import { transaction } from '../../../../src/db/tx.js';
import { DeskDirectory } from '../../../../src/desks/directory.js';
import type { FileContentSource } from '../../../../src/domain/files.js';
import { MAIL_ATTACHMENT_MAX_BYTES } from '../../../../src/mail/outbound/attachments.js';
import { type MailDeliveryDeps, mailDeliverer } from '../../../../src/mail/outbound/deliverer.js';
import { createMailTransport } from '../../../../src/mail/outbound/transport.js';
import type { Delivery } from '../../../../src/outbox/deliverer.js';
import { enqueue, type OutboxMessage, outboxMessageSchema } from '../../../../src/outbox/messages.js';
import { OutboxRelay } from '../../../../src/outbox/relay.js';
import { slackDeliverer } from '../../../../src/slack/delivery/deliverer.js';
import { People } from '../../../../src/slack/kit/people.js';
import { FakeSlack } from '../../../harness/fakeSlack.js';
import { type SinkMail, SmtpSink } from '../../../harness/smtpSink.js';
import { openTestDatabase, type TestDatabase } from '../../../support/db.js';
import { memoryLogger, testServices } from '../../../support/services.js';

const MAILBOX = 'it@example.com';
const CARLA = 'carla@contractor.example';
const DESK_CHANNEL = 'C_IT_DESK';
/** The relay's request timeout here: how long a send waits on a silent server. */
const TIMEOUT_MS = 500;

let database: TestDatabase;
let fake: FakeSlack;
let sink: SmtpSink;
let transport: MailDeliveryDeps['transport'];

beforeAll(async () => {
  database = await openTestDatabase();
  fake = await FakeSlack.start();
  sink = await SmtpSink.start();
  transport = await createMailTransport(sink.url, TIMEOUT_MS);
  await testServices(database); // the desks of TEST_CONFIG: "IT" (it) and "People & HR" (hr)
  // The IT desk has a mailbox; HR has none.
  await database.db.update(desks).set({ mailbox: MAILBOX }).where(eq(desks.key, 'it'));
});
afterAll(async () => {
  await sink?.close();
  await fake?.close();
  await database?.close();
});
beforeEach(async () => {
  await database.resetTickets();
  sink.reset();
  fake.reset();
  fake.setUser('U_AGENT_ANA', { profile: { display_name: 'Ana Alves' } });
});

/** Slack files a public reply carries, as the Slack side would read them, by file id. */
const slackFiles = new Map<string, Buffer>();
const files: FileContentSource = {
  read: async (file, maxBytes) => {
    const content = slackFiles.get(file.slackFileId);
    if (!content) return { kind: 'unavailable', reason: 'file_not_found' };
    if (content.length > maxBytes) return { kind: 'too_large', size: content.length };
    return { kind: 'content', content, mimetype: file.mimetype };
  },
};

function deps(o: Partial<MailDeliveryDeps> = {}): MailDeliveryDeps {
  const slack = new WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  return {
    db: database.db,
    directory: new DeskDirectory(),
    transport,
    files,
    outbox: { kick: () => {} },
    log: memoryLogger().log,
    names: new People(slack),
    ...o,
  };
}

/** A relay delivering mail to the sink, and the rest (the desk's notes) to the fake Slack. */
function relay(o: Partial<MailDeliveryDeps> = {}, maxAttempts = 10): OutboxRelay {
  const log = memoryLogger().log;
  const slack = new WebClient('xoxb-test-token', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: TIMEOUT_MS * 4,
  });
  return new OutboxRelay({
    db: database.db,
    deliverers: [
      mailDeliverer(deps(o)),
      slackDeliverer({ db: database.db, directory: new DeskDirectory(), slack, log }),
    ],
    log,
    baseBackoffSeconds: 0.05,
    requestTimeoutMs: TIMEOUT_MS,
    maxAttempts,
  });
}

/** A ticket of the IT desk that came by mail from Carla, who is not in Slack; its card is in the desk channel. */
async function externalTicket(o: Partial<typeof tickets.$inferInsert> = {}) {
  const card = fake.seedMessage(DESK_CHANNEL, { user: 'UFOLIOBOT', text: 'TKT042 card' });
  const [ticket] = await database.db
    .insert(tickets)
    .values({
      folio: 'TKT042',
      subject: 'VPN refuses my token',
      deskKey: 'it',
      priority: 'medium',
      requesterId: null,
      requesterEmail: CARLA,
      requesterName: 'Carla Contractor',
      createdBy: CARLA,
      source: 'email',
      cardChannelId: DESK_CHANNEL,
      cardTs: card.ts,
      ...o,
    })
    .returning();
  if (!ticket) throw new Error('no ticket');
  return ticket;
}

async function send(...messages: OutboxMessage[]): Promise<void> {
  await transaction(database.db, (tx, afterCommit) => enqueue(tx, afterCommit, { kick: () => {} }, messages));
}

const rows = (kind?: OutboxRow['kind']) =>
  database.db
    .select()
    .from(outbox)
    .where(kind ? eq(outbox.kind, kind) : undefined)
    .orderBy(asc(outbox.id));

async function onlyRow(kind: OutboxRow['kind']): Promise<OutboxRow> {
  const [row, ...more] = await rows(kind);
  if (!row || more.length > 0) throw new Error(`expected one ${kind} row`);
  return row;
}

/** Makes every pending row due now, as if the wait before its next attempt had passed. */
const allDue = () => database.db.update(outbox).set({ availableAt: new Date(Date.now() - 1000) });

/** The Delivery the relay would hand over for a row. */
function deliveryOf(row: OutboxRow): Delivery {
  return {
    id: row.id,
    attempts: row.attempts + 1,
    mayHavePosted: row.mayHavePosted,
    createdAt: row.createdAt,
    message: outboxMessageSchema.parse({ ...row.payload, kind: row.kind }),
  };
}

async function publicReply(ticketId: number, o: Partial<typeof comments.$inferInsert> = {}) {
  const [comment] = await database.db
    .insert(comments)
    .values({
      ticketId,
      authorId: 'U_AGENT_ANA',
      body: 'Please try the new token.',
      visibility: 'public',
      ...o,
    })
    .returning();
  if (!comment) throw new Error('no comment');
  return comment;
}

const outMails = () =>
  database.db
    .select()
    .from(mailMessages)
    .where(eq(mailMessages.direction, 'out'))
    .orderBy(asc(mailMessages.id));

describe('the mail deliverer', () => {
  it("sends the desk's created notice to the external requester, from the desk's mailbox", async () => {
    const ticket = await externalTicket();
    await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'created' });
    await relay().drain();

    const row = await onlyRow('mail.notify');
    const messageId = `folio.${row.id}.tkt042@example.com`;
    expect(row.deliveredAt).not.toBeNull();
    expect(row.result).toEqual({ messageId, to: CARLA });
    expect(sink.messages).toHaveLength(1);
    const mail = sink.messages[0] as SinkMail;
    expect(mail.envelope).toEqual({ from: MAILBOX, to: [CARLA] });
    expect(mail.from).toEqual({ address: MAILBOX, name: 'IT desk' });
    expect(mail.to).toEqual([{ address: CARLA, name: 'Carla Contractor' }]);
    expect(mail.subject).toBe('[TKT042] VPN refuses my token');
    expect(mail.messageId).toBe(messageId);
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toEqual([]);
    expect(mail.header('Auto-Submitted')).toBe('auto-replied');
    expect(mail.header('X-Auto-Response-Suppress')).toBe('All');
    expect(mail.header('X-Folio-Ticket')).toBe('TKT042');
    expect(mail.text).toBe(
      'Thanks! Your request TKT042 is with the IT desk: VPN refuses my token\n' +
        'Reply in this thread to add details or files; the desk’s answers will appear here.\n\n' +
        'Reply to this mail to add to TKT042.\n',
    );
    expect(await outMails()).toMatchObject([
      { ticketId: ticket.id, outboxId: row.id, messageId, address: CARLA, status: 'sent', commentId: null },
    ]);
  });

  it('threads each mail on the ticket’s latest one, the requester’s first mail included', async () => {
    const ticket = await externalTicket();
    await database.db.insert(mailMessages).values({
      ticketId: ticket.id,
      direction: 'in',
      messageId: 'CAF+first@mail.contractor.example',
      address: CARLA,
      subject: 'VPN refuses my token',
      status: 'received',
    });
    await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'created' });
    await relay().drain();
    await database.db
      .update(tickets)
      .set({ status: 'resolved', resolutionNote: 'Token re-issued.' })
      .where(eq(tickets.id, ticket.id));
    await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'resolved' });
    await relay().drain();

    expect(sink.messages).toHaveLength(2);
    const [created, resolved] = sink.messages as [SinkMail, SinkMail];
    expect(created.subject).toBe('Re: [TKT042] VPN refuses my token');
    expect(created.inReplyTo).toBe('CAF+first@mail.contractor.example');
    expect(created.references).toEqual(['CAF+first@mail.contractor.example']);
    expect(resolved.subject).toBe('Re: [TKT042] VPN refuses my token');
    expect(resolved.inReplyTo).toBe(created.messageId);
    expect(resolved.references).toEqual(['CAF+first@mail.contractor.example', created.messageId]);
    expect(resolved.text).toContain('TKT042 is resolved. Token re-issued.\nIs everything working again?');
  });

  it('retries a mail the server refused for now (451), and sends it once', async () => {
    const ticket = await externalTicket();
    sink.failNext(451);
    await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'created' });
    const mailRelay = relay();
    await mailRelay.drain();

    const refused = await onlyRow('mail.notify');
    expect(sink.refusals).toEqual([{ code: 451, stage: 'rcpt', to: [CARLA] }]);
    expect(sink.messages).toHaveLength(0);
    expect(refused).toMatchObject({ deliveredAt: null, failedAt: null, mayHavePosted: false, attempts: 1 });
    expect(refused.lastError).toContain('451');

    await allDue();
    await mailRelay.drain();
    expect(sink.messages).toHaveLength(1);
    expect((await onlyRow('mail.notify')).deliveredAt).not.toBeNull();
    expect(await rows('desk.note')).toEqual([]);
  });

  it('tells the desk when the relay gives up on a mail the server kept refusing for now', async () => {
    const ticket = await externalTicket();
    await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'created' });
    sink.failNext(451, 2);
    const mailRelay = relay({}, 2);
    await mailRelay.drain();
    await allDue();
    await mailRelay.drain();

    const row = await onlyRow('mail.notify');
    expect(row.failedAt).not.toBeNull();
    expect(row.lastError).toContain('gave up after 2 attempts');
    expect(sink.messages).toHaveLength(0);
    const note = (await onlyRow('desk.note')).payload;
    expect(note).toMatchObject({ ticketId: ticket.id });
    expect(String(note.text)).toContain(
      `Mail to ${CARLA} about TKT042 (the “created” notice) could not be delivered: still failing after 2 attempts, given up: 451 4.3.0 Try again later.`,
    );
  });

  it('tells the relay that a 451 is transient and that nothing was sent', async () => {
    const ticket = await externalTicket();
    await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'created' });
    const deliverer = mailDeliverer(deps());
    const delivery = deliveryOf(await onlyRow('mail.notify'));

    sink.failNext(451);
    const later = await deliverer.deliver(delivery).catch((error: unknown) => error);
    expect(deliverer.classify(later)).toEqual({
      kind: 'transient',
      uncertain: false,
      detail: '451 4.3.0 Try again later',
    });
  });

  it.each([
    [550, 'rcpt', '550 5.1.1 Mailbox unavailable'],
    [554, 'data', '554 5.6.0 Transaction failed'],
  ] as const)(
    'gives up on a mail refused for good (%i at %s) and tells the desk in the card’s thread',
    async (code, stage, answer) => {
      const ticket = await externalTicket();
      await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'created' });
      sink.failNext(code, 1, stage);
      const mailRelay = relay();
      await mailRelay.drain();

      const row = await onlyRow('mail.notify');
      expect(row.failedAt).not.toBeNull();
      expect(row.lastError).toContain(answer);
      expect(sink.messages).toHaveLength(0);
      const note =
        `:warning: Mail to ${CARLA} about TKT042 (the “created” notice) could not be delivered: ` +
        `${answer}. The requester did not get it.`;
      expect((await onlyRow('desk.note')).payload).toEqual({ ticketId: ticket.id, text: note });
      const card = ticket.cardTs ?? '';
      expect(
        fake
          .messagesIn(DESK_CHANNEL)
          .filter((m) => m.thread_ts === card && m.ts !== card)
          .map((m) => m.text),
      ).toEqual([note]);
      expect(await outMails()).toMatchObject([{ status: 'bounced', detail: answer, address: CARLA }]);

      // Never retried, and never told twice: a later attempt of the same row changes nothing.
      await allDue();
      await mailRelay.drain();
      expect(sink.refusals).toHaveLength(1);
      await expect(mailDeliverer(deps()).deliver(deliveryOf(row))).rejects.toThrow(/refused/);
      expect(await rows('desk.note')).toHaveLength(1);
    },
  );

  it('retries a send that timed out with the same Message-ID', async () => {
    const ticket = await externalTicket();
    await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'created' });
    sink.hang();
    const mailRelay = relay();
    await mailRelay.drain();

    const row = await onlyRow('mail.notify');
    expect(row).toMatchObject({ deliveredAt: null, failedAt: null, mayHavePosted: true });
    expect(sink.messages).toHaveLength(0);
    expect(sink.hungMessages).toHaveLength(1);

    await allDue();
    await mailRelay.drain();
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]?.messageId).toBe(sink.hungMessages[0]?.messageId);
    expect(sink.messages[0]?.messageId).toBe(`folio.${row.id}.tkt042@example.com`);
    expect((await onlyRow('mail.notify')).deliveredAt).not.toBeNull();
  });

  it("sends a desk member's public reply under their name, with its Slack files attached or linked", async () => {
    const ticket = await externalTicket();
    const comment = await publicReply(ticket.id);
    const screenshot = Buffer.from('\x89PNG screenshot bytes');
    slackFiles.set('F_SHOT', screenshot);
    slackFiles.set('F_DUMP', Buffer.alloc(MAIL_ATTACHMENT_MAX_BYTES + 1));
    await database.db.insert(attachments).values([
      {
        ticketId: ticket.id,
        commentId: comment.id,
        slackFileId: 'F_SHOT',
        name: 'screenshot.png',
        mimetype: 'image/png',
        size: screenshot.length,
        permalink: 'https://acme.slack.com/files/U_AGENT_ANA/F_SHOT/screenshot.png',
      },
      {
        ticketId: ticket.id,
        commentId: comment.id,
        slackFileId: 'F_DUMP',
        name: 'dump.bin',
        mimetype: 'application/octet-stream',
        // Slack did not say how large it is: it is found out when read.
        size: null,
        permalink: 'https://acme.slack.com/files/U_AGENT_ANA/F_DUMP/dump.bin',
      },
    ]);
    await send({ kind: 'mail.reply', ticketId: ticket.id, commentId: comment.id });
    await relay().drain();

    const mail = await sink.waitFor();
    expect(mail.attachments.map((file) => [file.filename, file.contentType, file.content])).toEqual([
      ['screenshot.png', 'image/png', screenshot],
    ]);
    expect(mail.text).toBe(
      'Ana Alves replied on TKT042:\nPlease try the new token.\n\n' +
        'Not attached to this mail:\n' +
        '- dump.bin (10.1 MB, over the 10.0 MB a mail attaches per file): ' +
        'https://acme.slack.com/files/U_AGENT_ANA/F_DUMP/dump.bin\n' +
        'If a link does not open for you, reply to this mail and the desk will send the file another way.\n\n' +
        'Reply to this mail to add to TKT042.\n',
    );
    expect(await outMails()).toMatchObject([{ commentId: comment.id, status: 'sent' }]);
  });

  it('never sends an internal note', async () => {
    const ticket = await externalTicket();
    const note = await publicReply(ticket.id, {
      body: 'Her token is on the revoked list.',
      visibility: 'internal',
    });
    await send({ kind: 'mail.reply', ticketId: ticket.id, commentId: note.id });
    await relay().drain();

    expect((await onlyRow('mail.reply')).result).toEqual({ skipped: 'internal note' });
    expect(sink.messages).toHaveLength(0);
    expect(await outMails()).toEqual([]);
  });

  it('skips a mail with nobody to go to: a requester in Slack, or a desk without a mailbox', async () => {
    const member = await externalTicket({ requesterId: 'U_REQ_RITA', requesterEmail: 'rita@acme.example' });
    const hr = await externalTicket({ folio: 'HR001', deskKey: 'hr' });
    await send(
      { kind: 'mail.notify', ticketId: member.id, template: 'created' },
      { kind: 'mail.notify', ticketId: hr.id, template: 'created' },
    );
    await relay().drain();

    const delivered = await rows('mail.notify');
    expect(delivered.map((row) => [row.ticketId, row.result])).toEqual([
      [member.id, { skipped: 'the requester is in Slack' }],
      [hr.id, { skipped: 'the desk has no mailbox' }],
    ]);
    expect(sink.messages).toHaveLength(0);
  });

  it('fails for good, and tells the desk, when no outgoing mail server is configured', async () => {
    const ticket = await externalTicket();
    const comment = await publicReply(ticket.id);
    await send({ kind: 'mail.reply', ticketId: ticket.id, commentId: comment.id });
    await relay({ transport: null }).drain();

    const row = await onlyRow('mail.reply');
    expect(row.failedAt).not.toBeNull();
    expect((await onlyRow('desk.note')).payload).toMatchObject({
      text:
        `:warning: Mail to ${CARLA} about TKT042 (the reply “Please try the new token.”) could not be ` +
        'delivered: no outgoing mail server is configured (SMTP_URL). The requester did not get it.',
    });
  });

  it('does not send again a mail an earlier attempt sent, whose answer was lost', async () => {
    const ticket = await externalTicket();
    await send({ kind: 'mail.notify', ticketId: ticket.id, template: 'created' });
    const deliverer = mailDeliverer(deps());
    const delivery = deliveryOf(await onlyRow('mail.notify'));
    const first = await deliverer.deliver(delivery);
    const again = await deliverer.deliver({ ...delivery, attempts: 2, mayHavePosted: true });

    expect(again).toEqual({ skipped: 'already sent', messageId: first.messageId });
    expect(sink.messages).toHaveLength(1);
    expect(
      await database.db.select().from(mailMessages).where(eq(mailMessages.ticketId, ticket.id)),
    ).toHaveLength(1);
  });
});
