import { and, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { type AttachmentRow, attachments, type CommentRow, comments, tickets } from '../db/schema/index.js';

/**
 * Where a ticket's messages are in Slack: the card, the requester's thread, each public comment's
 * copies. A deliverer records what Slack answered here once it has posted; each write keeps the first
 * answer (a post already recorded is never replaced), so a delivery repeated after a lost answer
 * changes nothing.
 */

/** A message in Slack: its channel and timestamp (a type, not an interface: it is a delivery's result). */
export type MessageRef = { channel: string; ts: string };

export type CommentWithFiles = CommentRow & { files: AttachmentRow[] };

/** A comment with its files, as a deliverer renders it; undefined when it does not exist. */
export async function loadCommentWithFiles(
  db: Queryable,
  commentId: number,
): Promise<CommentWithFiles | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, commentId));
  if (!row) return undefined;
  const files = await db.select().from(attachments).where(eq(attachments.commentId, commentId));
  return { ...row, files };
}

/** The ticket's card was posted in its desk channel. */
export async function recordCardPosted(db: Queryable, ticketId: number, card: MessageRef): Promise<void> {
  await db
    .update(tickets)
    .set({ cardChannelId: card.channel, cardTs: card.ts })
    .where(and(eq(tickets.id, ticketId), isNull(tickets.cardTs)));
}

/** The first message to the requester was posted: it is the root of their thread with the desk. */
export async function recordRequesterThread(
  db: Queryable,
  ticketId: number,
  root: MessageRef,
): Promise<void> {
  await db
    .update(tickets)
    .set({ requesterChannelId: root.channel, requesterThreadTs: root.ts })
    .where(and(eq(tickets.id, ticketId), isNull(tickets.requesterThreadTs)));
}

/** A desk member's public reply was posted in the requester's thread. */
export async function recordCommentPosted(
  db: Queryable,
  commentId: number,
  posted: MessageRef,
): Promise<void> {
  await db
    .update(comments)
    .set({ slackChannelId: posted.channel, slackTs: posted.ts })
    .where(and(eq(comments.id, commentId), isNull(comments.slackTs)));
}

/** A public comment's copy was posted in the card's thread. */
export async function recordCommentMirrored(
  db: Queryable,
  commentId: number,
  copy: MessageRef,
): Promise<void> {
  await db
    .update(comments)
    .set({ mirrorChannelId: copy.channel, mirrorTs: copy.ts })
    .where(and(eq(comments.id, commentId), isNull(comments.mirrorTs)));
}
