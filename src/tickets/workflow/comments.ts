import { and, eq } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.js';
import { attachments, comments, type Visibility } from '../../db/schema/index.js';
import { type FileRef, normalizeFileNames } from '../../domain/files.js';
import { truncate } from '../../lib/mrkdwn.js';
import { MAX_ATTACHMENTS } from '../limits.js';

export interface NewComment {
  ticketId: number;
  /** A Slack member; null for mail from outside the workspace (then `authorEmail`). */
  authorId: string | null;
  authorEmail?: string | null;
  body: string;
  visibility: Visibility;
  /** The Slack message it came from; unique, so a redelivered message adds nothing. */
  slack?: { channel: string; ts: string };
  files?: FileRef[];
  at: Date;
}

/**
 * Adds a comment and its files; undefined when that Slack message is already a comment. The body is
 * the use case's, already normalized (domain/text.ts), since its events quote it too.
 */
export async function insertComment(tx: Tx, comment: NewComment): Promise<number | undefined> {
  const [row] = await tx
    .insert(comments)
    .values({
      ticketId: comment.ticketId,
      authorId: comment.authorId,
      authorEmail: comment.authorEmail ?? null,
      body: comment.body,
      visibility: comment.visibility,
      slackChannelId: comment.slack?.channel ?? null,
      slackTs: comment.slack?.ts ?? null,
      createdAt: comment.at,
    })
    .onConflictDoNothing({ target: [comments.slackChannelId, comments.slackTs] })
    .returning({ id: comments.id });
  if (!row) return undefined;
  const files = normalizeFileNames((comment.files ?? []).slice(0, MAX_ATTACHMENTS));
  if (files.length > 0) {
    await tx
      .insert(attachments)
      .values(
        files.map((file) => ({
          ...file,
          ticketId: comment.ticketId,
          commentId: row.id,
          createdAt: comment.at,
        })),
      )
      .onConflictDoNothing();
  }
  return row.id;
}

export async function findCommentBySlack(db: Queryable, channel: string, ts: string) {
  const [row] = await db
    .select()
    .from(comments)
    .where(and(eq(comments.slackChannelId, channel), eq(comments.slackTs, ts)));
  return row;
}

/** A short excerpt for audit events and timelines. */
export const excerpt = (text: string) => truncate(text, 200);
