import { generateKeyPairSync } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { dkimSign } from 'mailauth';
import nodemailer from 'nodemailer';
import type { Queryable } from '../../src/db/client.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import type { DnsResolver } from '../../src/mail/inbound/authenticity.js';
import { MAIL_INBOUND_PATH } from '../../src/mail/inbound/webhook.js';
import type { SmtpSink } from '../harness/smtpSink.js';
import { queryRows, sql } from './db.js';
import { type TestFolio, type TestFolioOptions, useStarted } from './folio.js';
import { HR_MAILBOX, IT_MAILBOX, MAIL_CONFIG, startMailFolio } from './mail.js';

/**
 * What the end-to-end tests of the mail channel's edges (bad input, sender authenticity, the inbound
 * webhook, a crash) share: the desks with their mailboxes, mails written byte by byte, a real SMTP
 * client that reports the server's answer whatever it is, the webhook called as a provider calls it,
 * a DNS of the test's own for the sender checks, and the rows a mail can write, counted.
 */

export { HR_MAILBOX, IT_MAILBOX };
/** A mailbox at an internationalized domain (büro.example), kept in its ASCII form as desks are. */
export const FACILITIES_MAILBOX = `facilities@${domainToASCII('büro.example')}`;
export const FACILITIES_CHANNEL = 'C_FACILITIES_DESK';

