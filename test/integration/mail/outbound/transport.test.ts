import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifyMailFailure, createMailTransport } from '../../../../src/mail/outbound/transport.js';
import { SmtpSink } from '../../../harness/smtpSink.js';

/** What nodemailer throws, talking to a real server, as the relay is told. */

let sink: SmtpSink;

beforeAll(async () => {
  sink = await SmtpSink.start();
});
afterAll(async () => {
  await sink?.close();
});
beforeEach(() => sink.reset());

const TIMEOUT_MS = 300;

async function failureOf(url: string, to = 'carla@contractor.example') {
  const error = await (await createMailTransport(url, TIMEOUT_MS))
    .sendMail({ from: 'it@example.com', to, subject: 'Hello', text: 'Hello' })
    .then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  return classifyMailFailure(error);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('classifyMailFailure', () => {
  it('calls a 4xx transient, with nothing sent', async () => {
    sink.failNext(451);
    expect(await failureOf(sink.url)).toEqual({
      kind: 'transient',
      uncertain: false,
      detail: '451 4.3.0 Try again later',
    });
  });

  it.each([
    [550, 'rcpt', '550 5.1.1 Mailbox unavailable'],
    [554, 'data', '554 5.6.0 Transaction failed'],
  ] as const)('calls a %i at %s permanent', async (code, stage, detail) => {
    sink.failNext(code, 1, stage);
    expect(await failureOf(sink.url)).toEqual({ kind: 'permanent', detail });
  });

  it('calls a server that stopped answering transient, perhaps sent', async () => {
    sink.hang();
    expect(await failureOf(sink.url)).toMatchObject({ kind: 'transient', uncertain: true });
  });

  it('calls a refused connection transient', async () => {
    expect(await failureOf(`smtp://127.0.0.1:${await closedPort()}`)).toMatchObject({
      kind: 'transient',
      uncertain: true,
    });
  });

  it('calls a mail without a valid recipient permanent', async () => {
    expect(await failureOf(sink.url, '')).toMatchObject({ kind: 'permanent' });
  });

  it('cannot tell what any other error means', () => {
    expect(classifyMailFailure(new Error('something else'))).toBeUndefined();
    expect(classifyMailFailure('a string')).toBeUndefined();
  });
});
