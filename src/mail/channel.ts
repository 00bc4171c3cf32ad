import { readFile } from 'node:fs/promises';
import { isFolioError } from '../domain/errors.js';
import type { RequestCounters } from '../http/metrics.js';
import type { Route } from '../http/router.js';
import type { FolioLogger } from '../lib/logger.js';
import { MailRefusal } from './inbound/refusal.js';
import type { MailIntake } from './inbound/smtpServer.js';
import type { InboundMail } from './inbound/types.js';
import { mailInboundRoute } from './inbound/webhook.js';
import { type MailReceiverDeps, type ReceiveOutcome, receiveMail } from './receive.js';

/**
 * The mail channel's entry points: the SMTP server inside the app (when SMTP_PORT is set) and the
 * inbound webhook for providers that forward mail by HTTP (when MAIL_INBOUND_SECRET is set). Both
 * read a mail the same way and answer only once it is committed. Outgoing mail is the outbox's mail
 * deliverer (outbound/deliverer.ts), wired with the relay.
 */

export interface MailChannelOptions extends MailReceiverDeps {
  smtp?: {
    host: string;
    port: number;
    /** PEM file paths; STARTTLS is offered only with both. */
    tlsCert?: string | undefined;
    tlsKey?: string | undefined;
  };
  /** The inbound webhook's shared secret; without it there is no webhook. */
  inboundSecret?: string | undefined;
  maxBytes: number;
  verifySender: boolean;
  /** A DNS resolver for the sender checks (tests have no DNS); the system's by default. */
  resolver?: (name: string, rrtype: string) => Promise<unknown>;
  counters?: RequestCounters;
  log: FolioLogger;
}

export interface MailChannel {
  /** The inbound webhook's route, to add to the app's router; undefined without a secret. */
  route: Route | undefined;
  /** The SMTP port bound (SMTP_PORT=0 picks a free one); undefined when there is no SMTP server. */
  smtpPort: number | undefined;
  close(): Promise<void>;
}

export async function startMailChannel(options: MailChannelOptions): Promise<MailChannel> {
  const { log } = options;
  if (!options.smtp && !options.inboundSecret)
    return { route: undefined, smtpPort: undefined, close: async () => {} };
  // The parsers and the SMTP server are loaded only when mail comes in: an app without SMTP_PORT
  // or MAIL_INBOUND_SECRET does not carry them in memory (about 30 MB, measured by `npm run bench`).
  const { readMail } = await import('./inbound/read.js');
  const take = async (mail: InboundMail): Promise<ReceiveOutcome> => {
    const outcome = await receiveMail(options, mail).catch((error: unknown) => {
      throw refusalOf(error);
    });
    log.info('Mail taken in', {
      messageId: mail.messageId,
      from: mail.from?.address ?? null,
      outcome: outcome.kind,
      ...('folio' in outcome ? { folio: outcome.folio } : {}),
      ...(outcome.kind === 'ignored' ? { reason: outcome.reason } : {}),
    });
    return outcome;
  };
  const readOptions = {
    verifySender: options.verifySender,
    ...(options.resolver ? { resolver: options.resolver } : {}),
  };

  const intake: MailIntake = {
    isMailbox: (address) => options.directory.isMailbox(options.services.db, address),
    receive: async (raw, envelope) => {
      await take(await readMail(raw, envelope, readOptions));
    },
  };

  const route = options.inboundSecret
    ? mailInboundRoute({
        secret: options.inboundSecret,
        maxBytes: options.maxBytes,
        // Recipients come from the mail's own headers: a provider's webhook has no SMTP envelope.
        ingest: async (raw) => {
          await take(await readMail(raw, { recipients: [] }, readOptions));
        },
        ...(options.counters ? { counters: options.counters } : {}),
        log: log.child({ component: 'mail-webhook' }),
      })
    : undefined;

  const server = options.smtp
    ? await (await import('./inbound/smtpServer.js')).startSmtpServer({
        host: options.smtp.host,
        port: options.smtp.port,
        maxBytes: options.maxBytes,
        ...(options.smtp.tlsCert && options.smtp.tlsKey
          ? { tls: { cert: await readFile(options.smtp.tlsCert), key: await readFile(options.smtp.tlsKey) } }
          : {}),
        intake,
        log: log.child({ component: 'smtp' }),
      })
    : undefined;

  return {
    route,
    smtpPort: server?.port,
    close: async () => {
      await server?.close();
    },
  };
}

/**
 * A mail whose content the core refuses (a field it finds invalid, data the database cannot store)
 * would be refused the same way however often it came again: it is refused for good, so the sending
 * server returns it to its sender with the reason instead of trying again for days. Anything else
 * stays what it is: a failure of Folio's, answered "try again later".
 */
function refusalOf(error: unknown): unknown {
  if (isFolioError(error) && (error.code === 'invalid_input' || error.code === 'unstorable')) {
    return new MailRefusal(554, `Folio cannot take this mail: ${error.message}`);
  }
  return error;
}
