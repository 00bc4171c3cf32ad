import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, tstz } from './columns.js';
import { tickets } from './tickets.js';

/**
 * Messages to Slack, written in the same transaction as the change they announce and delivered after
 * commit by the outbox relay (src/outbox/relay.ts). A row is claimed with a lease (`locked_until`),
 * so two relays never work on the same row at once. Rows sharing an `ordering_key` (a ticket's card
 * and its thread, a requester's DM thread) are delivered one after the other, in id order.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text().notNull(),
    ticketId: integer('ticket_id').references(() => tickets.id),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    orderingKey: text('ordering_key'),
    /** Optional: enqueuing a key that is already pending is a no-op (a Home tab refresh, say). */
    dedupeKey: text('dedupe_key'),
    attempts: integer().notNull().default(0),
    availableAt: tstz('available_at').notNull().defaultNow(),
    lockedUntil: tstz('locked_until'),
    lockedBy: text('locked_by'),
    /**
     * Set when an attempt ended without knowing whether Slack acted (timeout, 5xx, a relay that died
     * holding the row): the next attempt first looks for the message before posting again.
     */
    mayHavePosted: boolean('may_have_posted').notNull().default(false),
    deliveredAt: tstz('delivered_at'),
    failedAt: tstz('failed_at'),
    lastError: text('last_error'),
    result: jsonb().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (table) => [
    index('outbox_pending')
      .on(table.availableAt, table.id)
      .where(sql`${table.deliveredAt} is null and ${table.failedAt} is null`),
    index('outbox_ordering')
      .on(table.orderingKey, table.id)
      .where(sql`${table.deliveredAt} is null and ${table.failedAt} is null`),
    index('outbox_ticket').on(table.ticketId, table.id),
    // The cleanup job deletes finished rows by age without reading the rest of the table.
    index('outbox_finished')
      .on(sql`coalesce(${table.deliveredAt}, ${table.failedAt})`)
      .where(sql`${table.deliveredAt} is not null or ${table.failedAt} is not null`),
    uniqueIndex('outbox_pending_dedupe')
      .on(table.dedupeKey)
      .where(
        sql`${table.dedupeKey} is not null and ${table.deliveredAt} is null and ${table.failedAt} is null`,
      ),
  ],
);

/** Slack event ids already handled: a redelivered event is acknowledged and ignored. */
export const slackEvents = pgTable(
  'slack_events',
  {
    eventId: text('event_id').primaryKey(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (table) => [index('slack_events_received').on(table.receivedAt)],
);

/** One row per scheduled fire of a job: the first process to insert it runs it. */
export const jobRuns = pgTable(
  'job_runs',
  {
    job: text().notNull(),
    fireAt: tstz('fire_at').notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: tstz('claimed_at').notNull().defaultNow(),
    finishedAt: tstz('finished_at'),
    summary: jsonb().$type<Record<string, unknown>>(),
  },
  (table) => [primaryKey({ columns: [table.job, table.fireAt] })],
);

export type OutboxRow = typeof outbox.$inferSelect;
