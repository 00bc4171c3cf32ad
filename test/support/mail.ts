import { asc } from 'drizzle-orm';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { tickets } from '../../src/db/schema/index.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { ACTION } from '../../src/slack/ids.js';
import type { JsonObject } from '../harness/fakeSlack.js';
import { type SinkMail, SmtpSink } from '../harness/smtpSink.js';
import { TEST_CONFIG } from './config.js';
import { deskFlows } from './flows.js';
import { startTestFolio, type TestFolio, type TestFolioOptions, useStarted } from './folio.js';

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
  return useStarted(() => startMailFolio(o));
}

/** A mail as its writer's client composes it (nodemailer builds the MIME), or a raw message as is. */
export type OutgoingMail =
  | (Omit<SendMailOptions, 'raw'> & { raw?: undefined })
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
    return {
      code: Number(info.response.slice(0, 3)),
      response: info.response,
      messageId: bare(info.messageId),
    };
  } catch (error) {
    const refusal = error as { responseCode?: number; response?: string };
    if (typeof refusal.responseCode !== 'number') throw error;
    return { code: refusal.responseCode, response: refusal.response ?? '', messageId: undefined };
  } finally {
    transport.close();
  }
}

const bare = (id: string | undefined) => id?.trim().replace(/^<(.*)>$/, '$1');

/** A structured mail (nodemailer composes it), without its sender and recipient. */
export type MailContent = Omit<SendMailOptions, 'raw' | 'from' | 'to'>;

/**
 * What people do again and again in the end-to-end tests of mail, bound to the app: `requester`
 * (someone outside the workspace) writes to `mailbox`, the desk of channel `desk` works the ticket from
 * its card. Includes deskFlows' helpers.
 */
export function mailFlows(
  t: MailTestFolio,
  o: { desk: string; mailbox: string; requester: { address: string; name: string } },
) {
  const flows = deskFlows(t, { desk: o.desk, requester: 'U_REQ_RITA' });
  const { card, clickOnCard, lastModal } = flows;
  const requesterDomain = o.requester.address.slice(o.requester.address.indexOf('@') + 1);
  let written = 0;

  /** A Message-ID of the requester's mail server, new each time, with its angle brackets. */
  const newMessageId = () => `<m${++written}.${Date.now()}@${requesterDomain}>`;

  /** The requester writes to the mailbox (or answers one of its mails); the app's SMTP answer. */
  const requesterWrites = (mail: MailContent) =>
    sendMail(t.smtpPort, {
      from: { address: o.requester.address, name: o.requester.name },
      to: o.mailbox,
      messageId: newMessageId(),
      ...mail,
    });

  /** The mails the sink received for the requester, oldest first. */
  const mailsToRequester = () =>
    t.sink.messages.filter((mail) => mail.envelope.to.includes(o.requester.address));

  /** The last mail the desk sent the requester. */
  const lastMailToRequester = (): SinkMail => {
    const mail = mailsToRequester().at(-1);
    if (!mail) throw new Error(`${o.requester.address} got no mail`);
    return mail;
  };

  /**
   * The requester's first mail, taken in and everything it started delivered: the ticket's folio, the
   * mail's Message-ID (without brackets) and the `created` mail the desk sent back.
   */
  const requesterOpens = async (subject: string, text = 'It stopped working this morning.') => {
    const messageId = newMessageId();
    const answer = await requesterWrites({ subject, text, messageId });
    if (answer.code !== 250) throw new Error(`the mail was refused: ${answer.response}`);
    await flows.settle();
    const [row] = await flows.db().select().from(tickets).orderBy(asc(tickets.id));
    if (!row) throw new Error('no ticket was opened');
    const created = await t.sink.waitFor((mail) => mail.subject.includes(`[${row.folio}]`));
    return { folio: row.folio, messageId: bare(messageId) ?? messageId, created };
  };

  /** `user` answers the requester from the card's "Reply to requester", with Slack files if given. */
  const replyFromCard = async (folio: string, user: string, text: string, files?: JsonObject[]) => {
    await clickOnCard(folio, user, ACTION.reply);
    const form = lastModal().fill('Reply', text);
    if (files) form.fill('Files', files);
    const res = await form.submit(t.slack, user);
    if (res.status !== 200 || res.json !== undefined) throw new Error(`the reply was refused: ${res.text}`);
    await flows.settle();
  };

  /** The replies in the card's thread, oldest first. */
  const cardThread = (folio: string) =>
    t.fake.messagesIn(o.desk).filter((m) => m.thread_ts === card(folio).ts && m.ts !== card(folio).ts);

  return {
    ...flows,
    newMessageId,
    requesterWrites,
    requesterOpens,
    mailsToRequester,
    lastMailToRequester,
    replyFromCard,
    cardThread,
  };
}
