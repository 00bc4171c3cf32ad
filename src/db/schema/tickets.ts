import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { FileRef } from '../../domain/files.js';
import { PRIORITIES } from '../../domain/priority.js';
import { STATUSES } from '../../domain/status.js';
import { createdAt, sqlList, tstz, updatedAt } from './columns.js';
import { categories, desks } from './desks.js';

export const TICKET_SOURCES = [
  'slash_command',
  'message_shortcut',
  'global_shortcut',
  'api',
  'email',
] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

export const SENDER_CHECKS = ['pass', 'fail'] as const;
export type SenderCheck = (typeof SENDER_CHECKS)[number];

/** One counter row per folio prefix, incremented inside the creating transaction. */
export const folioCounters = pgTable('folio_counters', {
  prefix: text().primaryKey(),
  lastNumber: integer('last_number').notNull(),
});

/**
 * Full-text search: `search_vector` columns on tickets and comments (with GIN indexes) are created by
 * the hand-written migration drizzle/0002_search.sql, not declared here, so that ordinary selects do
 * not fetch them; src/tickets/search.ts queries them.
 */
export const tickets = pgTable(
  'tickets',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    folio: text().notNull().unique(),
    subject: text().notNull(),
    description: text().notNull().default(''),
    deskKey: text('desk_key')
      .notNull()
      .references(() => desks.key),
    categoryId: integer('category_id').references(() => categories.id),
    priority: text({ enum: PRIORITIES }).notNull(),
    status: text({ enum: STATUSES }).notNull().default('open'),
    /** The requester, a Slack member; null for an external requester (known by address only). */
    requesterId: text('requester_id'),
    /**
     * The requester's mail address and name: set for a ticket that came by mail (a member's too), and
     * the only identity of an external requester, who hears everything by mail.
     */
    requesterEmail: text('requester_email'),
    requesterName: text('requester_name'),
    /**
     * What the mail channel made of the sender (MAIL_VERIFY_SENDER): 'pass' when SPF/DKIM/DMARC
     * vouch for the address, 'fail' when they do not (the card flags it), null when not checked.
     */
    senderCheck: text('sender_check', { enum: SENDER_CHECKS }),
    assigneeId: text('assignee_id'),
    createdBy: text('created_by').notNull(),
    source: text({ enum: TICKET_SOURCES }).notNull(),
    /** The Slack message a ticket was made from (message shortcut). */
    sourceChannelId: text('source_channel_id'),
    sourceMessageTs: text('source_message_ts'),
    sourcePermalink: text('source_permalink'),
    /** The card in the desk channel, recorded by the outbox relay once posted. */
    cardChannelId: text('card_channel_id'),
    cardTs: text('card_ts'),
    /** The requester's DM thread with the app (the confirmation message is its root). */
    requesterChannelId: text('requester_channel_id'),
    requesterThreadTs: text('requester_thread_ts'),
    snoozedUntil: tstz('snoozed_until'),
    snoozeReason: text('snooze_reason'),
    resolutionNote: text('resolution_note'),
    /** Bumped by every change; a modal carries the version it was opened on (optimistic concurrency). */
    version: integer().notNull().default(1),
    /** Slack view id of the submission that created the ticket: a second submission finds the first. */
    idempotencyKey: text('idempotency_key').unique(),
    firstRespondedAt: tstz('first_responded_at'),
    resolvedAt: tstz('resolved_at'),
    closedAt: tstz('closed_at'),
    lastActivityAt: tstz('last_activity_at').notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    check('tickets_status', sql.raw(`status in (${sqlList(STATUSES)})`)),
    check('tickets_priority', sql.raw(`priority in (${sqlList(PRIORITIES)})`)),
    check('tickets_source', sql.raw(`source in (${sqlList(TICKET_SOURCES)})`)),
    check('tickets_sender_check', sql.raw(`sender_check in (${sqlList(SENDER_CHECKS)})`)),
    check('tickets_requester', sql`${table.requesterId} is not null or ${table.requesterEmail} is not null`),
    // One ticket per Slack message, whoever turns it into a ticket and however often.
    uniqueIndex('tickets_source_message')
      .on(table.sourceChannelId, table.sourceMessageTs)
      .where(sql`${table.sourceMessageTs} is not null`),
    uniqueIndex('tickets_card').on(table.cardChannelId, table.cardTs).where(sql`${table.cardTs} is not null`),
    index('tickets_requester_thread')
      .on(table.requesterChannelId, table.requesterThreadTs)
      .where(sql`${table.requesterThreadTs} is not null`),
    index('tickets_desk_status').on(table.deskKey, table.status, table.createdAt),
    index('tickets_assignee_status')
      .on(table.assigneeId, table.status)
      .where(sql`${table.assigneeId} is not null`),
    index('tickets_requester').on(table.requesterId, table.createdAt),
    // Statistics: tickets of a desk created, or resolved, in a window.
    index('tickets_desk_created').on(table.deskKey, table.createdAt),
    index('tickets_desk_resolved')
      .on(table.deskKey, table.resolvedAt)
      .where(sql`${table.resolvedAt} is not null`),
    // Sweeps read only what is due: snoozed tickets, and resolved ones waiting for auto-close.
    index('tickets_snoozed_until').on(table.snoozedUntil).where(sql`${table.snoozedUntil} is not null`),
    index('tickets_resolved_at').on(table.resolvedAt).where(sql`${table.status} = 'resolved'`),
    // Operators' metrics count tickets by status without reading the closed history.
    index('tickets_not_closed').on(table.status).where(sql`${table.status} <> 'closed'`),
  ],
);

export type TicketRow = typeof tickets.$inferSelect;
export type NewTicketRow = typeof tickets.$inferInsert;

/**
 * A ticket made from a Slack message keeps the message here between the shortcut and the submission
 * of its modal: the whole text (a modal input holds 3000 characters, a message 40,000) and its files
 * (more than private_metadata can carry). Rows older than a day are deleted by the cleanup job.
 */
export const messageDrafts = pgTable('message_drafts', {
  id: text().primaryKey(),
  channelId: text('channel_id').notNull(),
  messageTs: text('message_ts').notNull(),
  threadTs: text('thread_ts'),
  authorId: text('author_id'),
  text: text().notNull(),
  files: jsonb().$type<FileRef[]>().notNull().default([]),
  permalink: text(),
  createdAt: createdAt(),
});

export type MessageDraftRow = typeof messageDrafts.$inferSelect;