/** The test desks with mailboxes: IT public, HR private, and Facilities at an internationalized domain. */
export const MAIL_DESKS_CONFIG: HelpdeskConfigInput = {
  ...MAIL_CONFIG,
  desks: [
    ...MAIL_CONFIG.desks,
    {
      key: 'facilities',
      name: 'Facilities',
      channel: FACILITIES_CHANNEL,
      members: ['U_AGENT_ANA'],
      leads: ['U_AGENT_ANA'],
      mailbox: FACILITIES_MAILBOX,
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// The app with its mail channel on.

export interface MailFolio {
  /** The app; `t.folio.smtpPort` is its SMTP server, `t.folio.port` its HTTP one. */
  readonly t: TestFolio;
  /** The relay the app's outgoing mail goes to (SMTP_URL). */
  readonly sink: SmtpSink;
}

/**
 * The app for one test file with its mail channel on (mail.ts startMailFolio), with the desks of
 * MAIL_DESKS_CONFIG; `env` adds to or overrides that (MAIL_INBOUND_SECRET, SMTP_MAX_BYTES,
 * MAIL_VERIFY_SENDER…). Started before the file's first test, emptied (tickets, the fake Slack, the
 * sink) before each, stopped after its last.
 */
export function useMailFolio(o: Omit<TestFolioOptions, 'config'> = {}): MailFolio {
  const app = useStarted(() => startMailFolio({ ...o, config: MAIL_DESKS_CONFIG }));
  return {
    t: app,
    get sink() {
      return app.sink;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Mails as bytes.

export interface RawMailOptions {
  from: string;
  to?: string;
  /** Omitted: the mail has no Subject field at all. */
  subject?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  /** Further header lines, as written ("Name: value"). */
  headers?: string[];
  /** The Content-Type field; text/plain in UTF-8 unless told. */
  contentType?: string;
  /** The body as sent: a string is written in UTF-8, a Buffer byte for byte. */
  body?: string | Buffer;
}

let sequence = 0;

/** A unique Message-ID (without brackets) for a test mail. */
export function newMessageId(tag = 'mail'): string {
  sequence += 1;
  return `${tag}.${process.pid}.${Date.now()}.${sequence}@sender.example`;
}

/** An RFC 5322 message with CRLF line ends, exactly as given. */
export function rawMail(o: RawMailOptions): Buffer {
  const lines = [
    `From: ${o.from}`,
    `To: ${o.to ?? IT_MAILBOX}`,
    ...(o.subject === undefined ? [] : [`Subject: ${o.subject}`]),
    'Date: Tue, 5 Mar 2024 10:00:00 +0000',
    `Message-ID: <${o.messageId ?? newMessageId()}>`,
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: ${o.contentType ?? 'text/plain; charset=utf-8'}`,
    ...(o.headers ?? []),
    '',
    '',
  ];
  const body = o.body ?? '';
  return Buffer.concat([
    Buffer.from(lines.join('\r\n'), 'utf8'),
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    Buffer.from('\r\n'),
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Sending by SMTP.

/** The server's answer to a mail: 250, or the refusal with the command it came at. */
export type SmtpAnswer =
  | { accepted: true; response: string }
  | { accepted: false; code: number | undefined; command: string | undefined; response: string };

/** The name the sending server gives in EHLO. */
export const SENDER_HELO = 'mail.sender.example';

/**
 * Sends `raw` as it is (nodemailer only dot-stuffs it, as SMTP requires) to the app's SMTP server on
 * loopback, as another mail server would, and reports what the server answered. `mailFrom` is the
 * envelope sender (the From: address unless told), `to` the envelope recipients.
 */
export async function sendMail(
  port: number,
  raw: Buffer,
  envelope: { mailFrom: string; to: string[] },
): Promise<SmtpAnswer> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    name: SENDER_HELO,
    // A 20 MB message over loopback, and the server's commit before its 250: generous, not a wait.
    socketTimeout: 60_000,
  });
  try {
    const info = await transport.sendMail({ envelope: { from: envelope.mailFrom, to: envelope.to }, raw });
    return { accepted: true, response: info.response };
  } catch (error) {
    const failure = error as { responseCode?: number; command?: string; response?: string; message?: string };
    return {
      accepted: false,
      code: failure.responseCode,
      command: failure.command,
      response: failure.response ?? failure.message ?? String(error),
    };
  } finally {
    transport.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// The inbound webhook.

export interface WebhookAnswer {
  status: number;
  body: unknown;
}

/** `POST /mail/inbound` with the raw message, as a provider forwards it; `secret` undefined sends none. */
export async function postInboundMail(
  httpPort: number,
  raw: Buffer,
  secret: string | undefined,
): Promise<WebhookAnswer> {
  const res = await fetch(`http://127.0.0.1:${httpPort}${MAIL_INBOUND_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'message/rfc822',
      ...(secret === undefined ? {} : { authorization: `Bearer ${secret}` }),
    },
    body: new Uint8Array(raw),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as the text it is.
  }
  return { status: res.status, body };
}

// ---------------------------------------------------------------------------------------------------
// Sender authenticity: a DNS and a DKIM key of the test's own (this machine has no DNS).

/**
 * A resolver answering TXT records from `records` (by lower-case name) and "not found" for every
 * other name and type, as the real one says it.
 */
export function localDns(records: Record<string, string>): DnsResolver {
  return async (name, rrtype) => {
    const record = rrtype === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (record === undefined) {
      throw Object.assign(new Error(`query${rrtype} ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    }
    // TXT answers come in strings of at most 255 characters, as DNS gives them.
    return [record.match(/.{1,255}/g) ?? []];
  };
}

/** The DKIM selector the test key is published under. */
export const DKIM_SELECTOR = 'folio2024';

/** An RSA key that signs mail as a domain would, and the record the domain publishes for it. */
export class DkimKey {
  readonly #privateKeyPem: string;
  /** The TXT record at `<selector>._domainkey.<domain>`. */
  readonly record: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  }

  /** The name the record is published at for `domain`. */
  recordName(domain: string): string {
    return `${DKIM_SELECTOR}._domainkey.${domain}`;
  }

  /** `raw` with a DKIM-Signature of `domain` prepended. */
  async sign(raw: Buffer, domain: string): Promise<Buffer> {
    const key = { signingDomain: domain, selector: DKIM_SELECTOR, privateKey: this.#privateKeyPem };
    // mailauth signs with the entries of signatureData; its typings also ask for one at the top level.
    // Without signTime, mailauth reads the clock twice (rounded to the second): once for the header
    // it signs and once for the header it writes, so about one signature in 500 has a t= that differs
    // from the one signed, and fails.
    const result = await dkimSign(raw, { ...key, signatureData: [key], signTime: new Date() });
    if (result.errors.length > 0) throw new Error(`DKIM signing failed: ${JSON.stringify(result.errors)}`);
    return Buffer.concat([Buffer.from(result.signatures), raw]);
  }
}

// ---------------------------------------------------------------------------------------------------
// What a mail can write.

/** The rows a mail taken in can write: all equal before and after a refusal. */
export interface MailRowCounts {
  tickets: number;
  comments: number;
  mailMessages: number;
  fileUploads: number;
  outbox: number;
}

export async function mailRowCounts(db: Queryable): Promise<MailRowCounts> {
  const [row] = await queryRows<Record<keyof MailRowCounts, number | string>>(
    db,
    sql`select
      (select count(*) from tickets) as "tickets",
      (select count(*) from comments) as "comments",
      (select count(*) from mail_messages) as "mailMessages",
      (select count(*) from file_uploads) as "fileUploads",
      (select count(*) from outbox) as "outbox"`,
  );
  if (!row) throw new Error('the counts query returned nothing');
  return {
    tickets: Number(row.tickets),
    comments: Number(row.comments),
    mailMessages: Number(row.mailMessages),
    fileUploads: Number(row.fileUploads),
    outbox: Number(row.outbox),
  };
}

// ---------------------------------------------------------------------------------------------------
// What Slack shows.

/** Every mrkdwn text in `node` (blocks, fields, elements): what Slack parses for mentions and links. */
export function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = record.type === 'mrkdwn' && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap(mrkdwnTexts)];
}
