import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MAX_ATTACHMENTS,
  MAX_HTML_TO_TEXT_CHARS,
  MAX_MESSAGE_ID_CHARS,
  MAX_MIME_PARTS,
  MAX_REFERENCES,
  parseMail,
} from '../../../../src/mail/inbound/parse.js';
import { MailRefusal } from '../../../../src/mail/inbound/refusal.js';

/** A fixture as a mail server hands it over: CRLF line ends. */
const fixture = (name: string): Buffer =>
  Buffer.from(
    readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8').replace(/\r?\n/g, '\r\n'),
    'utf8',
  );

/** A message from header lines and a body given as bytes (for charsets other than UTF-8). */
const message = (headers: string[], body: Buffer | string): Buffer =>
  Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);

const desk = { recipients: ['it@folio.example.com'] };

describe('parseMail', () => {
  it('reads a plain reply: ids without brackets, sender in lower case, answer without quote and signature', async () => {
    const mail = await parseMail(fixture('quoted-reply.eml'), { recipients: ['IT@Folio.Example.com'] });

    expect(mail.messageId).toBe('CAF=reply.1@mail.example.net');
    expect(mail.inReplyTo).toEqual(['tkt042.created.1@folio.example.com']);
    expect(mail.references).toEqual(['first-mail@example.net', 'tkt042.created.1@folio.example.com']);
    expect(mail.from).toEqual({ address: 'jane@example.net', name: 'Jane Contractor' });
    expect(mail.recipients).toEqual(['it@folio.example.com']);
    expect(mail.subject).toBe('Re: [TKT042] Laptop for your first day');
    expect(mail.date?.toISOString()).toBe('2024-03-05T10:02:44.000Z');
    expect(mail.reply).toBe(
      'Thanks, the laptop works now. I could log in with the temporary password.\n\n' +
        'One more thing: the docking station is missing.',
    );
    // The whole text keeps what the answer leaves out.
    expect(mail.text).toContain('Jane Contractor\nExample Consulting');
    expect(mail.text).toContain('> your laptop is ready at the front desk.');
    expect(mail.automatic).toBeNull();
    expect(mail.bounce).toBeNull();
    expect(mail.attachments).toEqual([]);
    expect(mail.authentication).toBeNull();
  });

  it('keeps the whole text as the answer when stripping would leave nothing', async () => {
    const raw = message(
      ['From: a@example.net', 'Subject: fwd', 'Message-ID: <q@example.net>'],
      '> only a quote\r\n> of an earlier mail\r\n',
    );
    const mail = await parseMail(raw, desk);
    expect(mail.reply).toBe('> only a quote\n> of an earlier mail');
    expect(mail.text).toBe(mail.reply);
  });

  it('decodes an ISO-8859-1 body and subject', async () => {
    const raw = message(
      [
        'From: =?ISO-8859-1?Q?Fran=E7ois_M=FCller?= <francois@example.fr>',
        'Subject: =?ISO-8859-1?Q?Caf=E9_cr=E8me_=E0_l=27=E9tage?=',
        'Message-ID: <latin1@example.fr>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=ISO-8859-1',
        'Content-Transfer-Encoding: 8bit',
      ],
      Buffer.from('La machine à café du 2e étage est en panne.\r\nMerci, François', 'latin1'),
    );
    const mail = await parseMail(raw, desk);
    expect(mail.subject).toBe("Café crème à l'étage");
    expect(mail.from).toEqual({ address: 'francois@example.fr', name: 'François Müller' });
    expect(mail.text).toBe('La machine à café du 2e étage est en panne.\nMerci, François');
  });

  it('decodes a Shift_JIS body and subject', async () => {
    // "プリンター故障" and "プリンターが動きません。\r\n3階の複合機です。" in Shift_JIS.
    const subject = Buffer.from('8376838a8393835e815b8ccc8fe1', 'hex');
    const body = Buffer.from(
      '8376838a8393835e815b82aa93ae82ab82dc82b982f181420d0a338a4b82cc95a18d878b4082c582b78142',
      'hex',
    );
    const raw = message(
      [
        `From: =?Shift_JIS?B?${subject.toString('base64')}?= <taro@example.jp>`,
        `Subject: =?Shift_JIS?B?${subject.toString('base64')}?=`,
        'Message-ID: <sjis@example.jp>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=Shift_JIS',
        'Content-Transfer-Encoding: 8bit',
      ],
      body,
    );
    const mail = await parseMail(raw, desk);
    expect(mail.subject).toBe('プリンター故障');
    expect(mail.text).toBe('プリンターが動きません。\n3階の複合機です。');
    expect(mail.from?.name).toBe('プリンター故障');
  });

  it('makes an HTML-only mail readable text, without its scripts and styles', async () => {
    const mail = await parseMail(fixture('html-only.eml'), desk);
    expect(mail.subject).toBe('New request <!channel>');
    // &nbsp; stays a no-break space; &lt;!channel&gt; is text (escaping it for Slack is the card's job).
    expect(mail.text).toContain('The VPN fails with error\u00a0809 <!channel>');
    expect(mail.text).toContain('Laptop: T14');
    expect(mail.text).toContain('Café Wi-Fi works.');
    for (const hidden of ['document.cookie', 'alert', 'pwned', 'color: red', '<script', '<p>', '&lt;']) {
      expect(mail.text).not.toContain(hidden);
    }
    // The HTML is the body, not a file.
    expect(mail.attachments).toEqual([]);
  });

  it('gives an empty subject when there is none', async () => {
    const mail = await parseMail(message(['From: a@example.net'], 'Hello\r\n'), desk);
    expect(mail.subject).toBe('');
    expect(mail.text).toBe('Hello');
  });

  it('derives a stable Message-ID from the bytes when the mail has none', async () => {
    const raw = message(['From: a@example.net', 'Subject: no id'], 'Hello\r\n');
    const first = await parseMail(raw, desk);
    const again = await parseMail(Buffer.from(raw), desk);
    const other = await parseMail(message(['From: a@example.net', 'Subject: no id'], 'Hello!\r\n'), desk);
    expect(first.messageId).toBe(`sha256-${createHash('sha256').update(raw).digest('hex')}@folio.invalid`);
    expect(again.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
  });

  it('replaces a Message-ID too long to be a key, and keeps the first and last References of a long thread', async () => {
    const references = Array.from(
      { length: MAX_REFERENCES + 20 },
      (_, index) => `<ref.${index}@example.net>`,
    );
    const raw = message(
      [
        'From: a@example.net',
        `Message-ID: <${'x'.repeat(MAX_MESSAGE_ID_CHARS)}@example.net>`,
        `References: ${references.join('\r\n ')}`,
      ],
      'Hello\r\n',
    );
    const mail = await parseMail(raw, desk);
    expect(mail.messageId).toMatch(/^sha256-[0-9a-f]{64}@folio\.invalid$/);
    expect(mail.references).toHaveLength(MAX_REFERENCES);
    expect(mail.references[0]).toBe('ref.0@example.net');
    expect(mail.references.at(-1)).toBe(`ref.${MAX_REFERENCES + 19}@example.net`);
    expect(mail.references).not.toContain(`ref.${MAX_REFERENCES / 2}@example.net`);
  });

  it('keeps files with their names, sizes and bytes, but not the HTML alternative', async () => {
    const pdf = Buffer.from('%PDF-1.4 fake');
    const raw = message(
      [
        'From: a@example.net',
        'Subject: files',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="mixed"',
      ],
      [
        '--mixed',
        'Content-Type: multipart/alternative; boundary="alt"',
        '',
        '--alt',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'See the attached report.',
        '--alt',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>See the attached <b>report</b>.</p>',
        '--alt--',
        '--mixed',
        'Content-Type: application/pdf; name="report.pdf"',
        'Content-Disposition: attachment; filename="report.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        pdf.toString('base64'),
        '--mixed',
        'Content-Type: image/png',
        'Content-Disposition: attachment',
        'Content-Transfer-Encoding: base64',
        '',
        'iVBORw0KGgo=',
        '--mixed--',
        '',
      ].join('\r\n'),
    );
    const mail = await parseMail(raw, desk);
    expect(mail.text).toBe('See the attached report.');
    expect(
      mail.attachments.map(({ filename, contentType, size }) => ({ filename, contentType, size })),
    ).toEqual([
      { filename: 'report.pdf', contentType: 'application/pdf', size: pdf.length },
      { filename: 'attachment-2', contentType: 'image/png', size: 8 },
    ]);
    expect(mail.attachments[0]?.content.equals(pdf)).toBe(true);
  });

  it(`refuses a mail with more than ${MAX_ATTACHMENTS} attachments (552)`, async () => {
    const parts = Array.from({ length: MAX_ATTACHMENTS + 1 }, (_, index) =>
      [
        '--b',
        `Content-Type: text/plain; name="note-${index}.txt"`,
        `Content-Disposition: attachment; filename="note-${index}.txt"`,
        '',
        'x',
      ].join('\r\n'),
    );
    const raw = message(
      ['From: a@example.net', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
      `${parts.join('\r\n')}\r\n--b--\r\n`,
    );
    const refusal = await parseMail(raw, desk).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MailRefusal);
    expect(refusal).toMatchObject({ code: 552 });
    expect((refusal as Error).message).toContain(`at most ${MAX_ATTACHMENTS}`);
  });

  it(`refuses a mail of more than ${MAX_MIME_PARTS} MIME parts with a clear 554`, async () => {
    const parts = Array.from(
      { length: MAX_MIME_PARTS + 1 },
      () => '--b\r\nContent-Type: text/plain\r\n\r\nx',
    );
    const raw = message(
      ['From: a@example.net', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
      `${parts.join('\r\n')}\r\n--b--\r\n`,
    );
    const refusal = await parseMail(raw, desk).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MailRefusal);
    expect(refusal).toMatchObject({
      code: 554,
      message: expect.stringContaining('could not be read as MIME'),
    });
  });

  it('keeps HTML too long to convert as a file, so the mail can still be read', async () => {
    const html = `<html><body>${'<p>row</p>'.repeat(MAX_HTML_TO_TEXT_CHARS / 10 + 1)}</body></html>`;
    const raw = message(
      [
        'From: a@example.net',
        'Subject: report',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
      ],
      html,
    );
    const mail = await parseMail(raw, desk);
    expect(mail.text).toBe('');
    expect(mail.attachments.map(({ filename, contentType }) => ({ filename, contentType }))).toEqual([
      { filename: 'message.html', contentType: 'text/html' },
    ]);
    expect(mail.attachments[0]?.content.toString('utf8').trim()).toBe(html);
  });

  it('recognizes an out-of-office reply', async () => {
    const mail = await parseMail(fixture('out-of-office.eml'), desk);
    expect(mail.automatic).toBe('auto_reply');
    expect(mail.bounce).toBeNull();
  });

  it('reads a delivery report: a bounce, the Message-ID of the mail that bounced, status and reason', async () => {
    const mail = await parseMail(fixture('dsn-postfix.eml'), desk);
    expect(mail.automatic).toBe('bounce');
    expect(mail.bounce).toEqual({
      originalMessageIds: ['tkt042.created.1@folio.example.com'],
      status: '5.1.1',
      diagnostic:
        '550 5.1.1 <contractor@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
    });
    // The report's parts are not files for a ticket.
    expect(mail.attachments).toEqual([]);
    expect(mail.text).toContain('could not\nbe delivered');
  });

  it('reads malformed MIME as far as it goes: text of a part, files with safe names, no crash', async () => {
    const mail = await parseMail(fixture('malformed.eml'), desk);
    expect(mail.subject).toBe('printer');
    expect(mail.text).toBe('The printer on floor 3 is jammed.');
    expect(mail.attachments.map((attachment) => attachment.filename)).toEqual(['jam.png', 'attachment-2']);
    expect(mail.attachments[1]?.content.equals(Buffer.from([0, 1, 2, 3]))).toBe(true);
  });

  it('keeps the body of a multipart without a boundary as text', async () => {
    const raw = message(
      ['From: a@example.net', 'Subject: broken', 'Content-Type: multipart/mixed'],
      'The badge reader at the door is dead.\r\n',
    );
    const mail = await parseMail(raw, desk);
    expect(mail.text).toBe('The badge reader at the door is dead.');
  });

  it('refuses bytes that are no mail at all with a clear 554', async () => {
    for (const raw of [Buffer.alloc(0), Buffer.from('\u0000\u0001 not a mail\r\nat all')]) {
      const refusal = await parseMail(raw, desk).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(MailRefusal);
      expect(refusal).toMatchObject({ code: 554, message: expect.stringContaining('no header fields') });
    }
  });

  it('takes the recipients from the header when the envelope gives none (the webhook)', async () => {
    const raw = message(
      [
        'Delivered-To: hr@folio.example.com',
        'From: a@example.net',
        'To: "IT" <IT@folio.example.com>, Someone <someone@example.net>',
        'Cc: team: hr@folio.example.com, Facilities <facilities@folio.example.com>;',
        'Subject: hello',
      ],
      'Hello\r\n',
    );
    const mail = await parseMail(raw, { recipients: [] });
    expect(mail.recipients).toEqual([
      'hr@folio.example.com',
      'it@folio.example.com',
      'someone@example.net',
      'facilities@folio.example.com',
    ]);
  });

  it('strips a quote from the top of a long text without reading all of it', async () => {
    const history = '> an old line of the thread that goes on and on\n'.repeat(2_000);
    const raw = message(
      ['From: a@example.net', 'Subject: Re: long', 'Content-Type: text/plain; charset=utf-8'],
      `Fixed, thanks.\r\n\r\nOn Mon, 4 Mar 2024 at 09:00, IT desk <it@folio.example.com> wrote:\r\n${history}`,
    );
    const mail = await parseMail(raw, desk);
    expect(mail.text.length).toBeGreaterThan(90_000);
    expect(mail.reply).toBe('Fixed, thanks.');
  });
});
