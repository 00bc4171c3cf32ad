import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, sqlList, tstz } from './columns.js';
import { tickets } from './tickets.js';

export const VISIBILITIES = ['public', 'internal'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const comments = pgTable(
  'comments',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    /** The Slack member who wrote it; null for an external requester's mail (see authorEmail). */
    authorId: text('author_id'),
    /** The address a comment came from by mail. */
    authorEmail: text('author_email'),
    body: text().notNull(),
    visibility: text({ enum: VISIBILITIES }).notNull(),
    /** The Slack message the comment came from (or was first posted as). */
    slackChannelId: text('slack_channel_id'),
    slackTs: text('slack_ts'),
    /** The copy posted on the other side (desk thread ↔ requester thread). */
    mirrorChannelId: text('mirror_channel_id'),
    mirrorTs: text('mirror_ts'),
    editedAt: tstz('edited_at'),
    deletedAt: tstz('deleted_at'),
    createdAt: createdAt(),
  },
  (table) => [
    check('comments_visibility', sql.raw(`visibility in (${sqlList(VISIBILITIES)})`)),
    check('comments_author', sql`${table.authorId} is not null or ${table.authorEmail} is not null`),
    // One comment per Slack message, whatever Slack redelivers.
    unique('comments_slack_message').on(table.slackChannelId, table.slackTs),
    unique('comments_mirror_message').on(table.mirrorChannelId, table.mirrorTs),
    index('comments_ticket').on(table.ticketId, table.createdAt),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    commentId: integer('comment_id').references(() => comments.id),
    slackFileId: text('slack_file_id').notNull(),
    name: text().notNull(),
    mimetype: text(),
    size: bigint({ mode: 'number' }),
    permalink: text(),
    createdAt: createdAt(),
  },
  (table) => [
    unique('attachments_file').on(table.ticketId, table.commentId, table.slackFileId).nullsNotDistinct(),
    index('attachments_comment').on(table.commentId),
  ],
);

export const LINK_KINDS = ['task', 'ticket'] as const;

export const links = pgTable(
  'links',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    kind: text({ enum: LINK_KINDS }).notNull(),
    title: text(),
    url: text(),
    linkedTicketId: integer('linked_ticket_id').references(() => tickets.id),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    check('links_kind', sql.raw(`kind in (${sqlList(LINK_KINDS)})`)),
    check('links_target', sql`(${table.url} is not null) <> (${table.linkedTicketId} is not null)`),
    unique('links_url').on(table.ticketId, table.url),
    unique('links_ticket').on(table.ticketId, table.linkedTicketId),
  ],
);

export type CommentRow = typeof comments.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type LinkRow = typeof links.$inferSelect;
