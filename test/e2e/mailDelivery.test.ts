import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments, mailMessages, outbox, tickets } from '../../src/db/schema/index.js';
import { IT_MAILBOX, mailFlows, sendMail, useMailFolio } from '../support/mail.js';

/**
 * Mail between a contractor and the IT desk, through the real app, where delivery is not plain: the
 * relay that refuses the desk's mail for now or for good, the same mail delivered twice, automatic
 * mail that must not open tickets, files both ways, a bounce of the desk's mail. The contractor's mail
 * goes to the app's SMTP server; the desk's arrives in a local SMTP sink.
 */

const DESK = 'C_IT_DESK';
const ANA = 'U_AGENT_ANA';
const CARLA = 'carla@contractor.example';

const t = useMailFolio();
const {
  db,
  settle,
  ticket,
  card,
  storedComments,
  requesterWrites: carlaWrites,
  requesterOpens: carlaOpens,
  mailsToRequester: mailsToCarla,
  lastMailToRequester: lastMailToCarla,
  replyFromCard,
  cardThread,
} = mailFlows(t, { desk: DESK, mailbox: IT_MAILBOX, requester: { address: CARLA, name: 'Carla Ruiz' } });

describe('mail out through the outbox', () => {
  const mailRows = () => db().select().from(outbox).where(eq(outbox.kind, 'mail.notify'));
  /** Makes every pending row due now, as if the wait before its next attempt had passed. */
  const allDue = () =>
    db()
      .update(outbox)
      .set({ availableAt: new Date(Date.now() - 1000) });

  it('sends a mail the relay refused for now (451) once, on the retry', async () => {
    t.sink.failNext(451);
    expect((await carlaWrites({ subject: 'Badge does not open the door', text: 'Door 3.' })).code).toBe(250);
    await settle();
    expect(t.sink.refusals).toEqual([{ code: 451, stage: 'rcpt', to: [CARLA] }]);
    expect(mailsToCarla()).toEqual([]);
    expect(await mailRows()).toEqual([
      expect.objectContaining({ attempts: 1, deliveredAt: null, failedAt: null }),
    ]);

    await allDue();
    await settle();
    expect(mailsToCarla()).toHaveLength(1);
    expect(lastMailToCarla().subject).toBe('Re: [TKT001] Badge does not open the door');
    expect(await mailRows()).toEqual([
      expect.objectContaining({ attempts: 2, deliveredAt: expect.any(Date), failedAt: null }),
    ]);
    // Nothing was said to the desk: a retry is routine.
    expect(cardThread('TKT001')).toEqual([]);
  });

  it('gives up on a mail refused for good (550), tells the desk in the card’s thread, and never retries', async () => {
    t.sink.failNext(550);
    expect((await carlaWrites({ subject: 'Mouse broken', text: 'The left button.' })).code).toBe(250);
    await settle();
    expect(await mailRows()).toEqual([
      expect.objectContaining({ attempts: 1, deliveredAt: null, failedAt: expect.any(Date) }),
    ]);
    expect(cardThread('TKT001').map((m) => String(m.text))).toEqual([
      `:warning: Mail to ${CARLA} about TKT001 (the “created” notice) could not be delivered: ` +
        '550 5.1.1 Mailbox unavailable. The requester did not get it.',
    ]);

    await allDue();
    await settle();
    expect(t.sink.refusals).toHaveLength(1);
    expect(t.sink.messages).toEqual([]);
    expect(cardThread('TKT001')).toHaveLength(1);
  });
});

