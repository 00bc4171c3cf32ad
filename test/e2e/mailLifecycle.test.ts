import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, mailMessages, tickets } from '../../src/db/schema/index.js';
import { ACTION } from '../../src/slack/ids.js';
import type { JsonObject, SlackMessage } from '../harness/fakeSlack.js';
import { ModalForm } from '../harness/modalForm.js';
import type { SinkMail } from '../harness/smtpSink.js';
import { deskFlows } from '../support/flows.js';
import { IT_MAILBOX, type OutgoingMail, sendMail, useMailFolio } from '../support/mail.js';

/**
 * A ticket's whole life by mail, through the real app: a contractor outside the workspace writes to
 * the IT desk's mailbox over SMTP, the desk works the ticket from its card in Slack, and what the
 * contractor gets arrives in a local SMTP sink, threaded as their mail client would show it.
 */

const DESK = 'C_IT_DESK';
const ANA = 'U_AGENT_ANA';
const CARLA = 'carla@contractor.example';
const CARLA_FROM = `"Carla Ruiz" <${CARLA}>`;

const t = useMailFolio();
const { db, settle, ticket, card, storedComments } = deskFlows(t, { desk: DESK, requester: 'U_REQ_RITA' });

let sent = 0;
/** A Message-ID of Carla's mail server, new each time. */
const carlaMessageId = () => `<carla.${++sent}.${Date.now()}@contractor.example>`;

/** Carla writes to the IT desk (or answers one of its mails): the app's SMTP answer. */
function carlaWrites(mail: Omit<OutgoingMail & { raw?: undefined }, 'from' | 'to'>) {
  return sendMail(t.smtpPort, {
    from: CARLA_FROM,
    to: IT_MAILBOX,
    messageId: carlaMessageId(),
    ...mail,
  });
}

/** Carla's first mail, taken in and everything it started delivered; the mail the desk sent back. */
async function carlaOpens(subject: string, text = 'It stopped working this morning.') {
  const messageId = carlaMessageId();
  const answer = await carlaWrites({ subject, text, messageId });
  expect(answer.code).toBe(250);
  await settle();
  const [row] = await db().select().from(tickets).orderBy(asc(tickets.id));
  if (!row) throw new Error('no ticket was opened');
  const created = await t.sink.waitFor((mail) => mail.subject.includes(`[${row.folio}]`));
  return { folio: row.folio, messageId: bare(messageId), created };
}

const bare = (id: string) => id.replace(/^<(.*)>$/, '$1');

/** Clicks a button (or a More option) on the ticket's card as `user`. */
async function click(folio: string, user: string, actionId: string, moreOption?: string) {
  const message = card(folio);
  const actions = moreOption
    ? [{ action_id: ACTION.more, type: 'overflow', selected_option: moreSelection(message, moreOption) }]
    : [{ action_id: actionId }];
  const res = await t.slack.blockActions({ user, channel: DESK, message, actions });
  expect(res.status).toBe(200);
  await t.folio.services.background.idle();
}

/** The option of the card's More menu that does `o`, as Slack sends it when chosen. */
function moreSelection(message: SlackMessage, o: string): JsonObject {
  for (const block of message.blocks ?? []) {
    for (const element of ((block as JsonObject).elements as JsonObject[] | undefined) ?? []) {
      if (element.action_id !== ACTION.more) continue;
      for (const option of (element.options as JsonObject[] | undefined) ?? []) {
        if ((JSON.parse(String(option.value)) as { o?: string }).o === o) return option;
      }
    }
  }
  throw new Error(`no More option ${o}`);
}

/** The modal the last views.open showed, as the fake holds it now. */
const lastModal = () => ModalForm.from(t.fake.lastView() ?? {});

/** The replies in the card's thread, oldest first. */
const cardThread = (folio: string) =>
  t.fake.messagesIn(DESK).filter((m) => m.thread_ts === card(folio).ts && m.ts !== card(folio).ts);

/** Ana answers the requester from the card's Reply button. */
async function anaReplies(folio: string, text: string, files?: JsonObject[]) {
  await click(folio, ANA, ACTION.reply);
  const form = lastModal().fill('Reply', text);
  if (files) form.fill('Files', files);
  const res = await form.submit(t.slack, ANA);
  expect(res.status).toBe(200);
  expect(res.json).toBeUndefined();
  await settle();
}

