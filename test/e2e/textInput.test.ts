import { describe, expect, it } from 'vitest';
import { attachments, ticketEvents, tickets } from '../../src/db/schema/index.js';
import { ACTION, SHORTCUT } from '../../src/slack/ids.js';
import type { JsonObject } from '../harness/fakeSlack.js';
import type { ModalForm } from '../harness/modalForm.js';
import { deskFlows, modalOpenedOn } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

/**
 * Text as people can send it, NUL bytes and lone surrogates included: Folio keeps what they wrote
 * (less what Postgres cannot hold) on every way in, and when the database refuses something anyway,
 * the person is told that sending it again will not help.
 */

const REQUESTER = 'U_REQ_RITA';
const ANA = 'U_AGENT_ANA';
const DESK = 'C_IT_DESK';
const NUL = '\u0000';
const LONE = '\ud800';
const REPLACEMENT = '\ufffd';

const t = useTestFolio();
const { db, settle, ticket, card, openTicket, storedComments } = deskFlows(t, {
  desk: DESK,
  requester: REQUESTER,
});

/** The Reply modal of the ticket's card, opened by Ana. */
async function replyModal(folio: string): Promise<ModalForm> {
  const res = await t.slack.blockActions({
    user: ANA,
    channel: DESK,
    message: card(folio),
    actions: [{ action_id: ACTION.reply }],
  });
  await t.folio.services.background.idle();
  return modalOpenedOn(t, res.triggerId);
}

/** `/ticket TKT001` as `user` sees it. */
async function shown(folio: string, user: string): Promise<string> {
  const res = await t.slack.command({ text: folio, user });
  expect(res.status).toBe(200);
  return JSON.stringify(res.json);
}

describe('text holding NUL bytes and lone surrogates', () => {
  it('files a ticket from the modal: saved with the NUL stripped and the lone half replaced', async () => {
    const res = await t.slack.command({ text: `Printer${NUL} jammed`, user: REQUESTER });
    const form = await modalOpenedOn(t, res.triggerId);
    const sent = await form
      .fill('Subject', `Print${NUL}er jammed ${LONE}`)
      .fill('Description', `It shows E42${NUL} since Monday ${LONE} and beeps`)
      .fill('Category', 'IT')
      .submit(t.slack, REQUESTER);
    // The modal closes: the ticket is saved, not "submit again".
    expect(sent.status).toBe(200);
    expect(sent.json).toBeUndefined();
    await settle();
    expect(await ticket('TKT001')).toMatchObject({
      subject: `Printer jammed ${REPLACEMENT}`,
      description: `It shows E42 since Monday ${REPLACEMENT} and beeps`,
    });
    expect(String(card('TKT001').text)).toContain('Printer jammed');
    const [created] = await db().select().from(ticketEvents);
    expect(created?.data).toMatchObject({ subject: `Printer jammed ${REPLACEMENT}` });
  });

  it('files a ticket from a message holding a NUL byte, keeping its whole text', async () => {
    const message = t.fake.seedMessage('C_GENERAL', {
      user: REQUESTER,
      text: `VPN drops${NUL} every hour\nSince the update ${LONE}`,
    });
    const res = await t.slack.messageShortcut({
      callback_id: SHORTCUT.createFromMessage,
      user: ANA,
      channel: 'C_GENERAL',
      message,
    });
    expect(res.status).toBe(200);
    const form = await modalOpenedOn(t, res.triggerId);
    const sent = await form.fill('Category', 'IT').submit(t.slack, ANA);
    expect(sent.json).toBeUndefined();
    expect(await ticket('TKT001')).toMatchObject({
      subject: 'VPN drops every hour',
      description: `VPN drops every hour\nSince the update ${REPLACEMENT}`,
      requesterId: REQUESTER,
    });
  });

  it('keeps a desk note holding a NUL byte, and shows it in the ticket’s history', async () => {
    const folio = await openTicket('Suspicious email');
    const note = await t.slack.userMessage({
      channel: DESK,
      user: ANA,
      text: `Checked${NUL} the headers ${LONE}: phishing`,
      threadTs: card(folio).ts,
    });
    expect(note.status).toBe(200);
    await settle();
    expect((await storedComments()).map((c) => [c.visibility, c.authorId, c.body])).toEqual([
      ['internal', ANA, `Checked the headers ${REPLACEMENT}: phishing`],
    ]);
    expect(await shown(folio, ANA)).toContain(`<@${ANA}> added an internal note`);
  });

  it('keeps the requester’s reply holding a NUL byte, and the desk sees it in the card’s thread', async () => {
    const folio = await openTicket('Wifi drops');
    const thread = (await ticket(folio)).requesterThreadTs ?? '';
    await t.slack.userMessage({
      channel: t.fake.dmChannelOf(REQUESTER),
      user: REQUESTER,
      text: `It happened${NUL} again ${LONE} twice`,
      threadTs: thread,
    });
    await settle();
    expect((await storedComments()).map((c) => [c.visibility, c.body])).toEqual([
      ['public', `It happened again ${REPLACEMENT} twice`],
    ]);
    const copies = t.fake
      .messagesIn(DESK)
      .filter((m) => m.thread_ts === card(folio).ts && m.ts !== card(folio).ts);
    expect(copies.map((m) => String(m.text))).toEqual([expect.stringContaining('It happened again')]);
    expect(await shown(folio, ANA)).toContain(
      `<@${REQUESTER}> wrote: “It happened again ${REPLACEMENT} twice”`,
    );
  });

  it('sends a desk reply holding a NUL byte to the requester', async () => {
    const folio = await openTicket('Keyboard missing keys');
    const form = await replyModal(folio);
    const sent = await form.fill('Reply', `A new keyboard${NUL} is on its way ${LONE}`).submit(t.slack, ANA);
    expect(sent.json).toBeUndefined();
    await settle();
    expect((await storedComments()).map((c) => c.body)).toEqual([
      `A new keyboard is on its way ${REPLACEMENT}`,
    ]);
    const row = await ticket(folio);
    const dm = t.fake
      .messagesIn(t.fake.dmChannelOf(REQUESTER))
      .filter((m) => m.thread_ts === row.requesterThreadTs && m.ts !== row.requesterThreadTs);
    expect(dm.map((m) => String(m.text))).toEqual([expect.stringContaining('A new keyboard is on its way')]);
  });

  it('searches words holding a NUL byte or a lone surrogate', async () => {
    await openTicket('Printer on fire');
    for (const words of [`prin${NUL}ter fire`, `printer ${LONE}fire`]) {
      const res = await t.slack.command({ text: `search ${words}`, user: REQUESTER });
      const answer = JSON.stringify(res.json);
      expect(answer).not.toContain('could not answer');
      expect(answer).toContain('*TKT001*');
    }
  });
});

