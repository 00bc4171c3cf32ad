import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, ticketEvents, tickets } from '../../src/db/schema/index.js';
import { ACTION } from '../../src/slack/ids.js';
import { deskFlows, fileTicket, moreSelection } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

const REQUESTER = 'U_REQ_RITA';
const ANA = 'U_AGENT_ANA';
const BEN = 'U_AGENT_BEN';
const OUTSIDER = 'U_OTHER_OTTO';
const DESK = 'C_IT_DESK';

const t = useTestFolio();
const { db, settle, ticket, card, openTicket, lastModal } = deskFlows(t, {
  desk: DESK,
  requester: REQUESTER,
});

/** Clicks a button (or a More option) on the ticket's card as `user`. */
async function click(folio: string, user: string, actionId: string, moreOption?: string) {
  const message = card(folio);
  const actions = moreOption
    ? [{ action_id: ACTION.more, type: 'overflow', selected_option: moreSelection(message, moreOption) }]
    : [{ action_id: actionId }];
  const res = await t.slack.blockActions({ user, channel: DESK, message, actions });
  expect(res.status).toBe(200);
  await t.folio.services.background.idle();
  return res;
}

/** Every argument sent to the requester's conversation with the app. */
function sentToRequester(): string {
  const dm = t.fake.dmChannelOf(REQUESTER);
  return JSON.stringify(
    t.fake.calls.filter((c) => c.args.channel === dm || c.args.channel === REQUESTER).map((c) => c.args),
  );
}

async function events(folio: string) {
  const row = await ticket(folio);
  return db()
    .select()
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, row.id))
    .orderBy(asc(ticketEvents.id));
}

const cardUpdates = (folio: string) =>
  t.fake.callsTo('chat.update').filter((c) => c.args.ts === card(folio).ts);

describe('card actions', () => {
  it('takes a ticket: assigned, in progress, the card updated in place, an audit event', async () => {
    const folio = await openTicket('Printer jammed');
    await click(folio, ANA, ACTION.take);
    await settle();
    expect(await ticket(folio)).toMatchObject({ assigneeId: ANA, status: 'in_progress', version: 2 });
    expect(JSON.stringify(card(folio).blocks)).toContain(`<@${ANA}>`);
    expect(JSON.stringify(card(folio).blocks)).toContain('In progress');
    expect(cardUpdates(folio)).toHaveLength(1);
    expect((await events(folio)).map((e) => e.type)).toEqual([
      'ticket.created',
      'ticket.taken',
      'ticket.status_changed',
    ]);
  });

  it('refuses a non-member pressing Status, and changes nothing', async () => {
    const folio = await openTicket('Monitor flickers');
    await click(folio, OUTSIDER, ACTION.status);
    const refusal = await t.fake.waitForResponse((b) =>
      JSON.stringify(b).includes('Only members of the IT desk'),
    );
    expect(refusal.body).toMatchObject({ response_type: 'ephemeral' });
    expect(
      t.fake.callsTo('views.open').filter((c) => JSON.stringify(c.args).includes('folio_status')),
    ).toHaveLength(0);
    expect(await ticket(folio)).toMatchObject({ status: 'open', version: 1 });
  });

  it('assigns through the modal, offering the desk’s members by name', async () => {
    const folio = await openTicket('Laptop slow');
    await click(folio, ANA, ACTION.assign);
    const form = lastModal();
    expect(JSON.stringify(t.fake.lastView()?.blocks)).toContain('agent.ben'); // names from users.info
    expect(
      (
        await form
          .fill('Assign to', t.fake.userInfo(BEN).profile.display_name || t.fake.userInfo(BEN).name)
          .submit(t.slack, ANA)
      ).status,
    ).toBe(200);
    await settle();
    expect(await ticket(folio)).toMatchObject({ assigneeId: BEN, status: 'open' });
    const [, assigned] = await events(folio);
    expect(assigned).toMatchObject({ type: 'ticket.assigned', actorId: ANA, data: { from: null, to: BEN } });
  });

  it('refuses a change made in a modal opened before someone else’s change, saying what changed', async () => {
    const folio = await openTicket('VPN drops');
    await click(folio, ANA, ACTION.priority);
    const stale = lastModal();
    await click(folio, BEN, ACTION.take); // meanwhile Ben takes it
    await settle();
    const res = await stale.fill('Priority', 'Urgent').submit(t.slack, ANA);
    expect(res.json).toMatchObject({ response_action: 'update' });
    const said = JSON.stringify(res.json);
    expect(said).toContain('changed after you opened this, so nothing was saved');
    expect(said).toContain(`<@${BEN}> took it`);
    expect(await ticket(folio)).toMatchObject({ priority: 'medium', assigneeId: BEN });
  });

  it('changes the priority with a reason', async () => {
    const folio = await openTicket('Server room hot');
    await click(folio, ANA, ACTION.priority);
    await lastModal().fill('Priority', 'Urgent').fill('Reason', 'Whole floor affected').submit(t.slack, ANA);
    await settle();
    expect((await ticket(folio)).priority).toBe('urgent');
    expect((await events(folio)).at(-1)).toMatchObject({
      type: 'ticket.priority_changed',
      data: { from: 'medium', to: 'urgent', reason: 'Whole floor affected' },
    });
    expect(JSON.stringify(card(folio).blocks)).toContain('Urgent');
  });

  it('snoozes, shows it on the card, and wakes it from the More menu', async () => {
    const folio = await openTicket('New laptop order');
    await click(folio, ANA, ACTION.snooze);
    const until = Math.floor(Date.now() / 1000) + 3 * 86_400;
    await lastModal().fill('Until', until).fill('Reason', 'Laptops arrive Thursday').submit(t.slack, ANA);
    await settle();
    expect((await ticket(folio)).snoozedUntil?.getTime()).toBe(until * 1000);
    expect(JSON.stringify(card(folio).blocks)).toContain('Laptops arrive Thursday');
    await click(folio, ANA, ACTION.more, 'wake');
    await settle();
    expect((await ticket(folio)).snoozedUntil).toBeNull();
  });

  it('links a task and another ticket, and refuses a ticket that does not exist', async () => {
    const other = await openTicket('Network outage');
    const folio = await openTicket('Cannot reach intranet');
    await click(folio, ANA, ACTION.more, 'link_task');
    await lastModal()
      .fill('Task address', 'https://linear.app/acme/issue/OPS-12')
      .fill('Title', 'OPS-12 router swap')
      .submit(t.slack, ANA);
    await click(folio, ANA, ACTION.more, 'link_ticket');
    const missing = await lastModal().fill('Folio', 'TKT999').submit(t.slack, ANA);
    expect(missing.json).toEqual({
      response_action: 'errors',
      errors: { folio: 'There is no ticket TKT999 that you can see.' },
    });
    await click(folio, ANA, ACTION.more, 'link_ticket');
    await lastModal().fill('Folio', other).submit(t.slack, ANA);
    await settle();
    const blocks = JSON.stringify(card(folio).blocks);
    expect(blocks).toContain('<https://linear.app/acme/issue/OPS-12|OPS-12 router swap>');
    expect(blocks).toContain(`${other} · Network outage`);
  });
});

