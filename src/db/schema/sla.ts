import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, sqlList, tstz, updatedAt } from './columns.js';
import { tickets } from './tickets.js';

export const SLA_KINDS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaKind = (typeof SLA_KINDS)[number];

/**
 * One clock per ticket and kind. A running clock has `due_at`; a paused one (Waiting on requester)
 * has `due_at` null and keeps the business time left in `remaining_seconds`; a met one has `met_at`.
 * `deadline_version` changes whenever the deadline moves, which re-arms the reminders.
 * `next_alert_at` is when the SLA sweep next has something to say about this clock (the next
 * reminder or the breach); the sweep reads only rows whose `next_alert_at` has come.
 */
export const slaTimers = pgTable(
  'sla_timers',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    kind: text({ enum: SLA_KINDS }).notNull(),
    targetMinutes: integer('target_minutes').notNull(),
    startedAt: tstz('started_at').notNull(),
    dueAt: tstz('due_at'),
    pausedAt: tstz('paused_at'),
    remainingSeconds: bigint('remaining_seconds', { mode: 'number' }),
    metAt: tstz('met_at'),
    breachedAt: tstz('breached_at'),
    nextAlertAt: tstz('next_alert_at'),
    deadlineVersion: integer('deadline_version').notNull().default(1),
    /** How many reminder thresholds have been sent for the current deadline version. */
    remindersSent: integer('reminders_sent').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    check('sla_timers_kind', sql.raw(`kind in (${sqlList(SLA_KINDS)})`)),
    unique('sla_timers_ticket_kind').on(table.ticketId, table.kind),
    // The SLA sweep reads only clocks with something due, by when.
    index('sla_timers_next_alert').on(table.nextAlertAt).where(sql`${table.nextAlertAt} is not null`),
    // Statistics: clocks settled (met, breached, or past due) in a window.
    index('sla_timers_settled').on(sql`least(${table.metAt}, ${table.breachedAt}, ${table.dueAt})`),
  ],
);

export type SlaTimerRow = typeof slaTimers.$inferSelect;
