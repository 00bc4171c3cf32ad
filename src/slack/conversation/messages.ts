import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { type FolioError, isFolioError } from '../../domain/errors.js';
import { slackMarkupToText } from '../../lib/mrkdwn.js';
import {
  addDeskNote,
  addRequesterComment,
  answerStrayDirectMessage,
  deleteCommentFromSlack,
  editCommentFromSlack,
  ticketForThread,
} from '../../tickets/workflow/conversation.js';
import type { SlackServices } from '../context.js';
import { readSlackFiles } from '../kit/files.js';

type Args = SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs;

/**
 * Message events keep the conversation in step with Slack: a reply under a ticket's card is an
 * internal note, the requester's reply in their DM thread a public comment; edits and deletions
 * follow. A reply also sent to the channel (or to the DM), `thread_broadcast`, is one message like any
 * other reply: stored once, by its channel and ts. Bots' messages (Folio's own copies among them) are
 * ignored, so nothing loops; an edit that only changed an unfurl changes nothing. The work happens
 * before Slack gets its answer: if it fails, Slack delivers the event again, and the event id (with
 * the message's own channel and ts) makes a second delivery add nothing. A message the database
 * refuses (see db/tx.ts) would fail again: its author is told, ephemerally, that it was not kept.
 */

/** A message as Slack describes it: the event itself, or the message an edit carries (before and after). */
const innerMessage = z.object({
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  files: z.array(z.unknown()).optional(),
});

/** A broadcast reply names its thread's parent in `root` (Slack's types leave `thread_ts` optional). */
const broadcastRoot = z.object({ ts: z.string().optional(), thread_ts: z.string().optional() });

/** The event: a message itself, with what says where it was written and what happened to it. */
const messageEvent = innerMessage.extend({
  subtype: z.string().optional(),
  channel: z.string(),
  channel_type: z.string().optional(),
  message: innerMessage.optional(),
  previous_message: innerMessage.optional(),
  deleted_ts: z.string().optional(),
  root: broadcastRoot.optional(),
});

type MessageEvent = z.infer<typeof messageEvent>;

/** The thread a message was written in, if any. */
const threadOf = (m: MessageEvent): string | undefined => m.thread_ts ?? m.root?.thread_ts ?? m.root?.ts;

const NOT_KEPT =
  'Folio could not keep this message in the ticket: the database refused part of it (an unusual ' +
  'character or file), so sending it again unchanged will not help. It is not in the ticket’s ' +
  'history: post it again without that part.';

const NEW_MESSAGE_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

export const messageEvents =
  (s: SlackServices) =>
  async ({ event, body, context, client }: Args): Promise<void> => {
    const parsed = messageEvent.safeParse(event);
    if (!parsed.success) return;
    const m = parsed.data;
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    const isBot = (x: { bot_id?: string | undefined; user?: string | undefined }) =>
      Boolean(x.bot_id) || (context.botUserId !== undefined && x.user === context.botUserId);
    try {
      if (m.subtype === 'message_changed') return await edited(s, m, eventId, isBot);
      if (m.subtype === 'message_deleted') {
        if (m.deleted_ts)
          await deleteCommentFromSlack(s, {
            channel: m.channel,
            ts: m.deleted_ts,
            ...(eventId ? { eventId } : {}),
          });
        return;
      }
      if (!NEW_MESSAGE_SUBTYPES.has(m.subtype) || isBot(m) || !m.user) return;
      await newMessage(s, m, m.user, eventId);
    } catch (error) {
      // A refusal (someone else writing in a requester's thread…) is not worth a redelivery.
      if (isFolioError(error)) {
        s.log.info('Message not synced', { reason: error.message, channel: m.channel, ts: m.ts });
        if (error.code === 'unstorable') await tellNotKept(s, client, m, error);
        return;
      }
      throw error;
    }
  };

/** Tells the author of a message the database refused, where they wrote it, that it was not kept. */
async function tellNotKept(
  s: SlackServices,
  client: Args['client'],
  m: MessageEvent,
  error: FolioError,
): Promise<void> {
  const written = m.subtype === 'message_changed' ? m.message : m;
  const user = written?.user;
  s.log.warn('The database refused a message', { channel: m.channel, ts: written?.ts }, error);
  if (!user) return;
  const threadTs = written === m ? threadOf(m) : written?.thread_ts;
  await client.chat.postEphemeral({
    channel: m.channel,
    user,
    text: NOT_KEPT,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
}

async function newMessage(
  s: SlackServices,
  m: MessageEvent,
  user: string,
  eventId: string | undefined,
): Promise<void> {
  const slack = { channel: m.channel, ts: m.ts, ...(eventId ? { eventId } : {}) };
  const body = slackMarkupToText(m.text ?? '');
  const { files } = readSlackFiles(m.files);
  const threadTs = threadOf(m);
  if (threadTs && threadTs !== m.ts) {
    const thread = await ticketForThread(s.db, m.channel, threadTs);
    if (!thread) return;
    if (thread.side === 'desk') {
      await addDeskNote(s, { ticketId: thread.ticket.id, actorId: user, body, files, slack });
    } else if (user === thread.ticket.requesterId) {
      await addRequesterComment(s, { ticketId: thread.ticket.id, actorId: user, body, files, slack });
    }
    return;
  }
  // A broadcast is a reply by nature, even when Slack did not say to which thread: no stray answer.
  if (m.channel_type === 'im' && m.subtype !== 'thread_broadcast' && eventId)
    await answerStrayDirectMessage(s, { channel: m.channel, eventId });
}

async function edited(
  s: SlackServices,
  m: MessageEvent,
  eventId: string | undefined,
  isBot: (x: { bot_id?: string | undefined; user?: string | undefined }) => boolean,
): Promise<void> {
  const now = m.message;
  if (!now?.user || isBot(now)) return;
  // Unfurls and other attachment-only updates arrive as edits with the same text.
  if (m.previous_message && m.previous_message.text === now.text) return;
  await editCommentFromSlack(s, {
    actorId: now.user,
    channel: m.channel,
    ts: now.ts,
    body: slackMarkupToText(now.text ?? ''),
    ...(eventId ? { eventId } : {}),
  });
}
