import type { AddressInfo } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { BENCH_MAILBOX } from './config.js';

/**
 * The mail side of the load generator: mails built beforehand as a mail client builds them
 * (nodemailer's MIME composer), sent by SMTP over a few concurrent connections to the app's SMTP
 * server (or to the floor) as a sending provider's MTA would, and a discarding SMTP relay standing for
 * the one the app sends its own mail through (`SMTP_URL`).
 */

/** A mail ready to send: its raw bytes and its envelope. */
export interface BuiltMail {
  raw: Buffer;
  envelope: { from: string; to: string };
}

/** Senders: `count` different people outside the workspace, each writing a few mails. */
export function sender(i: number, count: number): string {
  return `contractor${String(i % count).padStart(4, '0')}@sender.example`;
}

/** Mail as a client writes it: plain text, a Message-ID of its own, optionally one attachment. */
export async function buildMail(o: {
  from: string;
  subject: string;
  text: string;
  messageId: string;
  attachment?: { filename: string; content: Buffer; contentType: string };
}): Promise<BuiltMail> {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const built = await builder.sendMail({
    from: o.from,
    to: BENCH_MAILBOX,
    subject: o.subject,
    text: o.text,
    messageId: `<${o.messageId}>`,
    attachments: o.attachment ? [o.attachment] : [],
  });
  if (!Buffer.isBuffer(built.message)) throw new Error('nodemailer did not build the message as a buffer');
  return { raw: built.message, envelope: { from: o.from, to: BENCH_MAILBOX } };
}

/**
 * `connections` SMTP connections kept open to one server (nodemailer's pool), each sending one mail at
 * a time and the next as soon as the 250 came back: a closed loop of `connections` senders.
 */
export class MailSender {
  readonly #transport: Transporter;

  constructor(port: number, connections: number) {
    this.#transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: connections,
      // A connection is kept for the whole run rather than dropped after nodemailer's default 100.
      maxMessages: Number.POSITIVE_INFINITY,
      // The app answers a mail once it is committed; under a backlog that can take a while.
      socketTimeout: 120_000,
    });
  }

  /** Sends; resolves with the final answer (`250 …`), rejects on anything else. */
  async send(mail: BuiltMail): Promise<string> {
    const info = await this.#transport.sendMail({ envelope: mail.envelope, raw: mail.raw });
    return info.response ?? '';
  }

  close(): void {
    this.#transport.close();
  }
}

/** The relay the app sends its mail through: it takes every mail, counts it, and keeps nothing. */
export class DiscardingRelay {
  received = 0;
  readonly #server: SMTPServer;
  #port = 0;

  private constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      disableReverseLookup: true,
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.once('end', () => {
          this.received += 1;
          callback();
        });
      },
    });
  }

  static async start(): Promise<DiscardingRelay> {
    const relay = new DiscardingRelay();
    await new Promise<void>((resolve, reject) => {
      relay.#server.server.once('error', reject);
      relay.#server.listen(0, '127.0.0.1', () => resolve());
    });
    relay.#port = (relay.#server.server.address() as AddressInfo).port;
    return relay;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
