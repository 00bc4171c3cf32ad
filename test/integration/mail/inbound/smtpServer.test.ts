import { connect, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import getTLSOptions from 'smtp-server/lib/tls-options.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../../src/lib/logger.js';
import {
  MAX_CONNECTIONS,
  MAX_MAILS_AT_ONCE,
  type MailIntake,
  MailRefusal,
  type RunningSmtpServer,
  startSmtpServer,
} from '../../../../src/mail/inbound/smtpServer.js';

/**
 * The SMTP server on loopback with nodemailer as the sending server. The intake is the one stand-in:
 * it records what it is given, in place of the database side.
 */

interface Received {
  raw: Buffer;
  envelope: { recipients: string[]; ip: string; helo: string; mailFrom: string };
}

const MAILBOXES = new Set(['it@folio.example.com', 'hr@folio.example.com']);
const servers: RunningSmtpServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(
  options: {
    maxBytes?: number;
    receive?: (raw: Buffer) => Promise<void>;
    tls?: { cert: Buffer; key: Buffer };
  } = {},
) {
  const received: Received[] = [];
  const logged: Record<string, unknown>[] = [];
  const intake: MailIntake = {
    isMailbox: async (address) => MAILBOXES.has(address),
    receive: async (raw, envelope) => {
      await options.receive?.(raw);
      received.push({ raw, envelope });
    },
  };
  const server = await startSmtpServer({
    host: '127.0.0.1',
    port: 0,
    maxBytes: options.maxBytes ?? 1024 * 1024,
    ...(options.tls ? { tls: options.tls } : {}),
    intake,
    log: createLogger('debug', { sink: (line) => logged.push(JSON.parse(line) as Record<string, unknown>) }),
  });
  servers.push(server);
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: server.port,
    secure: false,
    name: 'mail.sender.example',
    ...(options.tls ? { requireTLS: true, tls: { rejectUnauthorized: false } } : { ignoreTLS: true }),
  });
  return { server, received, logged, transport };
}

const rawMail = (body = 'The printer on floor 3 is jammed.') =>
  Buffer.from(
    [
      'From: Jane <jane@example.net>',
      'To: it@folio.example.com',
      'Subject: Printer',
      'Message-ID: <printer.1@example.net>',
      '',
      body,
      '',
    ].join('\r\n'),
  );

/** What nodemailer reports when the server refused: the SMTP code and the server's line. */
function smtpFailure(error: unknown): { responseCode?: number; response?: string; command?: string } {
  return error as { responseCode?: number; response?: string; command?: string };
}