describe('mail that must not make a ticket twice, or at all', () => {
  it('makes one ticket of the same mail delivered twice at once, and again later', async () => {
    // A sender the app has not looked up yet, and Slack slow to say who they are: both deliveries
    // wait on the same lookup, then are taken in at the same moment.
    const DANA = 'dana@contractor.example';
    t.fake.fail('users.lookupByEmail', { kind: 'slow', delayMs: 300 });
    const send = () =>
      sendMail(t.smtpPort, {
        from: { name: 'Dana Diaz', address: DANA },
        to: IT_MAILBOX,
        subject: 'Keyboard missing keys',
        text: 'The E and the R are gone.',
        messageId: '<keys.1@contractor.example>',
      });
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((answer) => answer.code)).toEqual([250, 250]);
    await settle();
    const once = async () => {
      expect(await db().select({ folio: tickets.folio }).from(tickets)).toEqual([{ folio: 'TKT001' }]);
      expect(
        t.fake.messagesIn(DESK).filter((m) => String(m.text).startsWith('TKT001:') && !m.thread_ts),
      ).toHaveLength(1);
      expect(t.sink.messages.map((mail) => mail.envelope.to)).toEqual([[DANA]]);
      expect(await db().select().from(mailMessages).where(eq(mailMessages.direction, 'in'))).toHaveLength(1);
    };
    await once();

    expect((await send()).code).toBe(250);
    await settle();
    await once();
  });

  it.each([
    ['an auto-reply', { 'Auto-Submitted': 'auto-replied' }],
    ['an out-of-office', { 'X-Autoreply': 'yes', Precedence: 'auto_reply' }],
    ['a newsletter', { Precedence: 'bulk', 'List-Unsubscribe': '<https://news.example/unsubscribe>' }],
  ])('opens no ticket for %s and answers nothing', async (_kind, headers) => {
    const answer = await carlaWrites({ subject: 'Out of office', text: 'I am away until Monday.', headers });
    expect(answer.code).toBe(250);
    await settle();
    expect(await db().select().from(tickets)).toEqual([]);
    expect(t.sink.messages).toEqual([]);
    expect(t.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('does not take an out-of-office answering the desk’s mail as the requester’s comment', async () => {
    const { folio, created } = await carlaOpens('Phone line dead');
    const answer = await carlaWrites({
      subject: `Automatic reply: Re: [${folio}] Phone line dead`,
      text: 'I am out of the office until Monday.',
      inReplyTo: `<${created.messageId}>`,
      references: [`<${created.messageId}>`],
      headers: { 'X-Autoreply': 'yes', 'Auto-Submitted': 'auto-replied' },
    });
    expect(answer.code).toBe(250);
    await settle();
    expect(await storedComments()).toEqual([]);
    expect(await ticket(folio)).toMatchObject({ status: 'open', version: 1 });
    expect(cardThread(folio)).toEqual([]);
    expect(mailsToCarla()).toHaveLength(1);
  });
});

describe('files', () => {
  /** Bytes no text encoding would keep as they are. */
  const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a])]);

  it('uploads a mail’s attachments into the card’s thread and records them as the ticket’s', async () => {
    const answer = await carlaWrites({
      subject: 'Invoice will not print',
      text: 'See the invoice and the error attached.',
      attachments: [
        { filename: 'invoice.pdf', content: PDF, contentType: 'application/pdf' },
        { filename: 'error.txt', content: 'Error 0x80070005: access denied', contentType: 'text/plain' },
      ],
    });
    expect(answer.code).toBe(250);
    await settle();

    const theCard = card('TKT001');
    expect(t.fake.uploads.map((upload) => [upload.name, upload.channel, upload.threadTs])).toEqual([
      ['invoice.pdf', DESK, theCard.ts],
      ['error.txt', DESK, theCard.ts],
    ]);
    expect(t.fake.uploads[0]?.content.equals(PDF)).toBe(true);
    expect(t.fake.uploads[1]?.content.toString()).toBe('Error 0x80070005: access denied');
    const { id } = await ticket('TKT001');
    const files = await db()
      .select()
      .from(attachments)
      .where(eq(attachments.ticketId, id))
      .orderBy(asc(attachments.id));
    expect(files).toEqual([
      expect.objectContaining({
        commentId: null,
        name: 'invoice.pdf',
        size: PDF.length,
        slackFileId: t.fake.uploads[0]?.fileId,
      }),
      expect.objectContaining({ commentId: null, name: 'error.txt', slackFileId: t.fake.uploads[1]?.fileId }),
    ]);
    expect(JSON.stringify(theCard.blocks)).toContain('invoice.pdf');
  });

  it('attaches the Slack file of a responder’s public reply to the mail', async () => {
    const { folio } = await carlaOpens('VPN client will not install');
    const guide = Buffer.concat([Buffer.from('%PDF-1.7 VPN guide\n'), Buffer.from([0xde, 0xad, 0xbe, 0xef])]);
    const file = t.fake.addFile({
      name: 'vpn-guide.pdf',
      content: guide,
      mimetype: 'application/pdf',
      user: ANA,
    });
    await replyFromCard(folio, ANA, 'Follow page 2 of this guide.', [
      { id: file.id, name: file.name, mimetype: file.mimetype, size: file.size, permalink: file.permalink },
    ]);

    const reply = lastMailToCarla();
    expect(reply.text).toContain('Follow page 2 of this guide.');
    expect(reply.attachments).toHaveLength(1);
    expect(reply.attachments[0]).toMatchObject({ filename: 'vpn-guide.pdf', contentType: 'application/pdf' });
    expect(reply.attachments[0]?.content.equals(guide)).toBe(true);
  });
});

