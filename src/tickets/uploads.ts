import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db/client.js';
import { attachments, type FileUploadRow, fileUploads } from '../db/schema/index.js';
import { transaction } from '../db/tx.js';
import { normalizeText } from '../domain/text.js';
import { enqueue, type OutboxSignal } from '../outbox/messages.js';

/**
 * Files that reach a ticket from outside Slack (a mail's attachments): held in the database, in the
 * transaction that makes the ticket or comment, until the relay has uploaded them to the card's thread
 * (`file.upload`); then they are the ticket's or the comment's attachments like any Slack file, and
 * their bytes are dropped.
 */

/** A file name as kept on an attachment (the create modal's limit too). */
export const UPLOAD_NAME_MAX_LENGTH = 255;

/** What a channel hands over to be uploaded. */
export interface FileToHold {
  ticketId: number;
  /** The comment the file came with; null for the ticket's own files. */
  commentId: number | null;
  name: string;
  mimetype: string | null;
  content: Buffer;
}

/**
 * Holds a file's bytes for upload; returns the upload's id, for the `file.upload` message the caller
 * enqueues in the same transaction.
 */
export async function holdUpload(tx: Queryable, file: FileToHold): Promise<number> {
  const [row] = await tx
    .insert(fileUploads)
    .values({
      ticketId: file.ticketId,
      commentId: file.commentId,
      name: uploadName(file.name),
      mimetype: file.mimetype,
      size: file.content.length,
      content: file.content,
    })
    .returning({ id: fileUploads.id });
  if (!row) throw new Error('insert into file_uploads returned no row');
  return row.id;
}

/** An upload as the relay delivers it: its bytes until uploaded, its Slack file once it is. */
export async function pendingUpload(db: Queryable, uploadId: number): Promise<FileUploadRow | undefined> {
  const [row] = await db.select().from(fileUploads).where(eq(fileUploads.id, uploadId));
  return row;
}

/** The file as Slack answered the upload. */
export interface UploadedSlackFile {
  id: string;
  name: string;
  mimetype: string | null;
  size: number | null;
  permalink: string | null;
}

/**
 * The upload reached Slack: in one transaction the file becomes an attachment of its ticket or
 * comment, the held bytes are dropped, and a ticket's own file is announced on its card (which lists
 * the ticket's files). Recording the same upload again changes nothing.
 */
export async function recordUploaded(
  db: Db,
  uploadId: number,
  slackFile: UploadedSlackFile,
  outbox: OutboxSignal,
): Promise<void> {
  await transaction(db, async (tx, afterCommit) => {
    const [upload] = await tx
      .update(fileUploads)
      .set({ content: null, slackFileId: slackFile.id, uploadedAt: sql`now()` })
      .where(and(eq(fileUploads.id, uploadId), isNull(fileUploads.uploadedAt)))
      .returning({ ticketId: fileUploads.ticketId, commentId: fileUploads.commentId });
    if (!upload) return;
    await tx
      .insert(attachments)
      .values({
        ticketId: upload.ticketId,
        commentId: upload.commentId,
        slackFileId: slackFile.id,
        name: uploadName(slackFile.name),
        mimetype: slackFile.mimetype,
        size: slackFile.size,
        permalink: slackFile.permalink,
      })
      .onConflictDoNothing();
    if (upload.commentId === null) {
      await enqueue(tx, afterCommit, outbox, [{ kind: 'card.update', ticketId: upload.ticketId }]);
    }
  });
}

function uploadName(name: string): string {
  const kept = normalizeText(name).trim();
  if (kept === '') return 'attachment';
  const characters = Array.from(kept);
  return characters.length <= UPLOAD_NAME_MAX_LENGTH
    ? kept
    : characters.slice(0, UPLOAD_NAME_MAX_LENGTH).join('');
}
