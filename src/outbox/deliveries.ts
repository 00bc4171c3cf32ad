import type { WebClient } from '@slack/web-api';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  type AttachmentRow,
  attachments,
  type CommentRow,
  comments,
  outbox,
  tickets,
} from '../db/schema/index.js';
import type { DeskDirectory } from '../desks/directory.js';
import type { FolioLogger } from '../lib/logger.js';
import { escapeMrkdwn, escapeTruncated, mentionUser } from '../lib/mrkdwn.js';
import { context, fileLink, type KnownBlock, section } from '../slack/blocks/elements.js';
import { requesterNotice } from '../slack/blocks/requesterNotice.js';
import { ticketCard } from '../slack/blocks/ticketCard.js';
import { publishHome } from '../slack/home/publish.js';
import { platformErrorCode } from '../slack/webErrors.js';
import { loadTicketDetails, type TicketDetails } from '../tickets/details.js';
import type { OutboxMessage } from './messages.js';
import type { ClaimedRow } from './relay.js';

/** How each kind of outbox message reaches Slack. Renders from the ticket as it is now. */

export interface DeliveryContext {
  db: Db;
  directory: DeskDirectory;
  slack: WebClient;
  log: FolioLogger;
  row: ClaimedRow;
}

/** The message cannot be delivered, ever (its ticket is gone…): no retry. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

export type DeliveryResult = Record<string, unknown>;

export async function deliver(ctx: DeliveryContext, message: OutboxMessage): Promise<DeliveryResult> {
  switch (message.kind) {
    case 'card.post':
      return postCard(ctx, await details(ctx, message.ticketId));
    case 'card.update':
      return updateCard(ctx, await details(ctx, message.ticketId));
    case 'requester.notify':
      return notifyRequester(ctx, await details(ctx, message.ticketId), message.template);
    case 'source.reply':
      return replyUnderSource(ctx, await details(ctx, message.ticketId), message.threadTs);
    case 'requester.reply':
      return postReplyToRequester(
        ctx,
        await details(ctx, message.ticketId),
        await comment(ctx, message.commentId),
      );
    case 'comment.mirror':
      return mirrorInDeskThread(
        ctx,
        await details(ctx, message.ticketId),
        await comment(ctx, message.commentId),
      );
    case 'comment.edit':
      return editMirror(ctx, await comment(ctx, message.commentId));
    case 'comment.delete':
      return deleteMirror(ctx, await comment(ctx, message.commentId));
    case 'desk.note':
      return noteInDeskThread(ctx, await details(ctx, message.ticketId), message.text);
    case 'message.post':
      return postOnce(ctx, {
        channel: message.channel,
        text: message.text,
        blocks: message.blocks ?? [section(message.text)],
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      });
    case 'home.publish':
      return publishHome(ctx, message.userId);
  }
}

async function comment(ctx: DeliveryContext, commentId: number): Promise<CommentWithFiles> {
  const [row] = await ctx.db.select().from(comments).where(eq(comments.id, commentId));
  if (!row) throw new PermanentDeliveryError(`comment ${commentId} does not exist`);
  const files = await ctx.db.select().from(attachments).where(eq(attachments.commentId, commentId));
  return { ...row, files };
}

type CommentWithFiles = CommentRow & { files: AttachmentRow[] };

/** The requester sees a desk member's public reply in their DM thread, from the desk's template. */
async function postReplyToRequester(
  ctx: DeliveryContext,
  d: TicketDetails,
  c: CommentWithFiles,
): Promise<DeliveryResult> {
  if (c.deletedAt) return { skipped: 'comment deleted' };
  if (c.slackTs) return { skipped: 'already posted', ts: c.slackTs };
  const t = d.ticket;
  const notice = requesterNotice(d, 'publicReply', {
    author: { mrkdwn: mentionUser(c.authorId) },
    comment: c.body,
  });
  const posted = await postToRequester(ctx, t, {
    text: notice.text,
    blocks: [...notice.blocks, ...fileLinks(c.files)],
  });
  await ctx.db
    .update(comments)
    .set({ slackChannelId: posted.channel, slackTs: posted.ts })
    .where(and(eq(comments.id, c.id), isNull(comments.slackTs)));
  return posted;
}

/** A public comment's copy in the card's thread: what the requester wrote, or what the desk answered. */
async function mirrorInDeskThread(
  ctx: DeliveryContext,
  d: TicketDetails,
  c: CommentWithFiles,
): Promise<DeliveryResult> {
  const { cardChannelId: channel, cardTs } = d.ticket;
  if (!channel || !cardTs) return { skipped: 'no card to reply under' };
  if (c.deletedAt) return { skipped: 'comment deleted' };
  if (c.mirrorTs) return { skipped: 'already mirrored', ts: c.mirrorTs };
  const posted = await postOnce(ctx, { channel, thread_ts: cardTs, ...mirrorMessage(d, c) });
  await ctx.db
    .update(comments)
    .set({ mirrorChannelId: posted.channel, mirrorTs: posted.ts })
    .where(and(eq(comments.id, c.id), isNull(comments.mirrorTs)));
  return posted;
}

