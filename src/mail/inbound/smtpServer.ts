import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { FolioLogger } from '../../lib/logger.js';
import { asciiAddress } from './parse.js';
import { MailRefusal } from './refusal.js';

export { MailRefusal } from './refusal.js';

/**
 * The SMTP server inside the app: the MX (or the relay's forward target) of the desks' mailboxes.
 * It takes mail for desk mailboxes only (another recipient is refused at RCPT TO with 550 5.1.1),
 * refuses a message over `maxBytes` at the end of DATA with 552 without holding more than `maxBytes`
 * of it, and answers 250 only once `intake.receive` resolved, that is once the mail is committed: a
 * crash before that leaves the mail with its sender's server, which sends it again.
 *
 * No AUTH (an MX takes mail from anyone and checks it: authenticity.ts); STARTTLS only with a
 * certificate.
 */

export interface MailIntake {
  /** Whether an address (lower case) is a desk mailbox. */
  isMailbox(address: string): Promise<boolean>;
  /** Processes one mail; resolves once committed. Throws MailRefusal to refuse it; any other error → 451 4.3.0 (try again later). */
  receive(
    raw: Buffer,
    envelope: { recipients: string[]; ip: string; helo: string; mailFrom: string },
  ): Promise<void>;
}

export interface SmtpServerOptions {
  host: string;
  port: number;
  maxBytes: number;
  tls?: { cert: Buffer; key: Buffer };
  intake: MailIntake;
  log: FolioLogger;
}

export interface RunningSmtpServer {
  port: number;
  close(): Promise<void>;
}

/** Connections served at once; one more is answered 421 (try again in a moment). */
export const MAX_CONNECTIONS = 50;
/** Recipients of one message: a desk mail goes to one or two mailboxes, more is a mass mailing (452). */
export const MAX_RECIPIENTS = 20;
/**
 * Mails read and taken in at once, whatever the number of connections: each is held whole while it
 * is parsed and committed (up to SMTP_MAX_BYTES, then its parsed copy), so this bounds the memory
 * mail can take. The others wait unread, their senders held back by TCP, until a slot frees.
 */
export const MAX_MAILS_AT_ONCE = 4;
/**
 * How long the server waits for the client's next command or data (RFC 5321 §4.5.3.2.7: at least 5
 * minutes). smtp-server does not count the time `receive` takes: the client waits for us then.
 */
export const SOCKET_TIMEOUT_MS = 5 * 60_000;
/** On close, how long connections still in a transaction get to finish before they are told 421. */
export const CLOSE_TIMEOUT_MS = 30_000;

type SmtpError = Error & { responseCode: number };

function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpServer(options: SmtpServerOptions): Promise<RunningSmtpServer> {
  const slots = new Slots(MAX_MAILS_AT_ONCE);
  const log = options.log.child({ component: 'smtp' });
  const { intake, maxBytes } = options;

  const server = new SMTPServer({
    banner: 'Folio',
    size: maxBytes,
    // smtp-server answers a message over the limit itself, with 552 5.3.4; onData still drains it
    // and never hands it to the intake.
    rejectOversized: true,
    // Enhanced status codes (RFC 2034, RFC 3463) tell the sending server why, as "550 5.1.1 …".
    hideENHANCEDSTATUSCODES: false,
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    hideSTARTTLS: !options.tls,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    maxClients: MAX_CONNECTIONS,
    maxRecipients: MAX_RECIPIENTS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    closeTimeout: CLOSE_TIMEOUT_MS,
    // The client's host name is not used (the sender check works from its address), so no DNS.
    disableReverseLookup: true,
    // smtp-server's own log is a line per command; Folio logs one line per mail instead.
    logger: false,

    onRcptTo(address, session, callback) {
      // smtp-server gives the domain in Unicode (RCPT TO:<it@xn--bro-hoa.example> comes out
      // it@büro.example); desk mailboxes are kept in ASCII.
      const recipient = asciiAddress(address.address);
      intake.isMailbox(recipient).then(
        (isMailbox) => {
          if (isMailbox) return callback();
          log.info('Refused a recipient that is no desk mailbox', { recipient, ip: clientIp(session) });
          callback(smtpError(550, `<${recipient}>: no such mailbox here`));
        },
        (error: unknown) => {
          log.error('Could not look up a mailbox', { recipient }, error);
          callback(smtpError(451, 'Temporary failure, try again later'));
        },
      );
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, done) {
      void slots.acquire().then(() => {
        readAndTake(stream, session, (error, message) => {
          slots.release();
          done(error, message);
        });
      });
    },
  });

  function readAndTake(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null, message?: string) => void,
  ): void {
    // Read to the end whatever happens (smtp-server answers only once the message is in), but keep
    // no byte past the limit: a message over it is refused whole.
    let chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else chunks = [];
    });
    stream.once('end', () => {
      const envelope = {
        recipients: session.envelope.rcptTo.map((rcpt) => asciiAddress(rcpt.address)),
        ip: clientIp(session),
        helo: session.hostNameAppearsAs,
        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      };
      if (stream.sizeExceeded || size > maxBytes) {
        log.info('Refused a message over the size limit', { bytes: size, maxBytes, ip: envelope.ip });
        return callback(smtpError(552, `Message exceeds the maximum size of ${maxBytes} bytes`));
      }
      const raw = Buffer.concat(chunks, size);
      chunks = [];
      intake.receive(raw, envelope).then(
        () => {
          log.info('Mail received', { bytes: size, recipients: envelope.recipients, ip: envelope.ip });
          callback(null, 'Message accepted');
        },
        (error: unknown) => {
          if (error instanceof MailRefusal) {
            log.info('Refused a mail', { code: error.code, reason: error.message, ip: envelope.ip });
            return callback(smtpError(error.code, error.message));
          }
          log.error('Could not take a mail: asked the sender to try again later', error);
          callback(smtpError(451, 'Temporary failure, try again later'));
        },
      );
    });
  }

  server.on('error', (error: Error) => log.warn('SMTP connection error', error));

  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    server.server.once('error', failed);
    server.listen(options.port, options.host, () => {
      server.server.off('error', failed);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  log.info('SMTP server listening', { host: options.host, port, maxBytes, starttls: Boolean(options.tls) });

  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The client's IPv4 address without the IPv6 mapping a dual-stack listener gives it. */
function clientIp(session: SMTPServerSession): string {
  return session.remoteAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/** At most `size` holders at once; the others wait in order. */
class Slots {
  readonly #waiting: (() => void)[] = [];
  #free: number;

  constructor(size: number) {
    this.#free = size;
  }

  acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}
