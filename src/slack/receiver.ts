import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { RequestCounters } from '../http/metrics.js';
import { BodyTooLargeError, json, plain, type Route, readBody } from '../http/router.js';
import type { FolioLogger } from '../lib/logger.js';
import { isSslCheck, readEnvelope } from './envelope.js';

/**
 * Slack's door in HTTP mode: `POST /slack/events` on Folio's router, in place of Bolt's own HTTP
 * receiver. It checks, in this order, what Bolt's receiver checks loosely or not at all:
 *
 * - the body is at most 4 MB (Bolt's limit too): 413;
 * - the signature, with a timestamp at most 5 minutes from now in either direction (Slack's rule;
 *   Bolt refuses only old ones): 401;
 * - the envelope has one of the shapes Slack sends (`envelope.ts`): 400 at once, logged at debug and
 *   counted in `/metrics`, so a malformed body never reaches a listener nor throws inside Bolt.
 *
 * Then Bolt runs the listeners, and the answer is sent once they are done (Bolt's
 * `processBeforeResponse`): an event whose handling failed gets a 500 and Slack delivers it again. A
 * well-formed request that no listener acknowledged (an unknown `callback_id` or `action_id`, an
 * interaction type Folio does not use) is answered 404 as soon as Bolt is done with it, instead of
 * after Bolt's 3-second timeout, and counted.
 */

export const SLACK_EVENTS_PATH = '/slack/events';
/** Bolt's own limit; Slack's largest payloads (a message shortcut on a long message) are far below. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;
/** Slack's replay window, applied to timestamps in the past and in the future. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export interface SlackReceiverOptions {
  signingSecret: string;
  log: FolioLogger;
  counters: RequestCounters;
  /** Seconds since the epoch; the real time, even when the app's clock is moved (tests, demo). */
  nowSeconds?: () => number;
}

export class SlackReceiver implements Receiver {
  private app: App | undefined;
  private readonly nowSeconds: () => number;

  constructor(private readonly options: SlackReceiverOptions) {
    this.nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  init(app: App): void {
    this.app = app;
  }

  /** Folio's router owns the HTTP server (`src/http/`); Bolt's start and stop have nothing to do. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  route(): Route {
    return { method: 'POST', path: SLACK_EVENTS_PATH, handle: (req, res) => this.handle(req, res) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw: string;
    try {
      raw = (await readBody(req, BODY_LIMIT_BYTES)).toString('utf8');
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return this.refuse(res, 413, 'too_large', 'Request body too large');
    }
    const contentType = req.headers['content-type'];
    if (isSslCheck(contentType, raw)) return plain(res, 200, '');
    const unsigned = this.unsigned(req, raw);
    if (unsigned) return this.refuse(res, 401, 'signature', `Unauthorized: ${unsigned}`);

    const envelope = readEnvelope(contentType, raw);
    switch (envelope.kind) {
      case 'ssl_check':
        return plain(res, 200, '');
      case 'url_verification':
        return json(res, 200, { challenge: envelope.challenge });
      case 'malformed':
        return this.refuse(res, 400, 'malformed', `Malformed request: ${envelope.reason}`);
      case 'unhandled':
        return this.refuse(res, 404, 'unhandled', `No listener for ${envelope.type}`);
      case 'dispatch':
        return this.dispatch(req, res, envelope.body);
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) {
    const app = this.app;
    if (!app) throw new Error('the Slack receiver was not given to a Bolt app');
    let acknowledged = false;
    let stored: unknown;
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acknowledged) {
          this.options.log.warn(
            'A listener acknowledged a Slack request twice; the second answer is dropped',
          );
          return;
        }
        acknowledged = true;
        stored = response;
      },
      ...retryOf(req),
    };
    try {
      await app.processEvent(event);
    } catch (error) {
      this.options.log.error('An error escaped the Slack listeners; answering 500 so Slack retries', error);
      return plain(res, 500, 'Internal error');
    }
    if (!acknowledged) return this.refuse(res, 404, 'unhandled', 'No listener handled this request');
    if (stored === undefined || stored === '') {
      res.writeHead(200);
      res.end();
    } else if (typeof stored === 'string') plain(res, 200, stored);
    else json(res, 200, stored);
  }

  /** Why the request is not Slack's, or undefined when its signature holds. */
  private unsigned(req: IncomingMessage, raw: string): string | undefined {
    const timestamp = header(req, 'x-slack-request-timestamp');
    const signature = header(req, 'x-slack-signature');
    if (timestamp === undefined || signature === undefined) return 'missing signature headers';
    const seconds = Number(timestamp);
    if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(seconds)) return 'bad timestamp';
    if (Math.abs(this.nowSeconds() - seconds) > MAX_CLOCK_SKEW_SECONDS) {
      return 'timestamp more than 5 minutes from now';
    }
    const expected = `v0=${createHmac('sha256', this.options.signingSecret).update(`v0:${timestamp}:${raw}`).digest('hex')}`;
    const given = Buffer.from(signature);
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return 'signature mismatch';
    return undefined;
  }

  /** Refusals are the sender's problem, not Folio's: logged at debug, counted for operators. */
  private refuse(res: ServerResponse, status: number, reason: string, message: string): void {
    this.options.counters.count('slack', reason);
    this.options.log.debug(`Slack request refused (${status}): ${message}`);
    plain(res, status, message);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Slack's redelivery headers, which Bolt passes to listeners as `retryNum` and `retryReason`. */
function retryOf(req: IncomingMessage): Pick<ReceiverEvent, 'retryNum' | 'retryReason'> {
  const count = header(req, 'x-slack-retry-num');
  const reason = header(req, 'x-slack-retry-reason');
  return {
    ...(count !== undefined && /^\d+$/.test(count) ? { retryNum: Number(count) } : {}),
    ...(reason !== undefined ? { retryReason: reason } : {}),
  };
}
