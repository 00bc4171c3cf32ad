import { randomUUID } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { Queryable } from '../db/client.js';
import { type MessageDraftRow, messageDrafts, type TicketRow, tickets } from '../db/schema/index.js';
import { type FileRef, normalizeFileNames } from '../domain/files.js';
import { normalizeText } from '../domain/text.js';
import { truncate } from '../lib/mrkdwn.js';
import { DESCRIPTION_INPUT_MAX_LENGTH, MAX_ATTACHMENTS } from './limits.js';

/**
 * A Slack message being turned into a ticket, kept between the shortcut and the modal's submission
 * (see the message_drafts table). Drafts live a day.
 */

export const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface NewDraft {
  channelId: string;
  messageTs: string;
  threadTs: string | null;
  authorId: string | null;
  text: string;
  files: FileRef[];
  permalink: string | null;
}

export async function saveDraft(db: Queryable, draft: NewDraft, now: Date): Promise<string> {
  const id = randomUUID();
  await db.insert(messageDrafts).values({
    id,
    ...draft,
    text: normalizeText(draft.text),
    files: normalizeFileNames(draft.files.slice(0, MAX_ATTACHMENTS)),
    createdAt: now,
  });
  return id;
}

export async function findDraft(db: Queryable, id: string, now: Date): Promise<MessageDraftRow | undefined> {
  const [row] = await db.select().from(messageDrafts).where(eq(messageDrafts.id, id));
  return row && now.getTime() - row.createdAt.getTime() <= DRAFT_LIFETIME_MS ? row : undefined;
}

export async function deleteDraft(db: Queryable, id: string): Promise<void> {
  await db.delete(messageDrafts).where(eq(messageDrafts.id, id));
}

/** Removes drafts older than their lifetime (run by the cleanup job). */
export async function deleteExpiredDrafts(db: Queryable, now: Date): Promise<number> {
  const rows = await db
    .delete(messageDrafts)
    .where(lt(messageDrafts.createdAt, new Date(now.getTime() - DRAFT_LIFETIME_MS)))
    .returning({ id: messageDrafts.id });
  return rows.length;
}

/** The ticket already made from this message, if any. */
export async function ticketFromMessage(
  db: Queryable,
  channelId: string,
  ts: string,
): Promise<TicketRow | undefined> {
  const [row] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.sourceChannelId, channelId), eq(tickets.sourceMessageTs, ts)));
  return row;
}

/**
 * A ticket's own fields from the create form; made from a message, its whole text and its files come
 * from the draft. The modal shows at most DESCRIPTION_INPUT_MAX_LENGTH characters of the message:
 * left as shown, the description is the whole message.
 */
export function ticketFields<F extends { description: string; files: FileRef[] }>(
  form: F,
  draft: MessageDraftRow | undefined,
) {
  if (!draft) return { ...form, attachments: form.files, sourceMessage: null };
  const shown = truncate(draft.text, DESCRIPTION_INPUT_MAX_LENGTH).trim();
  const description = normalizeText(form.description).trim() === shown ? draft.text : form.description;
  const seen = new Set<string>();
  const attachments = [...draft.files, ...form.files].filter(
    (file) => !seen.has(file.slackFileId) && seen.add(file.slackFileId),
  );
  return {
    ...form,
    description,
    attachments,
    sourceMessage: {
      channelId: draft.channelId,
      ts: draft.messageTs,
      threadTs: draft.threadTs,
      permalink: draft.permalink,
    },
  };
}
