import type { NodemailerError, SendMailOptions, Transporter } from 'nodemailer';
import type { DeliveryFailure } from '../../outbox/deliverer.js';
import type { ComposedMail } from './compose.js';

/**
 * How Folio's mail leaves: nodemailer over SMTP (`SMTP_URL`), one connection per mail, and what an
 * SMTP failure means for the relay's retry.
 */

/**
 * The transport for `SMTP_URL` (`smtp://user:pass@relay:587`, or `smtps://` for TLS from the start).
 * No pool: the relay sends a few mails at a time, and a connection per mail cannot go stale between
 * them. Every wait (connecting, the greeting, each answer) gives up after `timeoutMs`, the relay's
 * request timeout, so a stuck server is a failed attempt the relay retries, never a stuck relay.
 */
export async function createMailTransport(url: string, timeoutMs: number): Promise<Transporter> {
  // Loaded only when mail goes out: an app without SMTP_URL does not carry nodemailer in memory.
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    url,
    pool: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
}

/** A composed mail as nodemailer sends it; the envelope's sender is the desk's mailbox, so bounces come back to it. */
export function sendMailOptions(mail: ComposedMail): SendMailOptions {
  const bracketed = (id: string) => `<${id}>`;
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: bracketed(mail.messageId),
    ...(mail.inReplyTo ? { inReplyTo: bracketed(mail.inReplyTo) } : {}),
    ...(mail.references.length > 0 ? { references: mail.references.map(bracketed) } : {}),
    headers: mail.headers,
    attachments: mail.attachments.map((file) => ({
      filename: file.name,
      content: file.content,
      ...(file.mimetype ? { contentType: file.mimetype } : {}),
    })),
  };
}

/** nodemailer's codes for a connection that failed or went quiet: no SMTP answer to go by. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL']);

/** 503 "bad sequence of commands" is about the session, not the mail: a new connection may take it. */
const BAD_SEQUENCE = 503;

function isNodemailerError(error: unknown): error is NodemailerError {
  return error instanceof Error && ('responseCode' in error || 'code' in error);
}

/** The SMTP answer (`550 5.1.1 No such user`) or, without one, what went wrong. */
export function smtpFailureDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { response } = error as NodemailerError;
  return typeof response === 'string' && response.trim() !== '' ? response.trim() : error.message;
}

/**
 * What a failed send means for a retry:
 * - an SMTP 4xx answer: the server refused for now (greylisting, a full queue) and did not take the
 *   mail: retry, nothing sent;
 * - a 5xx answer (but 503): refused for good (no such mailbox, policy, too large): no retry, and the
 *   deliverer tells the desk;
 * - an envelope nodemailer refuses to send (no valid recipient): no retry either;
 * - a connection that failed or timed out: the server may have taken the mail before the answer was
 *   lost. The retry sends it again with the same Message-ID (compose.ts), which the requester's client
 *   shows once at most; there is no way to ask an SMTP server what it received.
 */
export function classifyMailFailure(error: unknown): DeliveryFailure | undefined {
  if (!isNodemailerError(error)) return undefined;
  const detail = smtpFailureDetail(error);
  const code = error.responseCode;
  if (typeof code === 'number') {
    if (code >= 400 && code < 500) return { kind: 'transient', uncertain: false, detail };
    if (code === BAD_SEQUENCE) return { kind: 'transient', uncertain: false, detail };
    if (code >= 500 && code < 600) return { kind: 'permanent', detail };
  }
  // Refused by nodemailer before any server saw it (no valid recipient): the same mail fails again.
  if (error.code === 'EENVELOPE') return { kind: 'permanent', detail };
  if (error.code && CONNECTION_CODES.has(error.code)) return { kind: 'transient', uncertain: true, detail };
  return undefined;
}