describe('talking with the requester', () => {
  it('asks a question (Waiting), and the requester’s answer in their thread makes it Open again', async () => {
    const folio = await openTicket('Email not syncing');
    await click(folio, ANA, ACTION.status);
    const form = lastModal();
    const noQuestion = await form.fill('New status', 'Waiting on requester').submit(t.slack, ANA);
    expect(noQuestion.json).toEqual({
      response_action: 'errors',
      errors: { question: 'This cannot be empty.' },
    });
    await form.fill('Question for the requester', 'Which phone do you use?').submit(t.slack, ANA);
    await settle();
    expect((await ticket(folio)).status).toBe('waiting');
    const thread = (await ticket(folio)).requesterThreadTs ?? '';
    const dm = t.fake.dmChannelOf(REQUESTER);
    expect(
      t.fake
        .messagesIn(dm)
        .some((m) => m.thread_ts === thread && String(m.text).includes('Which phone do you use?')),
    ).toBe(true);

    await t.slack.userMessage({ channel: dm, user: REQUESTER, text: 'An iPhone 15', threadTs: thread });
    await settle();
    expect((await ticket(folio)).status).toBe('open');
    const mirrored = t.fake
      .messagesIn(DESK)
      .filter((m) => m.thread_ts === card(folio).ts && m.ts !== card(folio).ts);
    expect(mirrored.map((m) => String(m.text))).toEqual([
      expect.stringContaining('Which phone do you use?'),
      expect.stringContaining('An iPhone 15'),
    ]);
  });

  it('replies to the requester: their thread gets it, the desk thread a copy, and work starts', async () => {
    const folio = await openTicket('Keyboard missing keys');
    await click(folio, ANA, ACTION.reply);
    await lastModal().fill('Reply', 'A new keyboard is on its way <!channel>').submit(t.slack, ANA);
    await settle();
    const row = await ticket(folio);
    expect(row).toMatchObject({ status: 'in_progress' });
    expect(row.firstRespondedAt).not.toBeNull();
    const dm = t.fake
      .messagesIn(t.fake.dmChannelOf(REQUESTER))
      .find((m) => m.thread_ts === row.requesterThreadTs && m.ts !== row.requesterThreadTs);
    expect(String(dm?.text)).toContain('A new keyboard is on its way &lt;!channel&gt;');
    const [stored] = await db().select().from(comments);
    expect(stored).toMatchObject({ visibility: 'public', authorId: ANA, slackTs: dm?.ts });
    expect(stored?.mirrorTs).toBeTruthy();
  });

  it('does not notify a desk member of their own reply on a ticket they opened', async () => {
    await fileTicket(t, { user: ANA, subject: 'My own laptop', category: 'IT' });
    await settle();
    const dmBefore = t.fake.messagesIn(t.fake.dmChannelOf(ANA)).length;
    await click('TKT001', ANA, ACTION.reply);
    await lastModal().fill('Reply', 'Note to self: order the charger').submit(t.slack, ANA);
    await settle();
    expect(t.fake.messagesIn(t.fake.dmChannelOf(ANA))).toHaveLength(dmBefore);
    expect(t.fake.messagesIn(DESK).some((m) => String(m.text).includes('order the charger'))).toBe(true);
  });

  it('keeps internal notes away from the requester', async () => {
    const folio = await openTicket('Suspicious email');
    await t.slack.userMessage({
      channel: DESK,
      user: ANA,
      text: 'Probably phishing, check the headers',
      threadTs: card(folio).ts,
    });
    await click(folio, ANA, ACTION.reply);
    await lastModal().fill('Reply', 'Do not click the link, we are checking.').submit(t.slack, ANA);
    await settle();
    const notes = await db().select().from(comments).where(eq(comments.visibility, 'internal'));
    expect(notes.map((n) => n.body)).toEqual(['Probably phishing, check the headers']);
    expect(sentToRequester()).toContain('we are checking');
    expect(sentToRequester()).not.toContain('phishing');
  });

  it('makes one comment of a message Slack delivers three times', async () => {
    const folio = await openTicket('Wifi drops');
    const thread = (await ticket(folio)).requesterThreadTs ?? '';
    const dm = t.fake.dmChannelOf(REQUESTER);
    const first = await t.slack.userMessage({
      channel: dm,
      user: REQUESTER,
      text: 'It happened again',
      threadTs: thread,
    });
    // Slack retries the same event, then delivers the same message under another event id.
    const again = await t.slack.event(first.message, {
      eventId: first.eventId,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    const other = await t.slack.event(first.message);
    expect([first.status, again.status, other.status]).toEqual([200, 200, 200]);
    await settle();
    expect(await db().select().from(comments)).toHaveLength(1);
    expect(
      t.fake.messagesIn(DESK).filter((m) => m.thread_ts === card(folio).ts && m.ts !== card(folio).ts),
    ).toHaveLength(1);
  });

  it('reflects the requester’s edits and deletions in the desk’s copy, and ignores unfurls', async () => {
    const folio = await openTicket('Shared drive');
    const thread = (await ticket(folio)).requesterThreadTs ?? '';
    const dm = t.fake.dmChannelOf(REQUESTER);
    const sent = await t.slack.userMessage({
      channel: dm,
      user: REQUESTER,
      text: 'Drive X is gone',
      threadTs: thread,
    });
    await settle();
    const copy = () =>
      t.fake.messagesIn(DESK).find((m) => m.thread_ts === card(folio).ts && m.ts !== card(folio).ts);
    const edit = (text: string, previous: string) =>
      t.slack.event({
        type: 'message',
        subtype: 'message_changed',
        channel: dm,
        channel_type: 'im',
        ts: t.fake.nextTs(),
        hidden: true,
        message: {
          type: 'message',
          user: REQUESTER,
          text,
          ts: sent.message.ts,
          thread_ts: thread,
          edited: { user: REQUESTER, ts: t.fake.nextTs() },
        },
        previous_message: {
          type: 'message',
          user: REQUESTER,
          text: previous,
          ts: sent.message.ts,
          thread_ts: thread,
        },
      });
    await edit('Drive X and Y are gone', 'Drive X is gone');
    await settle();
    expect(String(copy()?.text)).toContain('Drive X and Y are gone');
    const updates = t.fake.callsTo('chat.update').length;
    await edit('Drive X and Y are gone', 'Drive X and Y are gone'); // an unfurl: same text
    await settle();
    expect(t.fake.callsTo('chat.update')).toHaveLength(updates);

    await t.slack.event({
      type: 'message',
      subtype: 'message_deleted',
      channel: dm,
      channel_type: 'im',
      ts: t.fake.nextTs(),
      hidden: true,
      deleted_ts: sent.message.ts,
      previous_message: {
        type: 'message',
        user: REQUESTER,
        text: 'Drive X and Y are gone',
        ts: sent.message.ts,
      },
    });
    await settle();
    expect(copy()).toBeUndefined();
    expect((await db().select().from(comments))[0]?.deletedAt).not.toBeNull();
  });

  it('reopens a closed ticket when the requester comments on it', async () => {
    const folio = await openTicket('Badge not working');
    await db()
      .update(tickets)
      .set({ status: 'closed', closedAt: new Date() })
      .where(eq(tickets.folio, folio));
    const thread = (await ticket(folio)).requesterThreadTs ?? '';
    await t.slack.userMessage({
      channel: t.fake.dmChannelOf(REQUESTER),
      user: REQUESTER,
      text: 'It stopped again',
      threadTs: thread,
    });
    await settle();
    expect(await ticket(folio)).toMatchObject({ status: 'open', closedAt: null });
    expect((await events(folio)).at(-2)).toMatchObject({ type: 'ticket.reopened' });
  });

  it('points a message written outside any thread to the right place', async () => {
    const dm = t.fake.dmChannelOf(REQUESTER);
    await t.slack.userMessage({ channel: dm, user: REQUESTER, text: 'hello?' });
    await settle();
    expect(String(t.fake.messagesIn(dm).at(-1)?.text)).toContain('reply in its thread');
  });
});

describe('resolution', () => {
  async function resolved(subject: string) {
    const folio = await openTicket(subject);
    await click(folio, ANA, ACTION.more, 'resolve');
    await lastModal().fill('Resolution', 'Replaced the toner').submit(t.slack, ANA);
    await settle();
    const row = await ticket(folio);
    const dm = t.fake
      .messagesIn(t.fake.dmChannelOf(REQUESTER))
      .filter((m) => m.thread_ts === row.requesterThreadTs);
    return { folio, row, notice: dm.at(-1) };
  }

  it('asks the requester to confirm; Confirm closes it', async () => {
    const { folio, row, notice } = await resolved('Printer out of toner');
    expect(row).toMatchObject({ status: 'resolved', resolutionNote: 'Replaced the toner' });
    expect(String(notice?.text)).toContain('is resolved');
    expect(JSON.stringify(notice?.blocks)).toContain(ACTION.confirm);
    const dm = t.fake.dmChannelOf(REQUESTER);
    if (!notice) throw new Error('no resolution notice');
    await t.slack.blockActions({
      user: REQUESTER,
      channel: dm,
      message: notice,
      actions: [{ action_id: ACTION.confirm }],
    });
    await settle();
    expect(await ticket(folio)).toMatchObject({ status: 'closed' });
    expect((await events(folio)).map((e) => e.type).slice(-2)).toEqual([
      'ticket.status_changed',
      'ticket.confirmed',
    ]);
  });

  it('reopens it with the requester’s words when they say it is still broken', async () => {
    const { folio, notice } = await resolved('Scanner broken');
    if (!notice) throw new Error('no resolution notice');
    const dm = t.fake.dmChannelOf(REQUESTER);
    await t.slack.blockActions({
      user: REQUESTER,
      channel: dm,
      message: notice,
      actions: [{ action_id: ACTION.stillBroken }],
    });
    await t.folio.services.background.idle();
    await lastModal().fill('What is still wrong?', 'It still jams on page 2').submit(t.slack, REQUESTER);
    await settle();
    expect(await ticket(folio)).toMatchObject({ status: 'open', resolvedAt: null });
    const [c] = await db().select().from(comments);
    expect(c).toMatchObject({ body: 'It still jams on page 2', visibility: 'public', authorId: REQUESTER });
    expect(t.fake.messagesIn(DESK).some((m) => String(m.text).includes('It still jams on page 2'))).toBe(
      true,
    );
  });

  it('shows the timeline under /ticket TKT042', async () => {
    const { folio } = await resolved('Monitor dead');
    const res = await t.slack.command({ text: folio, user: ANA });
    const shown = JSON.stringify(res.json);
    expect(shown).toContain('*History*');
    expect(shown).toContain(`<@${REQUESTER}> opened it`);
    expect(shown).toContain('to Resolved');
  });

  it('shows only the latest 15 changes of a long history, saying how many came before', async () => {
    const { folio } = await resolved('Keyboard sticky');
    const before = (await events(folio)).length;
    const { id } = await ticket(folio);
    await db()
      .insert(ticketEvents)
      .values(Array.from({ length: 20 }, () => ({ ticketId: id, actorId: BEN, type: 'ticket.note_added' })));
    const shown = JSON.stringify((await t.slack.command({ text: folio, user: ANA })).json);
    expect(shown).toContain(`${before + 20 - 15} earlier changes not shown`);
    expect(shown.split(`<@${BEN}> added an internal note`)).toHaveLength(16);
    expect(shown).not.toContain(`<@${REQUESTER}> opened it`);
  });
});
