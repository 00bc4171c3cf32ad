import { describe, expect, it } from 'vitest';
import { FAKE_BOT, type JsonObject } from '../harness/fakeSlack.js';
import { deskFlows } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

/**
 * A reply written with "Also send to channel" (or "Also send as direct message"): Slack delivers it as
 * a `thread_broadcast` message, whose thread its types leave to `root` alone. It is one reply like any
 * other: stored once, where it was written.
 */

const REQUESTER = 'U_REQ_RITA';
const ANA = 'U_AGENT_ANA';
const DESK = 'C_IT_DESK';

const t = useTestFolio();
const { settle, ticket, card, openTicket, storedComments } = deskFlows(t, {
  desk: DESK,
  requester: REQUESTER,
});

/** The `thread_broadcast` event of a reply to `parent`, as Slack sends it. */
function broadcast(o: {
  channel: string;
  channelType: 'channel' | 'im';
  user: string;
  text: string;
  parent: { ts: string; user?: string; text: string };
  /** Whether the event repeats the thread's ts at its top level (Slack's types make it optional). */
  topLevelThreadTs: boolean;
  ts?: string;
}): JsonObject {
  const ts = o.ts ?? t.fake.nextTs();
  return {
    type: 'message',
    subtype: 'thread_broadcast',
    channel: o.channel,
    channel_type: o.channelType,
    user: o.user,
    text: o.text,
    ts,
    ...(o.topLevelThreadTs ? { thread_ts: o.parent.ts } : {}),
    root: {
      type: 'message',
      ...(o.parent.user ? { user: o.parent.user } : { bot_id: FAKE_BOT.botId }),
      text: o.parent.text,
      ts: o.parent.ts,
      thread_ts: o.parent.ts,
      reply_count: 1,
      reply_users_count: 1,
      latest_reply: ts,
      reply_users: [o.user],
    },
    client_msg_id: `msg-${ts}`,
  };
}

describe('a reply also sent to the channel, in the card’s thread', () => {
  it('is stored as an internal note and shown in the ticket’s history', async () => {
    const folio = await openTicket('Printer jammed');
    const parent = card(folio);
    const res = await t.slack.event(
      broadcast({
        channel: DESK,
        channelType: 'channel',
        user: ANA,
        text: 'Heads up team: the whole 3rd floor is affected',
        parent: { ts: parent.ts, text: String(parent.text) },
        topLevelThreadTs: false,
      }),
    );
    expect(res.status).toBe(200);
    await settle();
    expect((await storedComments()).map((c) => [c.visibility, c.authorId, c.body])).toEqual([
      ['internal', ANA, 'Heads up team: the whole 3rd floor is affected'],
    ]);
    const shown = JSON.stringify((await t.slack.command({ text: folio, user: ANA })).json);
    expect(shown).toContain(`<@${ANA}> added an internal note`);
    // An internal note stays with the desk.
    expect(JSON.stringify(t.fake.messagesIn(t.fake.dmChannelOf(REQUESTER)))).not.toContain('3rd floor');
  });

  it('is stored once, with or without the thread at the top level, whatever Slack delivers again', async () => {
    const folio = await openTicket('Monitor flickers');
    const parent = card(folio);
    const event = broadcast({
      channel: DESK,
      channelType: 'channel',
      user: ANA,
      text: 'Replacing the cable',
      parent: { ts: parent.ts, text: String(parent.text) },
      topLevelThreadTs: true,
    });
    const first = await t.slack.event(event);
    await t.slack.event(event, { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' });
    await t.slack.event({ ...event, thread_ts: undefined }); // the same message under another event id
    await settle();
    expect((await storedComments()).map((c) => c.body)).toEqual(['Replacing the cable']);
  });
});

describe('a requester’s reply also sent to their DM with Folio', () => {
  it('is one public comment with one copy for the desk, and no "reply in its thread" answer', async () => {
    const folio = await openTicket('Wifi drops');
    const row = await ticket(folio);
    const dm = t.fake.dmChannelOf(REQUESTER);
    const thread = row.requesterThreadTs ?? '';
    const event = broadcast({
      channel: dm,
      channelType: 'im',
      user: REQUESTER,
      text: 'It dropped again at 10:00',
      parent: { ts: thread, text: `${folio}: Wifi drops` },
      topLevelThreadTs: false,
    });
    const dmBefore = t.fake.messagesIn(dm).length;
    await t.slack.event(event);
    // The same message again, as a plain reply in the thread: still one comment.
    await t.slack.event({ ...event, subtype: undefined, root: undefined, thread_ts: thread });
    await settle();
    expect((await storedComments()).map((c) => [c.visibility, c.authorId, c.body])).toEqual([
      ['public', REQUESTER, 'It dropped again at 10:00'],
    ]);
    const copies = t.fake
      .messagesIn(DESK)
      .filter((m) => m.thread_ts === card(folio).ts && m.ts !== card(folio).ts);
    expect(copies.map((m) => String(m.text))).toEqual([expect.stringContaining('It dropped again at 10:00')]);
    // Folio wrote nothing more to the requester: no "reply in its thread" for a reply.
    expect(
      t.fake
        .messagesIn(dm)
        .slice(dmBefore)
        .filter((m) => m.user !== REQUESTER),
    ).toEqual([]);
    const shown = JSON.stringify((await t.slack.command({ text: folio, user: ANA })).json);
    expect(shown).toContain(`<@${REQUESTER}> wrote: “It dropped again at 10:00”`);
  });
});
