import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments, fileUploads, outbox } from '../../src/db/schema/index.js';
import { transaction } from '../../src/db/tx.js';
import { enqueue } from '../../src/outbox/messages.js';
import { holdUpload } from '../../src/tickets/uploads.js';
import { deskFlows } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

/**
 * A file that came by mail, held in the database, uploaded by the outbox relay into the ticket's card
 * thread with files.uploadV2 and recorded as the ticket's attachment: through the real app, the real
 * relay and the real Web API client against the fake Slack.
 */

const REQUESTER = 'U_REQ_RITA';
const DESK = 'C_IT_DESK';
/** Bytes no text encoding would keep as they are. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x0a])]);

const t = useTestFolio();
const { db, settle, ticket, card, openTicket } = deskFlows(t, { desk: DESK, requester: REQUESTER });

/** What the mail intake does in its transaction: hold the file, enqueue its upload. */
async function fileFromMail(ticketId: number, name = 'invoice.pdf', content = PDF): Promise<number> {
  return transaction(db(), async (tx, afterCommit) => {
    const uploadId = await holdUpload(tx, {
      ticketId,
      commentId: null,
      name,
      mimetype: 'application/pdf',
      content,
    });
    await enqueue(tx, afterCommit, t.folio.relay, [{ kind: 'file.upload', ticketId, uploadId }]);
    return uploadId;
  });
}

const upload = async (id: number) => {
  const [row] = await db().select().from(fileUploads).where(eq(fileUploads.id, id));
  return row;
};
const ticketFiles = (ticketId: number) =>
  db().select().from(attachments).where(eq(attachments.ticketId, ticketId)).orderBy(asc(attachments.id));
const uploadRows = () => db().select().from(outbox).where(eq(outbox.kind, 'file.upload'));

/** Makes the upload's next attempt due now, as if the wait after a failed one had passed. */
const uploadDue = () =>
  db()
    .update(outbox)
    .set({ availableAt: new Date(Date.now() - 1000) })
    .where(eq(outbox.kind, 'file.upload'));

describe('file.upload', () => {
  it('uploads the held bytes into the card’s thread, records the attachment and drops the bytes', async () => {
    const folio = await openTicket('Invoice will not print');
    const { id: ticketId } = await ticket(folio);
    const uploadId = await fileFromMail(ticketId);
    await settle();

    const theCard = card(folio);
    expect(t.fake.uploads).toHaveLength(1);
    const [sent] = t.fake.uploads;
    expect(sent).toMatchObject({
      name: 'invoice.pdf',
      bytes: PDF.length,
      channel: DESK,
      threadTs: theCard.ts,
    });
    expect(sent?.content.equals(PDF)).toBe(true);
    expect(sent?.initialComment).toBe(`:paperclip: Attached to *${folio}* (upload ${uploadId})`);

    expect(await ticketFiles(ticketId)).toEqual([
      expect.objectContaining({
        commentId: null,
        slackFileId: sent?.fileId,
        name: 'invoice.pdf',
        mimetype: 'application/pdf',
        size: PDF.length,
        permalink: expect.stringContaining(String(sent?.fileId)),
      }),
    ]);
    expect(await upload(uploadId)).toMatchObject({
      content: null,
      slackFileId: sent?.fileId,
      uploadedAt: expect.any(Date),
    });
    // The card lists the ticket's files: it was updated with the new one.
    expect(JSON.stringify(theCard.blocks)).toContain('invoice.pdf');
  });

  it('retries after a 500 on completeUploadExternal and uploads once', async () => {
    const folio = await openTicket('Scanner jams');
    const { id: ticketId } = await ticket(folio);
    t.fake.fail('files.completeUploadExternal', { kind: 'server_error' });
    const uploadId = await fileFromMail(ticketId);
    await settle();
    expect(t.fake.uploads).toHaveLength(0);
    const [failed] = await uploadRows();
    expect(failed).toMatchObject({ deliveredAt: null, failedAt: null, mayHavePosted: true });
    expect((await upload(uploadId))?.content?.equals(PDF)).toBe(true);

    await uploadDue();
    await settle();
    expect(t.fake.uploads).toHaveLength(1);
    expect(t.fake.callsTo('files.completeUploadExternal')).toHaveLength(2);
    // Slack might have shared it before the 500: the retry looked in the thread first.
    expect(t.fake.callsTo('conversations.replies')).toHaveLength(1);
    const [row] = await uploadRows();
    expect(row).toMatchObject({ attempts: 2, deliveredAt: expect.any(Date) });
    expect(await ticketFiles(ticketId)).toHaveLength(1);
  });

  it('does not share twice when Slack shared the file but its answer came too late', async () => {
    const folio = await openTicket('Plotter offline');
    const { id: ticketId } = await ticket(folio);
    // Slack completes the upload at once and answers after the app's 1 s Web API timeout.
    t.fake.fail('files.completeUploadExternal', { kind: 'slow', delayMs: 1500 });
    const uploadId = await fileFromMail(ticketId);
    await settle();
    expect(t.fake.uploads).toHaveLength(1);
    const [failed] = await uploadRows();
    expect(failed).toMatchObject({ deliveredAt: null, mayHavePosted: true });

    await uploadDue();
    await settle();
    expect(t.fake.uploads).toHaveLength(1);
    expect(t.fake.callsTo('files.getUploadURLExternal')).toHaveLength(1);
    expect(await ticketFiles(ticketId)).toEqual([
      expect.objectContaining({ slackFileId: t.fake.uploads[0]?.fileId, name: 'invoice.pdf' }),
    ]);
    expect(await upload(uploadId)).toMatchObject({ content: null, slackFileId: t.fake.uploads[0]?.fileId });
  });

  it('uploads one file once, however often its upload is enqueued', async () => {
    const folio = await openTicket('Badge reader');
    const { id: ticketId } = await ticket(folio);
    const uploadId = await fileFromMail(ticketId);
    await transaction(db(), (tx, afterCommit) =>
      enqueue(tx, afterCommit, t.folio.relay, [{ kind: 'file.upload', ticketId, uploadId }]),
    );
    await settle();
    expect(t.fake.uploads).toHaveLength(1);
    const results = (await uploadRows()).map((row) => row.result);
    expect(results).toContainEqual({ skipped: 'already uploaded', file: t.fake.uploads[0]?.fileId });
    expect(await ticketFiles(ticketId)).toHaveLength(1);
  });

  it('uploads to no channel when the ticket has no card, and records the file all the same', async () => {
    // The desk channel refuses the card: the ticket has none to thread the file under.
    t.fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'channel_not_found' },
      { when: (a) => a.channel === DESK },
    );
    const folio = await openTicket('Monitor flickers');
    const { id: ticketId } = await ticket(folio);
    await fileFromMail(ticketId, 'photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await settle();

    expect(t.fake.uploads).toEqual([
      expect.objectContaining({ name: 'photo.png', bytes: 4, channel: undefined, threadTs: undefined }),
    ]);
    expect(t.fake.messagesIn(DESK)).toHaveLength(0);
    expect(await ticketFiles(ticketId)).toEqual([expect.objectContaining({ name: 'photo.png', size: 4 })]);
  });
});
