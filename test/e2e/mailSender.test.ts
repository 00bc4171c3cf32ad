import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, mailMessages, tickets } from '../../src/db/schema/index.js';
import { UNVERIFIED_SENDER_FLAG } from '../../src/slack/card/ticketCard.js';
import type { SlackMessage } from '../harness/fakeSlack.js';
import { settle } from '../support/flows.js';
import {
  DkimKey,
  HR_MAILBOX,
  IT_MAILBOX,
  localDns,
  mrkdwnTexts,
  newMessageId,
  postInboundMail,
  type RawMailOptions,
  rawMail,
  sendMail,
  useMailFolio,
} from '../support/mailEdge.js';

/**
 * Who a mail is from, when the app checks (MAIL_VERIFY_SENDER=true): SPF, DKIM and DMARC evaluated by
 * mailauth against a DNS of the test's own, for mail sent by a real SMTP client from 127.0.0.1 (an
 * address the member's domain does not allow) to the app's real SMTP server, or posted to the inbound
 * webhook. A From: that is a member's address is believed only when the domain vouches for it.
 */

const IT_CHANNEL = 'C_IT_DESK';
const HR_CHANNEL = 'G_HR_DESK';
const INBOUND_SECRET = 'inbound-secret-of-the-test-0123';

const DOMAIN = 'acme.example';
const RITA = 'U_REQ_RITA';
const RITA_ADDRESS = `rita@${DOMAIN}`;

const dkim = new DkimKey();
/** The member's domain: mail only from 203.0.113.0/24, DKIM with the test key, DMARC p=reject. */
const DNS_RECORDS = {
  [DOMAIN]: 'v=spf1 ip4:203.0.113.0/24 -all',
  [`_dmarc.${DOMAIN}`]: 'v=DMARC1; p=reject',
  [dkim.recordName(DOMAIN)]: dkim.record,
};

const mail = useMailFolio({
  env: { MAIL_VERIFY_SENDER: 'true', MAIL_INBOUND_SECRET: INBOUND_SECRET },
  mailResolver: localDns(DNS_RECORDS),
});
const db = () => mail.t.folio.services.db;

/** The member's address as the workspace knows it (the fake forgets it between tests). */
const ritaIsAMember = () => mail.t.fake.setUserEmail(RITA, RITA_ADDRESS);

/** A mail from the member's address: as her domain's server sends it (signed), or forged (unsigned). */
async function fromRita(o: Omit<RawMailOptions, 'from'>, signed: boolean): Promise<Buffer> {
  const raw = rawMail({ from: `Rita Ruiz <${RITA_ADDRESS}>`, ...o });
  return signed ? dkim.sign(raw, DOMAIN) : raw;
}

/** Sends `raw` by SMTP from 127.0.0.1 with MAIL FROM the member's address, and lets it all be delivered. */
async function accepted(raw: Buffer, to: string): Promise<void> {
  const port = mail.t.folio.smtpPort;
  if (port === undefined) throw new Error('the app has no SMTP server');
  const answer = await sendMail(port, raw, { mailFrom: RITA_ADDRESS, to: [to] });
  expect(answer).toMatchObject({ accepted: true, response: expect.stringMatching(/^250 /) });
  await settle(mail.t);
}

const storedTickets = () => db().select().from(tickets).orderBy(asc(tickets.id));
const storedComments = () => db().select().from(comments).orderBy(asc(comments.id));

function cardOf(folio: string, channel: string): SlackMessage {
  const card = mail.t.fake
    .messagesIn(channel)
    .find((m) => (!m.thread_ts || m.thread_ts === m.ts) && String(m.text).startsWith(`${folio}:`));
  if (!card) throw new Error(`no card for ${folio} in ${channel}`);
  return card;
}

/** The messages under a card, in its thread. */
const threadOf = (card: SlackMessage, channel: string) =>
  mail.t.fake.messagesIn(channel).filter((m) => m.thread_ts === card.ts && m.ts !== card.ts);

/** The card's Requester field. */
const requesterField = (card: SlackMessage) =>
  mrkdwnTexts(card.blocks).find((text) => text.startsWith('*Requester*'));

