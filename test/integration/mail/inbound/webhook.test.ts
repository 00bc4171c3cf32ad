import { afterEach, describe, expect, it } from 'vitest';
import { RequestCounters } from '../../../../src/http/metrics.js';
import { type HttpServer, listen, Router } from '../../../../src/http/router.js';
import { createLogger } from '../../../../src/lib/logger.js';
import { MailRefusal } from '../../../../src/mail/inbound/refusal.js';
import {
  MAIL_INBOUND_PATH,
  mailInboundRoute,
  RETRY_AFTER_SECONDS,
} from '../../../../src/mail/inbound/webhook.js';

/**
 * The inbound webhook on Folio's real router and HTTP server, called with fetch as a provider would.
 * `ingest` is the one stand-in: it records the messages, in place of the database side.
 */

const SECRET = 'a-long-shared-secret-for-the-inbound-webhook';
const servers: HttpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: { maxBytes?: number; ingest?: (raw: Buffer) => Promise<void> } = {}) {
  const ingested: Buffer[] = [];
  const counters = new RequestCounters();
  const log = createLogger('error', { sink: () => {} });
  const router = new Router(log).add(
    mailInboundRoute({
      secret: SECRET,
      maxBytes: options.maxBytes ?? 64 * 1024,
      ingest: async (raw) => {
        await options.ingest?.(raw);
        ingested.push(raw);
      },
      counters,
      log,
    }),
  );
  const server = await listen(router, 0);
  servers.push(server);
  const post = (body: Buffer | string, authorization: string | null = `Bearer ${SECRET}`) =>
    fetch(`http://127.0.0.1:${server.port}${MAIL_INBOUND_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', ...(authorization ? { authorization } : {}) },
      body,
    });
  return { post, ingested, counters };
}

const raw = Buffer.from(
  'From: jane@example.net\r\nTo: it@folio.example.com\r\nSubject: VPN\r\nMessage-ID: <vpn@example.net>\r\n\r\nThe VPN is down.\r\n',
);

describe('POST /mail/inbound', () => {
  it('takes the raw message with the right secret: 202, the bytes handed over as sent', async () => {
    const { post, ingested } = await start();
    const response = await post(raw);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true });
    expect(ingested).toHaveLength(1);
    expect(ingested[0]?.equals(raw)).toBe(true);
  });

  it.each([
    ['a wrong secret', 'Bearer not-the-secret-at-all-not-the-secret'],
    ['the secret with one more character', `Bearer ${SECRET}x`],
    ['no Authorization header', null],
    ['another scheme', `Basic ${SECRET}`],
  ])('answers 401 to %s, and takes nothing', async (_case, authorization) => {
    const { post, ingested, counters } = await start();
    const response = await post(raw, authorization);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'unauthorized' });
    expect(ingested).toEqual([]);
    expect(counters.lines()).toEqual([
      'folio_requests_refused_total{channel="mail",reason="unauthorized"} 1',
    ]);
  });

  it('answers 413 to a message over the limit, and takes nothing', async () => {
    const { post, ingested } = await start({ maxBytes: 1_000 });
    const response = await post(Buffer.concat([raw, Buffer.alloc(2_000, 'x')]));
    expect(response.status).toBe(413);
    expect(ingested).toEqual([]);
  });

  it('answers 413 to a streamed message (no Content-Length) once it passes the limit', async () => {
    const { ingested } = await start({ maxBytes: 1_000 });
    const server = servers[0];
    const chunks = [raw, Buffer.alloc(800, 'x'), Buffer.alloc(800, 'y')];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`http://127.0.0.1:${server?.port}${MAIL_INBOUND_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}` },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(ingested).toEqual([]);
  });

  it('answers 422 with the reason to a mail Folio refuses for good', async () => {
    const { post } = await start({
      ingest: async () => {
        throw new MailRefusal(554, 'The message has no header fields: it is not an RFC 5322 mail');
      },
    });
    const response = await post('not a mail');
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: 'The message has no header fields: it is not an RFC 5322 mail',
      code: 554,
    });
  });

  it('answers 503 with Retry-After when the mail could not be taken now, so the provider sends it again', async () => {
    let failures = 1;
    const { post, ingested } = await start({
      ingest: async () => {
        if (failures-- > 0) throw new Error('database is down');
      },
    });
    const first = await post(raw);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(ingested).toEqual([]);

    const again = await post(raw);
    expect(again.status).toBe(202);
    expect(ingested).toHaveLength(1);
  });

  it('answers 400 to an empty body', async () => {
    const { post, ingested } = await start();
    const response = await post('');
    expect(response.status).toBe(400);
    expect(ingested).toEqual([]);
  });
});
