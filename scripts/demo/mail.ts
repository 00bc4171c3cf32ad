import { type AddressObject, simpleParser } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import type { SinkMail } from '../../test/harness/smtpSink.js';
import type { Line } from './render.js';

/**
 * Mail in the demo, both ways. Someone outside the workspace writes from their mail client: the
 * message is built as a client builds it (nodemailer's MIME composer), shown as it looks, and handed
 * to the app's own SMTP server by SMTP over loopback, as the sender's provider would hand it to the
 * desk's MX. What the app sends arrives at a local SMTP sink (the test harness's), standing for the
 * mail relay of `SMTP_URL`; it is shown the same way.
 */

/** A mail as a reader sees it: the headers a client shows, the files, the text. */
export interface MailView {
  from: string;
  to: string;
  subject: string;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  attachments: { filename: string; size: number }[];
  text: string;
}

/** What someone writes in their mail client. */
export interface Draft {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  /** Without angle brackets: fixed, so that the demo prints the same on every run. */
  messageId: string;
  /** The mail answered (its Message-ID without angle brackets), with the thread before it. */
  answering?: { messageId: string; references: readonly string[] };
  attachments?: { filename: string; content: string; contentType: string }[];
  date: Date;
}

/** The SMTP client of an outsider's mail provider, pointed at the app's SMTP server. */
export class MailClient {
  readonly #transport: Transporter;

  constructor(host: string, port: number) {
    this.#transport = nodemailer.createTransport({
      host,
      port,
      secure: false,
      // The app offers STARTTLS only with a certificate; on loopback there is none to offer.
      ignoreTLS: true,
      // One connection per mail, as a provider delivering now and then does.
      pool: false,
    });
  }

  /** The raw message the client would send for `draft`: RFC 5322, MIME, as it travels. */
  static async compose(draft: Draft): Promise<Buffer> {
    const bracketed = (id: string) => `<${id}>`;
    // nodemailer's stream transport builds the message as its SMTP transport would, and keeps it.
    const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    const built = await builder.sendMail({
      from: draft.from,
      to: draft.to,
      subject: draft.subject,
      text: draft.text,
      date: draft.date,
      messageId: bracketed(draft.messageId),
      ...(draft.answering
        ? {
            inReplyTo: bracketed(draft.answering.messageId),
            references: [...draft.answering.references, draft.answering.messageId].map(bracketed),
          }
        : {}),
      attachments: draft.attachments ?? [],
    });
    if (!Buffer.isBuffer(built.message)) throw new Error('nodemailer did not build the message as a buffer');
    return built.message;
  }

  /** Sends a raw message; resolves with the server's final answer to it (`250 …`). */
  async send(raw: Buffer, envelope: { from: string; to: string }): Promise<string> {
    const info = await this.#transport.sendMail({ envelope, raw });
    return info.response ?? '(no answer)';
  }

  close(): void {
    this.#transport.close();
  }
}

/** A raw message read as a client reads it. */
export async function viewOfRaw(raw: Buffer): Promise<MailView> {
  const parsed = await simpleParser(raw);
  const bare = (id: string | undefined) => id?.trim().replace(/^<(.*)>$/, '$1');
  const addresses = (objects: AddressObject | AddressObject[] | undefined) =>
    [objects ?? []]
      .flat()
      .flatMap((object) => object.value)
      .map((entry) => addressText({ name: entry.name, address: entry.address ?? '' }))
      .join(', ');
  return {
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    messageId: bare(parsed.messageId),
    inReplyTo: bare(parsed.inReplyTo),
    attachments: parsed.attachments.map((file) => ({
      filename: file.filename ?? '(unnamed)',
      size: file.size,
    })),
    text: parsed.text ?? '',
  };
}

/** A mail the sink received, as its recipient's client shows it. */
export function viewOfSinkMail(mail: SinkMail): MailView {
  return {
    from: mail.from ? addressText(mail.from) : '',
    to: mail.to.map(addressText).join(', '),
    subject: mail.subject,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    attachments: mail.attachments.map((file) => ({
      filename: file.filename ?? '(unnamed)',
      size: file.size,
    })),
    text: mail.text,
  };
}

/** `Dana Novak <dana@contractor.example>`, as a client shows an address. */
function addressText(a: { name: string; address: string }): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** The headers a reader looks at, one per line, then the files, then the text. */
export function mailLines(mail: MailView): Line[] {
  const field = (label: string, value: string): Line => ({
    kind: 'field',
    label,
    value,
    text: `${label}: ${value}`,
    wide: true,
  });
  const lines: Line[] = [field('From', mail.from), field('To', mail.to), field('Subject', mail.subject)];
  if (mail.messageId) lines.push(field('Message-ID', `<${mail.messageId}>`));
  if (mail.inReplyTo) lines.push(field('In-Reply-To', `<${mail.inReplyTo}>`));
  for (const file of mail.attachments)
    lines.push(field('Attached', `📎 ${file.filename} (${file.size} bytes)`));
  lines.push({ kind: 'divider', text: '' });
  for (const line of mail.text.replace(/\s+$/, '').split('\n')) lines.push({ kind: 'text', text: line });
  return lines;
}