describe('a bounce of the desk’s mail', () => {
  /** A delivery status notification (RFC 3464) as a receiving server sends it back to the desk. */
  const bounceOf = (messageId: string) =>
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.contractor.example>',
      `To: ${IT_MAILBOX}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn.1@mx.contractor.example>',
      'Date: Mon, 2 Mar 2026 10:20:00 +0100',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="DSN-BOUNDARY"',
      '',
      '--DSN-BOUNDARY',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is the mail system at host mx.contractor.example.',
      'Your message could not be delivered to one or more recipients.',
      '',
      `<${CARLA}>: host mx.contractor.example said: 550 5.1.1 User unknown`,
      '',
      '--DSN-BOUNDARY',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.contractor.example',
      '',
      `Final-Recipient: rfc822; ${CARLA}`,
      'Action: failed',
      'Status: 5.1.1',
      `Diagnostic-Code: smtp; 550 5.1.1 <${CARLA}>: Recipient address rejected: User unknown`,
      '',
      '--DSN-BOUNDARY',
      'Content-Type: text/rfc822-headers',
      '',
      `From: IT desk <${IT_MAILBOX}>`,
      `To: Carla Ruiz <${CARLA}>`,
      'Subject: Re: [TKT001] Wifi password',
      `Message-ID: <${messageId}>`,
      '',
      '--DSN-BOUNDARY--',
      '',
    ].join('\r\n');

  it('tells the desk in the card’s thread, and opens no ticket for the bounce', async () => {
    const { folio, created } = await carlaOpens('Wifi password');
    const answer = await sendMail(t.smtpPort, {
      raw: bounceOf(created.messageId ?? ''),
      envelope: { from: '', to: [IT_MAILBOX] },
    });
    expect(answer.code).toBe(250);
    await settle();

    expect(await db().select({ folio: tickets.folio }).from(tickets)).toEqual([{ folio }]);
    expect(cardThread(folio).map((m) => String(m.text))).toEqual([
      `:warning: The mail to ${CARLA} about ${folio} bounced: 550 5.1.1 &lt;${CARLA}&gt;: ` +
        'Recipient address rejected: User unknown. The requester did not get it.',
    ]);
    const [sentMail] = await db()
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.messageId, created.messageId ?? ''));
    expect(sentMail).toMatchObject({ direction: 'out', status: 'bounced' });
    // Nobody answers a bounce.
    expect(t.sink.messages).toHaveLength(1);
  });
});