function mirrorMessage(d: TicketDetails, c: CommentWithFiles): { text: string; blocks: KnownBlock[] } {
  const text = mirrorText(d, c);
  return { text, blocks: [section(text), ...fileLinks(c.files)] };
}

function mirrorText(d: TicketDetails, c: CommentRow): string {
  const body = escapeTruncated(c.body, 2800);
  const edited = c.editedAt ? ' _(edited)_' : '';
  return c.authorId === d.ticket.requesterId
    ? `:speech_balloon: *${mentionUser(c.authorId)} (requester) wrote:*\n${body}${edited}`
    : `:leftwards_arrow_with_hook: *${mentionUser(c.authorId)} replied to the requester:*\n${body}${edited}`;
}

async function editMirror(ctx: DeliveryContext, c: CommentWithFiles): Promise<DeliveryResult> {
  if (!c.mirrorChannelId || !c.mirrorTs) return { skipped: 'no copy to edit' };
  const d = await details(ctx, c.ticketId);
  await ctx.slack.chat.update({ channel: c.mirrorChannelId, ts: c.mirrorTs, ...mirrorMessage(d, c) });
  return { channel: c.mirrorChannelId, ts: c.mirrorTs };
}

async function deleteMirror(ctx: DeliveryContext, c: CommentWithFiles): Promise<DeliveryResult> {
  if (!c.mirrorChannelId || !c.mirrorTs) return { skipped: 'no copy to delete' };
  try {
    await ctx.slack.chat.delete({ channel: c.mirrorChannelId, ts: c.mirrorTs });
  } catch (error) {
    if (platformErrorCode(error) === 'message_not_found') return { skipped: 'copy already gone' };
    throw error;
  }
  return { deleted: c.mirrorTs };
}

async function noteInDeskThread(
  ctx: DeliveryContext,
  d: TicketDetails,
  text: string,
): Promise<DeliveryResult> {
  const { cardChannelId: channel, cardTs } = d.ticket;
  if (!channel || !cardTs) return { skipped: 'no card to reply under' };
  return postOnce(ctx, { channel, thread_ts: cardTs, text, blocks: [section(text)] });
}

function fileLinks(files: readonly AttachmentRow[]): KnownBlock[] {
  if (files.length === 0) return [];
  return [context([`:paperclip: ${files.map(fileLink).join(', ')}`])];
}

async function details(ctx: DeliveryContext, ticketId: number): Promise<TicketDetails> {
  const d = await loadTicketDetails(ctx.db, ctx.directory, ticketId);
  if (!d) throw new PermanentDeliveryError(`ticket ${ticketId} does not exist`);
  return d;
}

async function postCard(ctx: DeliveryContext, d: TicketDetails): Promise<DeliveryResult> {
  if (d.ticket.cardTs) return { skipped: 'card already posted', ts: d.ticket.cardTs };
  if (!d.desk.channel) return { skipped: 'desk has no channel' };
  const posted = await postOnce(ctx, { channel: d.desk.channel, ...ticketCard(d) });
  await ctx.db
    .update(tickets)
    .set({ cardChannelId: posted.channel, cardTs: posted.ts })
    .where(and(eq(tickets.id, d.ticket.id), isNull(tickets.cardTs)));
  return posted;
}

async function updateCard(ctx: DeliveryContext, d: TicketDetails): Promise<DeliveryResult> {
  // Later updates of this card already committed are covered by this render: mark them done so a
  // busy ticket costs one chat.update, not one per change.
  const coalesced = await ctx.db
    .update(outbox)
    .set({ deliveredAt: sql`now()`, result: { coalescedInto: ctx.row.id } })
    .where(
      and(
        eq(outbox.orderingKey, `card:${d.ticket.id}`),
        eq(outbox.kind, 'card.update'),
        gt(outbox.id, ctx.row.id),
        isNull(outbox.deliveredAt),
        isNull(outbox.failedAt),
      ),
    )
    .returning({ id: outbox.id });
  const { cardChannelId: channel, cardTs: ts } = d.ticket;
  if (!channel || !ts) return { skipped: 'no card to update' };
  await ctx.slack.chat.update({ channel, ts, ...ticketCard(d) });
  return { channel, ts, coalesced: coalesced.length };
}

async function notifyRequester(
  ctx: DeliveryContext,
  d: TicketDetails,
  template: Parameters<typeof requesterNotice>[1],
): Promise<DeliveryResult> {
  return postToRequester(ctx, d.ticket, requesterNotice(d, template));
}

