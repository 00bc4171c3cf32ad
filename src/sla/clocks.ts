import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { type SlaKind, type SlaTimerRow, slaTimers, type TicketRow } from '../db/schema/index.js';
import type { Desk } from '../desks/directory.js';
import type { Priority } from '../domain/priority.js';
import { isActive } from '../domain/status.js';
import { type BusinessCalendar, businessSecondsBetween, deskCalendar } from './calendar.js';
import { clockState, type SlaClock } from './slaClock.js';
import { meetTimer, pauseTimer, resumeTimer, retarget, startTimer } from './timer.js';

/**
 * Keeps a ticket's SLA clocks (sla_timers) in step with the ticket, inside the transaction that
 * changes it (docs/design.md "SLA"):
 * - a new ticket starts its first-response and resolution clocks from its desk's targets;
 * - Waiting on requester pauses every running clock, leaving it resumes them;
 * - the first public reply meets the first-response clock; resolving or closing meets every clock,
 *   and reopening resumes the resolution clock with the business time it had left;
 * - a priority change retargets the clocks from the business time already used;
 * - with a next-response target, each message from the requester starts (or restarts) a clock that
 *   the desk's next public reply meets.
 */

export interface ChangeEvent {
  type: string;
}

const FIELDS = [
  'targetMinutes',
  'startedAt',
  'dueAt',
  'pausedAt',
  'remainingSeconds',
  'metAt',
  'breachedAt',
  'nextAlertAt',
  'deadlineVersion',
  'remindersSent',
] as const satisfies readonly (keyof SlaClock)[];

const clockOf = (row: SlaTimerRow): SlaClock => ({
  targetMinutes: row.targetMinutes,
  startedAt: row.startedAt,
  dueAt: row.dueAt,
  pausedAt: row.pausedAt,
  remainingSeconds: row.remainingSeconds,
  metAt: row.metAt,
  breachedAt: row.breachedAt,
  nextAlertAt: row.nextAlertAt,
  deadlineVersion: row.deadlineVersion,
  remindersSent: row.remindersSent,
});

function targetOf(desk: Desk, priority: Priority, kind: SlaKind): number | undefined {
  const targets = desk.sla[priority];
  switch (kind) {
    case 'first_response':
      return targets.firstResponse;
    case 'next_response':
      return targets.nextResponse;
    case 'resolution':
      return targets.resolution;
  }
}

/** The clocks of a ticket just created. */
export async function startClocks(tx: Tx, ticket: TicketRow, desk: Desk, now: Date): Promise<void> {
  const cal = deskCalendar(desk);
  const rows = (['first_response', 'resolution'] as const).flatMap((kind) => {
    const target = targetOf(desk, ticket.priority, kind);
    return target
      ? [
          {
            ticketId: ticket.id,
            kind,
            ...startTimer(cal, now, target, desk.reminders),
            createdAt: now,
            updatedAt: now,
          },
        ]
      : [];
  });
  if (rows.length > 0) await tx.insert(slaTimers).values(rows);
}

export async function followTicket(
  tx: Tx,
  before: TicketRow,
  after: TicketRow,
  desk: Desk,
  now: Date,
  events: readonly ChangeEvent[],
): Promise<void> {
  const rows = await tx.select().from(slaTimers).where(eq(slaTimers.ticketId, after.id)).for('update');
  const cal = deskCalendar(desk);
  const thresholds = desk.reminders;
  const byKind = new Map(rows.map((row) => [row.kind, { row, clock: clockOf(row) }]));
  const eventTypes = new Set(events.map((event) => event.type));
  const closedNow = !isActive(after.status) && isActive(before.status);
  const reopened = !isActive(before.status) && isActive(after.status);

  for (const [kind, entry] of byKind) {
    let clock = entry.clock;
    if (kind === 'first_response' && !before.firstRespondedAt && after.firstRespondedAt)
      clock = meetTimer(clock, now);
    if (kind === 'next_response' && eventTypes.has('ticket.replied')) clock = meetTimer(clock, now);
    if (closedNow) clock = meetTimer(clock, now);
    if (reopened && kind === 'resolution') clock = resumeMet(cal, clock, now, thresholds);
    if (after.status === 'waiting' && before.status !== 'waiting') clock = pauseTimer(cal, clock, now);
    if (before.status === 'waiting' && after.status !== 'waiting' && isActive(after.status))
      clock = resumeTimer(cal, clock, now, thresholds);
    if (before.priority !== after.priority) {
      const target = targetOf(desk, after.priority, kind);
      if (target) clock = retarget(cal, clock, now, target, thresholds);
    }
    entry.clock = clock;
  }

  // The requester wrote: the desk owes a next response, when the desk has such a target.
  const requesterWrote = eventTypes.has('ticket.requester_commented') || eventTypes.has('ticket.reopened');
  const nextTarget = targetOf(desk, after.priority, 'next_response');
  if (requesterWrote && nextTarget && isActive(after.status)) {
    const fresh = startTimer(cal, now, nextTarget, thresholds);
    const existing = byKind.get('next_response');
    const clock = after.status === 'waiting' ? pauseTimer(cal, fresh, now) : fresh;
    if (existing) {
      // Restarting keeps the deadline history moving forward, so its reminders re-arm.
      existing.clock = { ...clock, deadlineVersion: existing.clock.deadlineVersion + 1 };
    } else {
      await tx
        .insert(slaTimers)
        .values({ ticketId: after.id, kind: 'next_response', ...clock, createdAt: now, updatedAt: now });
    }
  }

  for (const { row, clock } of byKind.values()) {
    if (FIELDS.every((field) => sameValue(row[field], clock[field]))) continue;
    await tx
      .update(slaTimers)
      .set({ ...clock, updatedAt: now })
      .where(eq(slaTimers.id, row.id));
  }
}

/** A met clock running again (a reopened ticket): it resumes with the business time it had left. */
function resumeMet(
  cal: BusinessCalendar,
  clock: SlaClock,
  now: Date,
  thresholds: Desk['reminders'],
): SlaClock {
  if (clockState(clock) !== 'met' || !clock.metAt) return clock;
  const remaining = clock.dueAt
    ? businessSecondsBetween(cal, clock.metAt, clock.dueAt)
    : (clock.remainingSeconds ?? 0);
  const paused: SlaClock = {
    ...clock,
    metAt: null,
    dueAt: null,
    pausedAt: clock.metAt,
    remainingSeconds: remaining,
    nextAlertAt: null,
  };
  return resumeTimer(cal, paused, now, thresholds);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
