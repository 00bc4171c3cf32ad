import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestCounters } from '../../http/metrics.js';
import { BodyTooLargeError, json, type Route, readBody } from '../../http/router.js';
import type { FolioLogger } from '../../lib/logger.js';
import { MailRefusal } from './refusal.js';

/**
 * `POST /mail/inbound`: mail forwarded by a provider's inbound webhook, for teams whose mailbox is not
 * pointed at Folio's SMTP server. The body is the raw RFC 822 message (any content type:
 * message/rfc822, text/plain, application/octet-stream), the request authenticated by
 * `Authorization: Bearer <MAIL_INBOUND_SECRET>`.
 *
 * Answers: 202 {"accepted":true} once the mail is committed; 401 for a missing or wrong secret (the
 * body is not read); 413 over `maxBytes`; 400 for an empty body; 422 for a mail Folio refuses for
 * good (MailRefusal 550/552/554: retrying would not help); 503 with Retry-After for anything else
 * (a MailRefusal 451 included), so the provider tries again.
 *
 * `ingest` gets the raw message only: the provider gives no reliable envelope, so the recipients are
 * read from the message (readMail with `recipients: []`: Delivered-To, X-Original-To, To, Cc).
 */

export const MAIL_INBOUND_PATH = '/mail/inbound';
/** What a provider is told to wait before sending a mail again after a 503. */
export const RETRY_AFTER_SECONDS = 60;

export interface MailInboundRouteOptions {
  secret: string;
  maxBytes: number;
  ingest(raw: Buffer): Promise<void>;
  counters?: RequestCounters;
  log: FolioLogger;
}

export function mailInboundRoute(options: MailInboundRouteOptions): Route {
  // An empty secret would let in every request that sends none.
  if (options.secret.length === 0) throw new Error('The inbound mail webhook needs a secret');
  const log = options.log.child({ component: 'mail-webhook' });
  const expected = digest(options.secret);

  const refuse = (res: ServerResponse, status: number, reason: string, body: object) => {
    options.counters?.count('mail', reason);
    json(res, status, body);
  };

  return {
    method: 'POST',
    path: MAIL_INBOUND_PATH,
    handle: async (req: IncomingMessage, res: ServerResponse) => {
      const token = bearerToken(req.headers.authorization);
      if (token === '' || !timingSafeEqual(digest(token), expected)) {
        // Whatever the unauthenticated client still sends is not read: the connection ends with the answer.
        res.setHeader('connection', 'close');
        return refuse(res, 401, 'unauthorized', { error: 'unauthorized' });
      }
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        res.setHeader('connection', 'close');
        return refuse(res, 413, 'too_large', { error: `message over ${options.maxBytes} bytes` });
      }

      let raw: Buffer;
      try {
        raw = await readBody(req, options.maxBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        return refuse(res, 413, 'too_large', { error: `message over ${options.maxBytes} bytes` });
      }
      if (raw.length === 0) {
        return refuse(res, 400, 'malformed', { error: 'empty body: send the raw RFC 822 message' });
      }

      try {
        await options.ingest(raw);
      } catch (error) {
        if (error instanceof MailRefusal && error.code !== 451) {
          log.info('Refused a mail', { code: error.code, reason: error.message });
          return refuse(res, 422, 'refused', { error: error.message, code: error.code });
        }
        log.error('Could not take a mail: asked the provider to try again later', error);
        res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
        return refuse(res, 503, 'unavailable', { error: 'temporarily unavailable, try again later' });
      }
      log.info('Mail received', { bytes: raw.length });
      json(res, 202, { accepted: true });
    },
  };
}

function bearerToken(header: string | undefined): string {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
}

/** Equal-length digests, so the comparison takes the same time whatever the token's length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
