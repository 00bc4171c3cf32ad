import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { SmtpSink } from '../harness/smtpSink.js';
import { TEST_CONFIG } from './config.js';
import { startTestFolio, type TestFolio, type TestFolioOptions } from './folio.js';

/**
 * The app with its mail channel on, for end-to-end tests of mail: its SMTP server on a free loopback
 * port (SMTP_PORT=0), its outgoing mail sent to a local SMTP sink (SMTP_URL), the IT desk reachable at
 * it@folio.test and the private HR desk at hr@folio.test. `sendMail` is the sending server of
 * someone writing to a desk: nodemailer over a real SMTP connection.
 */

export const IT_MAILBOX = 'it@folio.test';
export const HR_MAILBOX = 'hr@folio.test';

const [itDesk, hrDesk, ...otherDesks] = TEST_CONFIG.desks;
if (!itDesk || !hrDesk) throw new Error('TEST_CONFIG has the IT and HR desks');

/** TEST_CONFIG with a mailbox on the IT desk and on the private HR desk. */
export const MAIL_CONFIG: HelpdeskConfigInput = {
  ...TEST_CONFIG,
  desks: [{ ...itDesk, mailbox: IT_MAILBOX }, { ...hrDesk, mailbox: HR_MAILBOX }, ...otherDesks],
};

export interface MailTestFolio extends TestFolio {
  /** Where the app's outgoing mail arrives; emptied before each test. */
  sink: SmtpSink;
  /** The port of the app's SMTP server. */
  smtpPort: number;
}

/** The app with mail, started with `env` and `SMTP_URL` pointing at a sink started first. */
export async function startMailFolio(o: TestFolioOptions = {}): Promise<MailTestFolio> {
  const sink = await SmtpSink.start();
  const app = await startTestFolio({
    config: MAIL_CONFIG,
    ...o,
    env: { SMTP_PORT: '0', SMTP_HOST: '127.0.0.1', SMTP_URL: sink.url, ...o.env },
  });
  const smtpPort = app.folio.smtpPort;
  if (smtpPort === undefined) throw new Error('the app started without its SMTP server');
  return {
    ...app,
    sink,
    smtpPort,
    async reset() {
      await app.reset();
      sink.reset();
    },
    async stop() {
      await app.stop();
      await sink.close();
    },
  };
}

/**
 * The app with mail for one test file: started before its first test, reset before each (empty
 * tickets, a fresh fake Slack, an empty sink), stopped after its last.
 */
export function useMailFolio(o: TestFolioOptions = {}): MailTestFolio {
  let current: MailTestFolio | undefined;
  beforeAll(async () => {
    current = await startMailFolio(o);
  });
  afterAll(async () => {
    await current?.stop();
  });
  beforeEach(async () => {
    await current?.reset();
  });
  const started = (): MailTestFolio => {
    if (!current) throw new Error('the app starts in beforeAll: use it inside a test');
    return current;
  };
  return {
    get fake() {
      return started().fake;
    },
    get slack() {
      return started().slack;
    },
    get folio() {
      return started().folio;
    },
    get database() {
      return started().database;
    },
    get logs() {
      return started().logs;
    },
    get sink() {
      return started().sink;
    },
    get smtpPort() {
      return started().smtpPort;
    },
    reset: () => started().reset(),
    stop: () => started().stop(),
  };
}

/** A mail as its writer's client composes it (nodemailer builds the MIME), or a raw message as is. */
export type OutgoingMail =
  | (Omit<nodemailer.SendMailOptions, 'raw'> & { raw?: undefined })
  | { raw: Buffer | string; envelope: { from: string; to: string[] } };

/** What the app's SMTP server answered at the end of the transaction. */
export interface SmtpAnswer {
  /** 250 once the mail is committed; the refusal's code otherwise. */
  code: number;
  /** The server's whole line ("250 Message accepted", "550 5.1.1 …"). */
  response: string;
  /** The Message-ID the mail went with, without angle brackets (structured mails only). */
  messageId: string | undefined;
}

/** The name the sending server gives in its greeting (HELO/EHLO). */
const SENDER_HOST = 'mx.sender.example';

/**
 * Sends one mail to the app's SMTP server on `port`, over its own connection (two calls at once are
 * two SMTP sessions at once), and resolves with the server's answer, whether it took the mail or not.
 */
export async function sendMail(port: number, mail: OutgoingMail): Promise<SmtpAnswer> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    name: SENDER_HOST,
  } satisfies SMTPTransport.Options);
  try {
    const info = await transport.sendMail(mail);
    return { code: Number(info.response.slice(0, 3)), response: info.response, messageId: bare(info.messageId) };
  } catch (error) {
    const refusal = error as { responseCode?: number; response?: string };
    if (typeof refusal.responseCode !== 'number') throw error;
    return { code: refusal.responseCode, response: refusal.response ?? '', messageId: undefined };
  } finally {
    transport.close();
  }
}

const bare = (id: string | undefined) => id?.trim().replace(/^<(.*)>$/, '$1');
