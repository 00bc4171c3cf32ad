import type { AddressInfo } from 'node:net';
import { type AddressObject, type HeaderValue, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A local SMTP server standing for the mail relay Folio sends through (`SMTP_URL`): the real
 * `smtp-server` on 127.0.0.1, port 0, without TLS or authentication. It records every message it
 * accepts (raw, and parsed with mailparser), and can refuse or stall on demand the way real servers
 * do: a 451 "try again later", a 550 "no such user", a 554 "transaction failed", or no answer at all.
 *
 *   const sink = await SmtpSink.start();
 *   await createMailTransport(sink.url, 1000);
 *   sink.failNext(451);                       // the next recipient is refused for now
 *   const mail = await sink.waitFor((m) => m.subject.includes('[TKT001]'));
 *   await sink.close();
 */

/** The SMTP answers a test can make the sink give. */
export type SinkFailureCode = 451 | 550 | 554;

/** Where a refusal is given: at `RCPT TO` (the recipient) or after `DATA` (the whole message). */
export type SinkStage = 'rcpt' | 'data';

export interface SinkAddress {
  address: string;
  /** Empty when the header had no display name. */
  name: string;
}

export interface SinkAttachment {
  filename: string | undefined;
  contentType: string;
  size: number;
  content: Buffer;
}

/** A message the sink received, as its recipient's client would read it. */
export interface SinkMail {
  raw: Buffer;
  /** The SMTP envelope: `MAIL FROM` (null for the empty sender of a bounce) and `RCPT TO`. */
  envelope: { from: string | null; to: string[] };
  from: SinkAddress | undefined;
  to: SinkAddress[];
  subject: string;
  text: string;
  html: string | null;
  /** Message-IDs without their angle brackets. */
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  /** mailparser's parsed headers, by lower-case name. */
  headers: ReadonlyMap<string, HeaderValue>;
  /** A header's value as written (unfolded), by name in any case; undefined when absent. */
  header(name: string): string | undefined;
  attachments: SinkAttachment[];
}

/** A refusal the sink gave. */
export interface SinkRefusal {
  code: SinkFailureCode;
  stage: SinkStage;
  /** The recipients of the refused transaction, as far as it got. */
  to: string[];
}

const MESSAGES: Record<SinkFailureCode, string> = {
  451: '4.3.0 Try again later',
  550: '5.1.1 Mailbox unavailable',
  554: '5.6.0 Transaction failed',
};

/** How long a waitFor waits unless told. */
const DEFAULT_WAIT_MS = 5000;
/** How long close() lets connections finish before cutting them (a hung DATA never would). */
const CLOSE_TIMEOUT_MS = 100;

interface PlannedFailure {
  code: SinkFailureCode;
  stage: SinkStage;
  left: number;
}

export class SmtpSink {
  readonly #received: SinkMail[] = [];
  readonly #hung: SinkMail[] = [];
  readonly #refusals: SinkRefusal[] = [];
  readonly #waiters = new Set<() => void>();
  #failure: PlannedFailure | undefined;
  #hangs = 0;

  readonly #server: SMTPServer;
  #port = 0;

  private constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      closeTimeout: CLOSE_TIMEOUT_MS,
      onRcptTo: (address, session, callback) => {
        callback(this.#refusal('rcpt', [...session.envelope.rcptTo.map((r) => r.address), address.address]));
      },
      onData: (stream, session, callback) => this.#onData(stream, session, callback),
    });
  }

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    const server = sink.#server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    sink.#port = (server.server.address() as AddressInfo).port;
    return sink;
  }

  get port(): number {
    return this.#port;
  }

  /** Where to send: an `SMTP_URL`. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Every message accepted, in order. */
  get messages(): readonly SinkMail[] {
    return this.#received;
  }

  /** Messages whose DATA the sink never answered (`hang`): the sender could not know they arrived. */
  get hungMessages(): readonly SinkMail[] {
    return this.#hung;
  }

  get refusals(): readonly SinkRefusal[] {
    return this.#refusals;
  }

  /**
   * Refuses the next `times` transactions with `code`: at `RCPT TO` by default, after DATA for 554
   * (which is what it means), or where `stage` says.
   */
  failNext(code: SinkFailureCode, times = 1, stage: SinkStage = code === 554 ? 'data' : 'rcpt'): void {
    this.#failure = { code, stage, left: times };
  }

  /** The next `times` messages are read but never answered: the sender waits until it gives up. */
  hang(times = 1): void {
    this.#hangs = times;
  }

  /** Forgets what it received and any planned failure or hang. */
  reset(): void {
    this.#received.length = 0;
    this.#hung.length = 0;
    this.#refusals.length = 0;
    this.#failure = undefined;
    this.#hangs = 0;
  }

  /** The first accepted message matching `predicate`, as soon as it has arrived. */
  waitFor(
    predicate: (mail: SinkMail) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<SinkMail> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.#received.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(
          new Error(
            `SmtpSink.waitFor timed out after ${timeoutMs} ms; received: ${
              this.#received.map((mail) => JSON.stringify(mail.subject)).join(', ') || 'nothing'
            }`,
          ),
        );
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** Stops listening; connections still open (a hung DATA) are cut. */
  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #refusal(stage: SinkStage, to: string[]): Error | undefined {
    const failure = this.#failure;
    if (!failure || failure.stage !== stage || failure.left <= 0) return undefined;
    failure.left -= 1;
    if (failure.left === 0) this.#failure = undefined;
    this.#refusals.push({ code: failure.code, stage, to });
    return Object.assign(new Error(MESSAGES[failure.code]), { responseCode: failure.code });
  }

  #onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const refusal = this.#refusal('data', to);
      if (refusal) {
        callback(refusal);
        return;
      }
      const hang = this.#hangs > 0;
      if (hang) this.#hangs -= 1;
      void parseMail(Buffer.concat(chunks), session).then(
        (mail) => {
          if (hang) {
            // Never answered: the sender times out, not knowing the message arrived.
            this.#hung.push(mail);
            return;
          }
          this.#received.push(mail);
          callback();
          for (const waiter of [...this.#waiters]) waiter();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }
}

const bare = (id: string) => id.trim().replace(/^<(.*)>$/, '$1');

function addresses(value: AddressObject | AddressObject[] | undefined): SinkAddress[] {
  return [value ?? []]
    .flat()
    .flatMap((object) => object.value)
    .flatMap((entry) => (entry.address ? [{ address: entry.address, name: entry.name }] : []));
}

async function parseMail(raw: Buffer, session: SMTPServerSession): Promise<SinkMail> {
  const parsed = await simpleParser(raw);
  const { mailFrom } = session.envelope;
  const references = parsed.references === undefined ? [] : [parsed.references].flat();
  return {
    raw,
    envelope: {
      from: mailFrom && mailFrom.address !== '' ? mailFrom.address : null,
      to: session.envelope.rcptTo.map((r) => r.address),
    },
    from: addresses(parsed.from)[0],
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    messageId: parsed.messageId === undefined ? undefined : bare(parsed.messageId),
    inReplyTo: parsed.inReplyTo === undefined ? undefined : bare(parsed.inReplyTo),
    references: references.map(bare),
    headers: parsed.headers,
    header(name) {
      const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
      if (line === undefined) return undefined;
      return line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
    },
    attachments: parsed.attachments.map((file) => ({
      filename: file.filename,
      contentType: file.contentType,
      size: file.size,
      content: file.content,
    })),
  };
}
