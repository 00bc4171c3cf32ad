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
    authorId: text('author_id').notNull(),
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
  (t) => [
    check('comments_visibility', sql.raw(`visibility in (${sqlList(VISIBILITIES)})`)),
    // One comment per Slack message, whatever Slack redelivers.
    unique('comments_slack_message').on(t.slackChannelId, t.slackTs),
    unique('comments_mirror_message').on(t.mirrorChannelId, t.mirrorTs),
    index('comments_ticket').on(t.ticketId, t.createdAt),
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
  (t) => [
    unique('attachments_file').on(t.ticketId, t.commentId, t.slackFileId).nullsNotDistinct(),
    index('attachments_comment').on(t.commentId),
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
  (t) => [
    check('links_kind', sql.raw(`kind in (${sqlList(LINK_KINDS)})`)),
    check('links_target', sql`(${t.url} is not null) <> (${t.linkedTicketId} is not null)`),
    unique('links_url').on(t.ticketId, t.url),
    unique('links_ticket').on(t.ticketId, t.linkedTicketId),
  ],
);

export type CommentRow = typeof comments.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type LinkRow = typeof links.$inferSelect;
