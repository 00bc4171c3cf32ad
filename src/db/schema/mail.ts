import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, sqlList, tstz } from './columns.js';
import { comments } from './conversation.js';
import { tickets } from './tickets.js';

export const MAIL_DIRECTIONS = ['in', 'out'] as const;
export type MailDirection = (typeof MAIL_DIRECTIONS)[number];

export const MAIL_STATUSES = ['received', 'sent', 'bounced'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Every mail of a ticket's conversation, both ways: what threads Folio's mails (In-Reply-To and
 * References name the earlier ones) and what matches an answer to its ticket. An inbound mail is
 * written in the transaction of the ticket or comment it makes, with its Message-ID, so the same
 * mail delivered again changes nothing; its whole text is kept here (the comment holds the answer
 * without the quoted history). An outbound mail is recorded once the relay has handed it over.
 */
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    commentId: integer('comment_id').references(() => comments.id),
    direction: text({ enum: MAIL_DIRECTIONS }).notNull(),
    /** Without the angle brackets. */
    messageId: text('message_id').notNull(),
    /** The outbox row that sent it (outbound). */
    outboxId: bigint('outbox_id', { mode: 'number' }),
    /** The sender (inbound) or the recipient (outbound). */
    address: text().notNull(),
    subject: text().notNull(),
    /** Inbound: the whole text as received, quotes and signature included. */
    bodyText: text('body_text'),
    /** Inbound: the headers that matter later (From, To, Date, authentication results). */
    headers: jsonb().$type<Record<string, unknown>>(),
    status: text({ enum: MAIL_STATUSES }).notNull(),
    /** Why it bounced, as the bounce said. */
    detail: text(),
    createdAt: createdAt(),
  },
  (table) => [
    check('mail_messages_direction', sql.raw(`direction in (${sqlList(MAIL_DIRECTIONS)})`)),
    check('mail_messages_status', sql.raw(`status in (${sqlList(MAIL_STATUSES)})`)),
    uniqueIndex('mail_messages_message_id').on(table.direction, table.messageId),
    index('mail_messages_ticket').on(table.ticketId, table.id),
  ],
);

export type MailMessageRow = typeof mailMessages.$inferSelect;

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Files that came with a mail (or another channel without Slack files), held here until the relay
 * has uploaded them to the ticket's card thread (`file.upload`): then they become the ticket's or the
 * comment's attachments like any Slack file, and their bytes are dropped.
 */
export const fileUploads = pgTable(
  'file_uploads',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    commentId: integer('comment_id').references(() => comments.id),
    name: text().notNull(),
    mimetype: text(),
    size: bigint({ mode: 'number' }).notNull(),
    /** Null once uploaded. */
    content: bytea(),
    slackFileId: text('slack_file_id'),
    uploadedAt: tstz('uploaded_at'),
    createdAt: createdAt(),
  },
  (table) => [index('file_uploads_ticket').on(table.ticketId)],
);

export type FileUploadRow = typeof fileUploads.$inferSelect;