/**
 * Posts in the requester's thread with the app; the first message to the requester becomes the root
 * of their conversation with the desk.
 */
async function postToRequester(
  ctx: DeliveryContext,
  t: TicketDetails['ticket'],
  message: { text: string; blocks: KnownBlock[] },
): Promise<{ channel: string; ts: string }> {
  const posted = await postOnce(ctx, {
    channel: t.requesterChannelId ?? t.requesterId,
    ...(t.requesterThreadTs ? { thread_ts: t.requesterThreadTs } : {}),
    ...message,
  });
  if (!t.requesterThreadTs) {
    await ctx.db
      .update(tickets)
      .set({ requesterChannelId: posted.channel, requesterThreadTs: posted.ts })
      .where(and(eq(tickets.id, t.id), isNull(tickets.requesterThreadTs)));
  }
  return posted;
}

/**
 * Where the app may not post (a private channel or DM it is not in, an archived channel), the reply
 * under the source message is skipped: the ticket exists, the person who made it saw it created.
 */
const SOURCE_REPLY_SKIPPED = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'user_not_in_channel',
  'cannot_reply_to_message',
  'thread_not_found',
  'ekm_access_denied',
]);

async function replyUnderSource(
  ctx: DeliveryContext,
  d: TicketDetails,
  threadTs: string,
): Promise<DeliveryResult> {
  const t = d.ticket;
  if (!t.sourceChannelId) return { skipped: 'ticket has no source message' };
  const text = sourceReplyText(d);
  try {
    if (d.desk.private) {
      // A private desk's ticket is not announced in the channel: only the person who made it hears.
      await ctx.slack.chat.postEphemeral({
        channel: t.sourceChannelId,
        user: t.createdBy,
        thread_ts: threadTs,
        text,
      });
      return { ephemeral: true };
    }
    return await postOnce(ctx, {
      channel: t.sourceChannelId,
      thread_ts: threadTs,
      text,
      blocks: [section(text)],
    });
  } catch (error) {
    const code = platformErrorCode(error);
    if (code && SOURCE_REPLY_SKIPPED.has(code)) return { skipped: code };
    throw error;
  }
}

function sourceReplyText(d: TicketDetails): string {
  const { folio } = d.ticket;
  const desk = escapeMrkdwn(d.desk.name);
  return d.desk.private
    ? `:ticket: You turned this message into *${folio}* for the ${desk} desk. Only its requester and the desk can see it.`
    : `:ticket: This message is now ticket *${folio}* for the ${desk} desk. Follow it with \`/ticket ${folio}\`.`;
}

interface PostArgs {
  channel: string;
  text: string;
  blocks: KnownBlock[];
  thread_ts?: string;
}

const METADATA_EVENT = 'folio_outbox';

/**
 * chat.postMessage has no idempotency key, so every post carries its outbox id in message metadata.
 * When an earlier attempt may have posted (its answer was lost), look for that message first.
 */
async function postOnce(ctx: DeliveryContext, args: PostArgs): Promise<{ channel: string; ts: string }> {
  if (ctx.row.mayHavePosted) {
    const found = await findPosted(ctx, args);
    if (found) {
      ctx.log.info('Outbox message was already posted by an earlier attempt', {
        outboxId: ctx.row.id,
        ...found,
      });
      return found;
    }
  }
  const res = await ctx.slack.chat.postMessage({
    ...args,
    unfurl_links: false,
    unfurl_media: false,
    metadata: { event_type: METADATA_EVENT, event_payload: { outbox_id: ctx.row.id } },
  });
  if (!res.channel || !res.ts) throw new Error('chat.postMessage answered without channel or ts');
  return { channel: res.channel, ts: res.ts };
}

async function findPosted(
  ctx: DeliveryContext,
  args: PostArgs,
): Promise<{ channel: string; ts: string } | undefined> {
  let channel = args.channel;
  if (/^[UW]/.test(channel)) {
    const opened = await ctx.slack.conversations.open({ users: channel });
    if (!opened.channel?.id) return undefined;
    channel = opened.channel.id;
  }
  // A little before the row was written, in case clocks differ.
  const oldest = String(Math.floor(ctx.row.createdAt.getTime() / 1000) - 60);
  const res = args.thread_ts
    ? await ctx.slack.conversations.replies({
        channel,
        ts: args.thread_ts,
        oldest,
        include_all_metadata: true,
        limit: 200,
      })
    : await ctx.slack.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 });
  const match = res.messages?.find((m) => {
    const payload: Record<string, unknown> = m.metadata?.event_payload ?? {};
    return m.metadata?.event_type === METADATA_EVENT && Number(payload.outbox_id) === ctx.row.id;
  });
  return match?.ts ? { channel, ts: match.ts } : undefined;
}