describe('startSmtpServer', () => {
  it('takes a mail for a desk mailbox and answers 250 with the envelope as sent', async () => {
    const { transport, received } = await start();
    const raw = rawMail();

    const info = await transport.sendMail({
      envelope: { from: 'bounces@example.net', to: ['IT@folio.example.com'] },
      raw,
    });

    expect(info.response).toMatch(/^250 /);
    expect(info.accepted).toEqual(['IT@folio.example.com']);
    expect(received).toHaveLength(1);
    expect(received[0]?.raw.toString('utf8')).toBe(raw.toString('utf8'));
    expect(received[0]?.envelope).toEqual({
      recipients: ['it@folio.example.com'],
      ip: '127.0.0.1',
      helo: 'mail.sender.example',
      mailFrom: 'bounces@example.net',
    });
  });

  it('refuses a recipient that is no desk mailbox at RCPT TO with 550 5.1.1', async () => {
    const { transport, received } = await start();
    const failure = await transport
      .sendMail({ envelope: { from: 'a@example.net', to: ['ceo@folio.example.com'] }, raw: rawMail() })
      .then(
        () => undefined,
        (error: unknown) => smtpFailure(error),
      );

    expect(failure?.responseCode).toBe(550);
    expect(failure?.command).toBe('RCPT TO');
    expect(failure?.response).toMatch(/^550 5\.1\.1 <ceo@folio\.example\.com>: no such mailbox here/);
    expect(received).toEqual([]);
  });

  it('delivers to the desk mailboxes among several recipients and refuses the others', async () => {
    const { transport, received } = await start();
    const info = await transport.sendMail({
      envelope: {
        from: 'a@example.net',
        to: ['it@folio.example.com', 'nobody@folio.example.com', 'hr@folio.example.com'],
      },
      raw: rawMail(),
    });
    expect(info.rejected).toEqual(['nobody@folio.example.com']);
    expect(received.map((mail) => mail.envelope.recipients)).toEqual([
      ['it@folio.example.com', 'hr@folio.example.com'],
    ]);
  });

  it('refuses a message over the size limit at the end of DATA with 552, the intake never called', async () => {
    const { transport, received } = await start({ maxBytes: 2_000 });
    const failure = await transport
      .sendMail({
        envelope: { from: 'a@example.net', to: ['it@folio.example.com'] },
        raw: rawMail('x'.repeat(78).concat('\r\n').repeat(200)),
      })
      .then(
        () => undefined,
        (error: unknown) => smtpFailure(error),
      );

    expect(failure?.responseCode).toBe(552);
    expect(failure?.command).toBe('DATA');
    expect(failure?.response).toMatch(/^552 5\.3\.4 .*maximum message size 2000/);
    expect(received).toEqual([]);

    // The connection's next message, within the limit, goes through.
    await transport.sendMail({
      envelope: { from: 'a@example.net', to: ['it@folio.example.com'] },
      raw: rawMail(),
    });
    expect(received).toHaveLength(1);
  });

  it('answers 250 only once the intake has committed the mail', async () => {
    let release: () => void = () => {};
    const committed = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const receiving = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const { transport, received } = await start({
      receive: async () => {
        entered();
        await committed;
      },
    });

    let answered = false;
    const sending = transport
      .sendMail({ envelope: { from: 'a@example.net', to: ['it@folio.example.com'] }, raw: rawMail() })
      .finally(() => {
        answered = true;
      });
    await receiving;
    // Give the server every chance to answer early, were it to.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);

    release();
    const info = await sending;
    expect(info.response).toMatch(/^250 /);
    expect(received).toHaveLength(1);
  });

  it(`takes in at most ${MAX_MAILS_AT_ONCE} mails at once, the others waiting unread until a slot frees`, async () => {
    let release: () => void = () => {};
    const committed = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inProgress = 0;
    let most = 0;
    const { server, received } = await start({
      receive: async () => {
        inProgress++;
        most = Math.max(most, inProgress);
        await committed;
        inProgress--;
      },
    });
    // One connection per mail, as senders' servers would come.
    const senders = Array.from({ length: MAX_MAILS_AT_ONCE + 3 }, () =>
      nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true }),
    );
    const sending = senders.map((transport) =>
      transport.sendMail({
        envelope: { from: 'a@example.net', to: ['it@folio.example.com'] },
        raw: rawMail(),
      }),
    );
    await vi.waitFor(() => expect(inProgress).toBe(MAX_MAILS_AT_ONCE));
    // The others are waiting: give them every chance to be read, were the bound not there.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(most).toBe(MAX_MAILS_AT_ONCE);

    release();
    const answers = await Promise.all(sending);
    expect(answers.every((info) => info.response.startsWith('250 '))).toBe(true);
    expect(received).toHaveLength(MAX_MAILS_AT_ONCE + 3);
    expect(most).toBe(MAX_MAILS_AT_ONCE);
  });

  it('answers a refusal of the intake with its code and message', async () => {
    const { transport } = await start({
      receive: async () => {
        throw new MailRefusal(554, 'The message could not be read as MIME: too many parts');
      },
    });
    const failure = await transport
      .sendMail({ envelope: { from: 'a@example.net', to: ['it@folio.example.com'] }, raw: rawMail() })
      .then(
        () => undefined,
        (error: unknown) => smtpFailure(error),
      );
    expect(failure?.responseCode).toBe(554);
    expect(failure?.response).toBe('554 5.6.0 The message could not be read as MIME: too many parts');
  });

  it('answers 451 4.3.0 when the intake fails otherwise, so the sender tries again later', async () => {
    const { transport, logged } = await start({
      receive: async () => {
        throw new Error('database is down');
      },
    });
    const failure = await transport
      .sendMail({ envelope: { from: 'a@example.net', to: ['it@folio.example.com'] }, raw: rawMail() })
      .then(
        () => undefined,
        (error: unknown) => smtpFailure(error),
      );
    expect(failure?.responseCode).toBe(451);
    expect(failure?.response).toMatch(/^451 4\.3\.0 /);
    expect(
      logged.some((line) => line.level === 'error' && JSON.stringify(line).includes('database is down')),
    ).toBe(true);
  });

  it('advertises SIZE, offers neither AUTH nor STARTTLS without a certificate', async () => {
    const { server } = await start({ maxBytes: 123_456 });
    const session = await dialogue(server.port, [
      'EHLO client.example',
      'AUTH PLAIN AGdvZABnb2Q=',
      'STARTTLS',
    ]);
    const ehlo = session[1] ?? '';
    expect(ehlo).toMatch(/^250[- ]SIZE 123456$/m);
    expect(ehlo).toMatch(/^250[- ]ENHANCEDSTATUSCODES$/m);
    expect(ehlo).not.toContain('AUTH');
    expect(ehlo).not.toContain('STARTTLS');
    // Disabled commands are unknown commands to the client.
    expect(session[2]).toMatch(/^500 5\.5\.2 /);
    expect(session[3]).toMatch(/^500 5\.5\.2 /);
  });

  it('upgrades to TLS with STARTTLS when given a certificate', async () => {
    // smtp-server's own test certificate (its key is public: for tests only).
    const { key, cert } = getTLSOptions();
    const { transport, received } = await start({
      tls: { key: Buffer.from(String(key)), cert: Buffer.from(String(cert)) },
    });
    await transport.sendMail({
      envelope: { from: 'a@example.net', to: ['it@folio.example.com'] },
      raw: rawMail(),
    });
    expect(received).toHaveLength(1);
  });

  it(`serves at most ${MAX_CONNECTIONS} connections at once`, async () => {
    const { server } = await start();
    const greetings = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS }, () => dialogue(server.port, [], { keepOpen: true })),
    );
    expect(greetings.every(([greeting]) => greeting?.startsWith('220 '))).toBe(true);
    const [refused] = await dialogue(server.port, []);
    expect(refused).toMatch(/^421 /);
  });
});

/**
 * A raw SMTP dialogue: the greeting, then one complete reply (multi-line replies joined) per command.
 */
function dialogue(port: number, commands: string[], options: { keepOpen?: boolean } = {}): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    const replies: string[] = [];
    let buffer = '';
    let current: string[] = [];
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf('\r\n');
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        current.push(line);
        if (/^\d{3} /.test(line)) {
          replies.push(current.join('\n'));
          current = [];
          const next = commands[replies.length - 1];
          if (next !== undefined) socket.write(`${next}\r\n`);
          else {
            if (!options.keepOpen) socket.end();
            resolve(replies);
          }
        }
        end = buffer.indexOf('\r\n');
      }
    });
  });
}