describe('a mail whose From: is a member’s address', () => {
  it('failing SPF and DMARC is an external requester’s, flagged on the card', async () => {
    ritaIsAMember();
    await accepted(
      await fromRita({ subject: 'Reset my password', body: 'Send it here.' }, false),
      IT_MAILBOX,
    );

    const [ticket, ...others] = await storedTickets();
    expect(others).toEqual([]);
    expect(ticket).toMatchObject({
      folio: 'TKT001',
      requesterId: null,
      requesterEmail: RITA_ADDRESS,
      requesterName: 'Rita Ruiz',
      senderCheck: 'fail',
      createdBy: RITA_ADDRESS,
    });
    const [received] = await db().select().from(mailMessages);
    expect(received?.headers).toMatchObject({ authentication: 'dmarc=fail spf=fail dkim=none' });

    const card = cardOf('TKT001', IT_CHANNEL);
    expect(JSON.stringify(card.blocks)).toContain(UNVERIFIED_SENDER_FLAG);
    expect(requesterField(card)).toBe(`*Requester*\nRita Ruiz (${RITA_ADDRESS})`);
    expect(JSON.stringify(card.blocks)).not.toContain(`<@${RITA}>`);
    // The member hears nothing in Slack of a ticket someone may have opened in her name; the
    // address's owner hears by mail, as any outside requester does.
    expect(mail.t.fake.messagesIn(mail.t.fake.dmChannelOf(RITA))).toEqual([]);
    const notice = await mail.sink.waitFor((m) => m.subject.includes('[TKT001]'));
    expect(notice.to.map((to) => to.address)).toEqual([RITA_ADDRESS]);
  });

  it('signed by the member’s domain (DKIM, DMARC aligned) is the member’s', async () => {
    ritaIsAMember();
    await accepted(
      await fromRita({ subject: 'New laptop', body: 'Mine is six years old.' }, true),
      IT_MAILBOX,
    );

    const [ticket] = await storedTickets();
    expect(ticket).toMatchObject({ folio: 'TKT001', requesterId: RITA, senderCheck: 'pass' });
    const [received] = await db().select().from(mailMessages);
    expect(received?.headers).toMatchObject({ authentication: 'dmarc=pass spf=fail dkim=pass' });

    const card = cardOf('TKT001', IT_CHANNEL);
    expect(JSON.stringify(card.blocks)).not.toContain(UNVERIFIED_SENDER_FLAG);
    expect(requesterField(card)).toBe(`*Requester*\n<@${RITA}>`);
    // A member hears in Slack, not by mail.
    expect(
      mail.t.fake.messagesIn(mail.t.fake.dmChannelOf(RITA)).some((m) => String(m.text).includes('TKT001')),
    ).toBe(true);
    expect(mail.sink.messages).toEqual([]);
  });

  it('signed and forwarded by the provider’s webhook (no SMTP client to check) is the member’s', async () => {
    ritaIsAMember();
    const raw = await fromRita({ subject: 'Monitor', body: 'A second screen, please.' }, true);
    expect(await postInboundMail(mail.t.folio.port, raw, INBOUND_SECRET)).toEqual({
      status: 202,
      body: { accepted: true },
    });
    await settle(mail.t);
    const [ticket] = await storedTickets();
    expect(ticket).toMatchObject({ requesterId: RITA, senderCheck: 'pass' });
  });
});

describe('a reply to the member’s own private HR ticket', () => {
  /** The member's HR ticket, opened by a signed mail; returns that mail's Message-ID. */
  async function ritasHrTicket(): Promise<string> {
    ritaIsAMember();
    const messageId = newMessageId('hr');
    await accepted(
      await fromRita(
        { to: HR_MAILBOX, subject: 'Parental leave dates', messageId, body: 'From 1 June.' },
        true,
      ),
      HR_MAILBOX,
    );
    const [ticket] = await storedTickets();
    expect(ticket).toMatchObject({ folio: 'TKT001', deskKey: 'hr', requesterId: RITA, senderCheck: 'pass' });
    return messageId;
  }

  it('failing the check, threaded on her mail, is a new ticket and no comment on hers', async () => {
    const original = await ritasHrTicket();
    await accepted(
      await fromRita(
        {
          to: HR_MAILBOX,
          subject: 'Re: Parental leave dates',
          inReplyTo: original,
          references: `<${original}>`,
          body: 'Change of plan: pay my leave to account FR76 0000 0000.',
        },
        false,
      ),
      HR_MAILBOX,
    );

    expect(await storedComments()).toEqual([]);
    const [hrTicket, spoof, ...others] = await storedTickets();
    expect(others).toEqual([]);
    expect(hrTicket).toMatchObject({ folio: 'TKT001', status: 'open' });
    expect(spoof).toMatchObject({
      folio: 'TKT002',
      deskKey: 'hr',
      requesterId: null,
      requesterEmail: RITA_ADDRESS,
      senderCheck: 'fail',
      subject: 'Parental leave dates',
    });
    const card = cardOf('TKT001', HR_CHANNEL);
    expect(JSON.stringify(threadOf(card, HR_CHANNEL))).not.toContain('FR76');
    expect(JSON.stringify(cardOf('TKT002', HR_CHANNEL).blocks)).toContain(UNVERIFIED_SENDER_FLAG);
  });

  it('failing the check, naming the folio in its subject only, is a new ticket too', async () => {
    await ritasHrTicket();
    await accepted(
      await fromRita(
        { to: HR_MAILBOX, subject: 'Re: [TKT001] Parental leave dates', body: 'Cancel my leave.' },
        false,
      ),
      HR_MAILBOX,
    );
    expect(await storedComments()).toEqual([]);
    expect((await storedTickets()).map((t) => [t.folio, t.requesterId, t.senderCheck])).toEqual([
      ['TKT001', RITA, 'pass'],
      ['TKT002', null, 'fail'],
    ]);
  });

  it('signed by her domain, is a comment on her ticket', async () => {
    const original = await ritasHrTicket();
    await accepted(
      await fromRita(
        {
          to: HR_MAILBOX,
          subject: 'Re: [TKT001] Parental leave dates',
          inReplyTo: original,
          body: 'Actually from 3 June.',
        },
        true,
      ),
      HR_MAILBOX,
    );
    expect((await storedTickets()).map((t) => t.folio)).toEqual(['TKT001']);
    expect((await storedComments()).map((c) => [c.authorId, c.body])).toEqual([
      [RITA, 'Actually from 3 June.'],
    ]);
  });
});
