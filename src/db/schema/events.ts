import { bigint, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.js';
import { tickets } from './tickets.js';

/**
 * The audit log: every change, by whom (null: the system), what kind, and its details (`from`/`to`
 * where something changed). A ticket's timeline is read from it.
 */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id').references(() => tickets.id),
    /** For configuration changes, which concern a desk and no ticket. */
    deskKey: text('desk_key'),
    actorId: text('actor_id'),
    /** The ticket's version after this change: a stale modal is told what changed since it opened. */
    ticketVersion: integer('ticket_version'),
    type: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (table) => [
    index('ticket_events_ticket').on(table.ticketId, table.id),
    index('ticket_events_desk').on(table.deskKey, table.id),
    // Statistics read events of one type over a period (first responses, resolutions).
    index('ticket_events_type_time').on(table.type, table.createdAt),
  ],
);

export type TicketEventRow = typeof ticketEvents.$inferSelect;