/** The mails the sink received for Carla, oldest first. */
const mailsToCarla = () => t.sink.messages.filter((mail) => mail.envelope.to.includes(CARLA));

/** The last mail the desk sent Carla. */
function lastMailToCarla(): SinkMail {
  const mail = mailsToCarla().at(-1);
  if (!mail) throw new Error('Carla got no mail');
  return mail;
}

describe('a contractor outside the workspace writes to the IT desk', () => {
  it('opens a ticket of the desk, shows its card, and answers from the desk’s mailbox on their thread', async () => {
    const messageId = carlaMessageId();
    const answer = await carlaWrites({
      subject: 'VPN token expired',
      text: 'My VPN token stopped working this morning.\n\nCarla',
      messageId,
    });
    expect(answer.code).toBe(250);
    await settle();

    const [row, ...more] = await db().select().from(tickets);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      folio: 'TKT001',
      deskKey: 'it',
      source: 'email',
      status: 'open',
      subject: 'VPN token expired',
      description: 'My VPN token stopped working this morning.\n\nCarla',
      requesterId: null,
      requesterEmail: CARLA,
      requesterName: 'Carla Ruiz',
    });
    const shown = JSON.stringify(card('TKT001').blocks);
    expect(shown).toContain(`by email from ${CARLA}`);
    expect(shown).toContain(`Carla Ruiz (${CARLA})`);

    expect(t.sink.messages).toHaveLength(1);
    const created = lastMailToCarla();
    expect(created.envelope).toEqual({ from: IT_MAILBOX, to: [CARLA] });
    expect(created.from).toEqual({ address: IT_MAILBOX, name: 'IT desk' });
    expect(created.to).toEqual([{ address: CARLA, name: 'Carla Ruiz' }]);
    expect(created.subject).toBe('Re: [TKT001] VPN token expired');
    expect(created.inReplyTo).toBe(bare(messageId));
    expect(created.references).toEqual([bare(messageId)]);
    expect(created.header('Auto-Submitted')).toBe('auto-replied');
    expect(created.text).toContain('TKT001');
    expect(created.text).toContain('Reply to this mail to add to TKT001.');
    // Nobody in Slack is written to as the requester: there is no DM for an address.
    expect(t.fake.callsTo('conversations.open')).toEqual([]);
    expect(t.fake.callsTo('chat.postMessage').map((call) => call.args.channel)).toEqual([DESK]);
  });

  it('mails a responder’s reply from the card on the same thread, and keeps an internal note in Slack', async () => {
    const { folio, messageId, created } = await carlaOpens('Laptop will not boot');
    await click(folio, ANA, ACTION.reply);
    expect(JSON.stringify(t.fake.lastView()?.blocks)).toContain('will get this by mail');
    await anaReplies(folio, 'Hold the power button for 30 seconds, then try again.');

    expect(mailsToCarla()).toHaveLength(2);
    const reply = lastMailToCarla();
    expect(reply.from).toEqual({ address: IT_MAILBOX, name: 'IT desk' });
    expect(reply.subject).toBe(`Re: [${folio}] Laptop will not boot`);
    expect(reply.text).toContain('Hold the power button for 30 seconds, then try again.');
    expect(reply.inReplyTo).toBe(created.messageId);
    expect(reply.references).toEqual([messageId, created.messageId]);
    expect(reply.header('Auto-Submitted')).toBe('auto-replied');
    expect(await ticket(folio)).toMatchObject({ status: 'in_progress' });

    await t.slack.userMessage({
      channel: DESK,
      user: ANA,
      text: 'Probably the SSD again, check the warranty',
      threadTs: card(folio).ts,
    });
    await settle();
    const notes = await db().select().from(comments).where(eq(comments.visibility, 'internal'));
    expect(notes.map((note) => note.body)).toEqual(['Probably the SSD again, check the warranty']);
    expect(mailsToCarla()).toHaveLength(2);
    expect(t.sink.messages.some((mail) => mail.text.includes('SSD'))).toBe(false);
  });
});
