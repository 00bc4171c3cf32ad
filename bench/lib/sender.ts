import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FakeSlack } from '../../test/harness/fakeSlack.js';
import {
  type AppResponse,
  type SendOptions,
  SlackRequests,
  slackSignature,
} from '../../test/harness/slackRequests.js';
import { SIGNING_SECRET } from './config.js';

/**
 * The load generator's side of a measurement. Payloads are built beforehand by the test harness's own
 * builders (SlackRequests, so their shape is the harness's), and at measurement time only signed and
 * sent over a keep-alive `node:http` agent: the client shares the machine with the app, and the
 * harness's `fetch` and payload building cost more CPU per request than the bare floor itself.
 */

export interface Captured {
  body: string;
  contentType: string;
  /** A trigger_id minted while building: replaced by a fresh one when sent (they expire after 3 s). */
  triggerId?: string;
}

/** SlackRequests that records what it would post instead of posting it. */
export class PayloadRecorder extends SlackRequests {
  #last: Captured | undefined;

  constructor(fake: FakeSlack) {
    super({ appUrl: 'http://127.0.0.1:1', signingSecret: SIGNING_SECRET, fake });
  }

  override postRaw(body: string, contentType: string, _opts: SendOptions = {}): Promise<AppResponse> {
    this.#last = { body, contentType };
    return Promise.resolve({ status: 200, text: '', json: undefined });
  }

  /** What `build` posted (its trigger_id noted when it returns one). */
  async capture(build: (r: SlackRequests) => Promise<{ triggerId?: string }>): Promise<Captured> {
    const { triggerId } = await build(this);
    if (!this.#last) throw new Error('nothing was posted');
    return { ...this.#last, ...(triggerId ? { triggerId } : {}) };
  }
}

export interface Sent {
  status: number;
  text: string;
  ms: number;
}

export class Sender {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256 });
  readonly #host: string;
  readonly #port: number;

  constructor(
    appUrl: string,
    private readonly fake: FakeSlack,
  ) {
    const u = new URL(appUrl);
    this.#host = u.hostname;
    this.#port = Number(u.port);
  }

  send(c: Captured): Promise<Sent> {
    const body = c.triggerId ? c.body.replace(c.triggerId, this.fake.newTriggerId()) : c.body;
    const timestamp = Math.floor(Date.now() / 1000);
    const start = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#host,
          port: this.#port,
          path: '/slack/events',
          method: 'POST',
          agent: this.#agent,
          headers: {
            'content-type': c.contentType,
            'content-length': Buffer.byteLength(body),
            'x-slack-request-timestamp': String(timestamp),
            'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ms: performance.now() - start }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Opens `n` keep-alive connections at once with requests the receiver answers before any listener
   * (Slack's `ssl_check`), so that connection set-up is not measured as the first requests' latency.
   */
  async warmConnections(n: number): Promise<void> {
    const check: Captured = {
      body: 'ssl_check=1&token=bench',
      contentType: 'application/x-www-form-urlencoded',
    };
    await Promise.all(Array.from({ length: n }, () => this.send(check)));
  }

  close(): void {
    this.#agent.destroy();
  }
}
