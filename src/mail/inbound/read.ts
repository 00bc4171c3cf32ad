import type { DnsResolver } from './authenticity.js';
import { parseMail } from './parse.js';
import type { InboundMail } from './types.js';

/** How a mail came: the SMTP envelope, or only recipients (possibly none) for the webhook. */
export interface InboundEnvelope {
  /** Envelope recipients; empty: taken from the message's Delivered-To, X-Original-To, To and Cc. */
  recipients: string[];
  ip?: string;
  helo?: string;
  mailFrom?: string;
}

/**
 * A mail as processing takes it, whichever way it came: parsed (parse.ts), and its sender checked
 * (authenticity.ts) when `verifySender` (MAIL_VERIFY_SENDER) is on; `authentication` is null otherwise.
 * Throws MailRefusal for what cannot be a mail.
 */
export async function readMail(
  raw: Buffer,
  envelope: InboundEnvelope,
  options: { verifySender: boolean; resolver?: DnsResolver },
): Promise<InboundMail> {
  const [mail, authentication] = await Promise.all([
    parseMail(raw, { recipients: envelope.recipients }),
    options.verifySender
      ? // mailauth is loaded only when senders are checked (MAIL_VERIFY_SENDER).
        (await import('./authenticity.js')).checkSender(
          {
            raw,
            ...(envelope.ip ? { ip: envelope.ip } : {}),
            ...(envelope.helo ? { helo: envelope.helo } : {}),
            ...(envelope.mailFrom ? { mailFrom: envelope.mailFrom } : {}),
          },
          options.resolver ? { resolver: options.resolver } : {},
        )
      : null,
  ]);
  return { ...mail, authentication };
}
