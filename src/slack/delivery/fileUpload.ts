import { z } from 'zod';
import type { FileUploadRow } from '../../db/schema/index.js';
import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import { type DeliveryResult, PermanentDeliveryError } from '../../outbox/deliverer.js';
import type { OutboxSignal } from '../../outbox/messages.js';
import { pendingUpload, recordUploaded, type UploadedSlackFile } from '../../tickets/uploads.js';
import { type DeliveryContext, ticketDetails } from './context.js';

/**
 * A file held in the database (a mail's attachment) uploaded with `files.uploadV2` into the ticket's
 * card thread (`file.upload`), then recorded as the ticket's or the comment's attachment. A ticket
 * without a card (its desk has no channel, or the card could not be posted) gets the file uploaded to
 * no channel: Slack keeps it private to the app, and it is recorded all the same.
 *
 * Slack has no idempotency key for uploads, and a file cannot be found by anything Folio chooses
 * except the message that shares it: the upload's initial comment carries the folio and the upload's
 * id, and a retry after an uncertain attempt looks for that comment in the card's thread first.
 * Limits: Slack shares a completed upload asynchronously, so a share still on its way when the retry
 * looks (after the relay's wait of one Web API timeout) is not seen, and the file is shared twice; a
 * file uploaded to no channel cannot be looked for, so an uncertain attempt there may leave a second,
 * private copy that nobody sees.
 */

/**
 * Recording an upload enqueues the card's update due at once; the relay delivering this row takes it
 * in its next batch, so nothing needs waking from inside a delivery.
 */
const NO_KICK: OutboxSignal = { kick: () => {} };

/** What `files.uploadV2` answers: one `files.completeUploadExternal` answer per shared message. */
const uploadAnswer = z.object({
  files: z
    .array(
      z.object({
        files: z
          .array(
            z.object({
              id: z.string().min(1),
              name: z.string().optional(),
              mimetype: z.string().optional(),
              size: z.number().int().nonnegative().optional(),
              permalink: z.string().optional(),
            }),
          )
          .optional(),
      }),
    )
    .min(1),
});

/** The files of a message, as `conversations.replies` shows them. */
const sharedFiles = z.array(
  z.object({ id: z.string().min(1), permalink: z.string().optional(), mimetype: z.string().optional() }),
);

/** The initial comment that shares an upload; `(upload 17)` is what a retry looks for. */
export function uploadComment(folio: string, upload: Pick<FileUploadRow, 'id' | 'commentId'>): string {
  const ticket = `*${escapeMrkdwn(folio)}*`;
  const onWhat = upload.commentId === null ? ticket : `a comment on ${ticket}`;
  return `:paperclip: Attached to ${onWhat} ${uploadMarker(upload.id)}`;
}

const uploadMarker = (uploadId: number) => `(upload ${uploadId})`;

export async function uploadHeldFile(
  ctx: DeliveryContext,
  ticketId: number,
  uploadId: number,
): Promise<DeliveryResult> {
  const upload = await pendingUpload(ctx.db, uploadId);
  if (!upload || upload.ticketId !== ticketId)
    throw new PermanentDeliveryError(`upload ${uploadId} of ticket ${ticketId} does not exist`);
  if (upload.uploadedAt) return { skipped: 'already uploaded', file: upload.slackFileId };
  if (!upload.content) throw new PermanentDeliveryError(`upload ${uploadId} holds no content`);
  const { ticket } = await ticketDetails(ctx, ticketId);
  const thread =
    ticket.cardChannelId && ticket.cardTs ? { channel: ticket.cardChannelId, ts: ticket.cardTs } : undefined;

  if (ctx.delivery.mayHavePosted && thread) {
    const found = await findShared(ctx, thread, upload);
    if (found) {
      ctx.log.info('Upload was already shared by an earlier attempt', {
        outboxId: ctx.delivery.id,
        uploadId,
        file: found.id,
      });
      await recordUploaded(ctx.db, uploadId, found, NO_KICK);
      return { channel: thread.channel, thread_ts: thread.ts, file: found.id, found: true };
    }
  }

  const file = { file: upload.content, filename: upload.name, title: upload.name };
  const initial_comment = uploadComment(ticket.folio, upload);
  const answer = await (thread
    ? ctx.slack.files.uploadV2({ ...file, channel_id: thread.channel, thread_ts: thread.ts, initial_comment })
    : ctx.slack.files.uploadV2(file));
  const [completed] = uploadAnswer.parse(answer).files;
  const uploaded = completed?.files?.[0];
  if (!uploaded) throw new Error('files.uploadV2 answered without the file');
  await recordUploaded(
    ctx.db,
    uploadId,
    {
      id: uploaded.id,
      name: upload.name,
      mimetype: uploaded.mimetype ?? upload.mimetype,
      size: uploaded.size ?? upload.size,
      permalink: uploaded.permalink ?? null,
    },
    NO_KICK,
  );
  return thread
    ? { channel: thread.channel, thread_ts: thread.ts, file: uploaded.id }
    : { file: uploaded.id, private: true };
}

/** The file an earlier attempt shared in the card's thread, found by its initial comment. */
async function findShared(
  ctx: DeliveryContext,
  thread: { channel: string; ts: string },
  upload: FileUploadRow,
): Promise<UploadedSlackFile | undefined> {
  // A little before the row was written, in case clocks differ.
  const oldest = String(Math.floor(ctx.delivery.createdAt.getTime() / 1000) - 60);
  const res = await ctx.slack.conversations.replies({
    channel: thread.channel,
    ts: thread.ts,
    oldest,
    limit: 200,
  });
  const marker = uploadMarker(upload.id);
  for (const message of res.messages ?? []) {
    if (!message.text?.includes(marker)) continue;
    const files = sharedFiles.safeParse(message.files);
    const [file] = files.success ? files.data : [];
    if (file)
      return {
        id: file.id,
        name: upload.name,
        mimetype: file.mimetype ?? upload.mimetype,
        size: upload.size,
        permalink: file.permalink ?? null,
      };
  }
  return undefined;
}
