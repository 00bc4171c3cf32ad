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
const threadOf = (received: MessageEvent): string | undefined =>
  received.thread_ts ?? received.root?.thread_ts ?? received.root?.ts;

const NOT_KEPT =
  'Folio could not keep this message in the ticket: the database refused part of it (an unusual ' +
  'character or file), so sending it again unchanged will not help. It is not in the ticket’s ' +
  'history: post it again without that part.';

const NEW_MESSAGE_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

export const messageEvents =
  (services: SlackServices) =>
  async ({ event, body, context, client }: Args): Promise<void> => {
    const parsed = messageEvent.safeParse(event);
    if (!parsed.success) return;
    const received = parsed.data;
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    const isBot = (sender: { bot_id?: string | undefined; user?: string | undefined }) =>
      Boolean(sender.bot_id) || (context.botUserId !== undefined && sender.user === context.botUserId);
    try {
      if (received.subtype === 'message_changed') return await edited(services, received, eventId, isBot);
      if (received.subtype === 'message_deleted') {
        if (received.deleted_ts)
          await deleteCommentFromSlack(services, {
            channel: received.channel,
            ts: received.deleted_ts,
            ...(eventId ? { eventId } : {}),
          });
        return;
      }
      if (!NEW_MESSAGE_SUBTYPES.has(received.subtype) || isBot(received) || !received.user) return;
      await newMessage(services, received, received.user, eventId);
    } catch (error) {
      // A refusal (someone else writing in a requester's thread…) is not worth a redelivery.
      if (isFolioError(error)) {
        services.log.info('Message not synced', {
          reason: error.message,
          channel: received.channel,
          ts: received.ts,
        });
        if (error.code === 'unstorable') await tellNotKept(services, client, received, error);
        return;
      }
      throw error;
    }
  };

/** Tells the author of a message the database refused, where they wrote it, that it was not kept. */
async function tellNotKept(
  services: SlackServices,
  client: Args['client'],
  received: MessageEvent,
  error: FolioError,
): Promise<void> {
  const written = received.subtype === 'message_changed' ? received.message : received;
  const user = written?.user;
  services.log.warn('The database refused a message', { channel: received.channel, ts: written?.ts }, error);
  if (!user) return;
  const threadTs = written === received ? threadOf(received) : written?.thread_ts;
  await client.chat.postEphemeral({
    channel: received.channel,
    user,
    text: NOT_KEPT,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
}

async function newMessage(
  services: SlackServices,
  received: MessageEvent,
  user: string,
  eventId: string | undefined,
): Promise<void> {
  const slack = { channel: received.channel, ts: received.ts, ...(eventId ? { eventId } : {}) };
  const body = slackMarkupToText(received.text ?? '');
  const { files } = readSlackFiles(received.files);
  const threadTs = threadOf(received);
  if (threadTs && threadTs !== received.ts) {
    const thread = await ticketForThread(services.db, received.channel, threadTs);
    if (!thread) return;
    if (thread.side === 'desk') {
      await addDeskNote(services, { ticketId: thread.ticket.id, actorId: user, body, files, slack });
    } else if (user === thread.ticket.requesterId) {
      await addRequesterComment(services, { ticketId: thread.ticket.id, actorId: user, body, files, slack });
    }
    return;
  }
  // A broadcast is a reply by nature, even when Slack did not say to which thread: no stray answer.
  if (received.channel_type === 'im' && received.subtype !== 'thread_broadcast' && eventId)
    await answerStrayDirectMessage(services, { channel: received.channel, eventId });
}

async function edited(
  services: SlackServices,
  received: MessageEvent,
  eventId: string | undefined,
  isBot: (sender: { bot_id?: string | undefined; user?: string | undefined }) => boolean,
): Promise<void> {
  const now = received.message;
  if (!now?.user || isBot(now)) return;
  // Unfurls and other attachment-only updates arrive as edits with the same text.
  if (received.previous_message && received.previous_message.text === now.text) return;
  await editCommentFromSlack(services, {
    actorId: now.user,
    channel: received.channel,
    ts: now.ts,
    body: slackMarkupToText(now.text ?? ''),
    ...(eventId ? { eventId } : {}),
  });
}