describe('a write the database refuses', () => {
  /** A file as Slack describes it, with an id the database cannot hold: Folio does not rewrite ids. */
  const unstorableFile: JsonObject = {
    id: `F_BAD${NUL}ID`,
    name: 'report.pdf',
    mimetype: 'application/pdf',
    size: 1024,
    permalink: 'https://files.example/F_BAD',
  };

  it('tells the person in the modal that submitting again will not help, and saves nothing', async () => {
    const res = await t.slack.command({ text: 'Expense report', user: REQUESTER });
    const form = await modalOpenedOn(t, res.triggerId);
    const sent = await form
      .fill('Category', 'IT')
      .fill('Attachments', [unstorableFile])
      .submit(t.slack, REQUESTER);
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({ response_action: 'errors' });
    const said = JSON.stringify(sent.json);
    expect(said).toContain('sending it again unchanged will not help');
    expect(said).not.toContain('submit again');
    expect(await db().select().from(tickets)).toEqual([]);
    expect(await db().select().from(attachments)).toEqual([]);
  });

  it('keeps a reply the database refuses in its modal, with the reason beside it', async () => {
    const folio = await openTicket('Monitor flickers');
    const form = await replyModal(folio);
    const sent = await form
      .fill('Reply', 'Here is the driver')
      .fill('Files', [unstorableFile])
      .submit(t.slack, ANA);
    // `errors` keeps the modal open with what was typed; an `update` would have replaced it.
    expect(sent.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(sent.json)).toContain('sending it again unchanged will not help');
    await settle();
    expect(await storedComments()).toEqual([]);
  });

  it('tells the author of a note it could not keep, in the thread, instead of dropping it silently', async () => {
    const folio = await openTicket('Laptop slow');
    const thread = card(folio).ts;
    const note = await t.slack.event({
      type: 'message',
      subtype: 'file_share',
      channel: DESK,
      channel_type: 'channel',
      user: ANA,
      text: 'Profiler output attached',
      ts: t.fake.nextTs(),
      thread_ts: thread,
      files: [unstorableFile],
    });
    expect(note.status).toBe(200);
    await settle();
    expect(await storedComments()).toEqual([]);
    const told = t.fake.ephemerals.filter((e) => e.user === ANA);
    expect(told).toEqual([
      expect.objectContaining({
        channel: DESK,
        thread_ts: thread,
        text: expect.stringContaining('It is not in the ticket’s history'),
      }),
    ]);
    expect(told[0]?.text).toContain('sending it again unchanged will not help');
  });
});
