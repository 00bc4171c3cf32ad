import { and, eq } from 'drizzle-orm';
import type { Queryable, Tx } from '../../db/client.js';
import { attachments, comments, type Visibility } from '../../db/schema/index.js';
import { type FileRef, normalizeFileNames } from '../../domain/files.js';
import { truncate } from '../../lib/mrkdwn.js';
import { MAX_ATTACHMENTS } from '../limits.js';

export interface NewComment {
  ticketId: number;
  authorId: string;
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
export async function insertComment(tx: Tx, c: NewComment): Promise<number | undefined> {
  const [row] = await tx
    .insert(comments)
    .values({
      ticketId: c.ticketId,
      authorId: c.authorId,
      body: c.body,
      visibility: c.visibility,
      slackChannelId: c.slack?.channel ?? null,
      slackTs: c.slack?.ts ?? null,
      createdAt: c.at,
    })
    .onConflictDoNothing({ target: [comments.slackChannelId, comments.slackTs] })
    .returning({ id: comments.id });
  if (!row) return undefined;
  const files = normalizeFileNames((c.files ?? []).slice(0, MAX_ATTACHMENTS));
  if (files.length > 0) {
    await tx
      .insert(attachments)
      .values(files.map((f) => ({ ...f, ticketId: c.ticketId, commentId: row.id, createdAt: c.at })))
      .onConflictDoNothing();
  }
  return row.id;
}

export async function findCommentBySlack(q: Queryable, channel: string, ts: string) {
  const [row] = await q
    .select()
    .from(comments)
    .where(and(eq(comments.slackChannelId, channel), eq(comments.slackTs, ts)));
  return row;
}

/** A short excerpt for audit events and timelines. */
export const excerpt = (text: string) => truncate(text, 200);
