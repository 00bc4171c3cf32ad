import type { ReminderThreshold } from '../desks/model.js';
import { assertNever } from '../lib/assertNever.js';
import { type BusinessCalendar, subtractBusinessSeconds } from './calendar.js';
import type { SlaClock } from './slaClock.js';

/**
 * What the SLA sweep has to say about a clock, pure: reminders before a breach, then the breach.
 *
 * Rules chosen
 * - A threshold's instant is measured back from the due in business time: `elapsed_percent` p at
 *   (1 − p/100) × target before the due (rounded to the second), `minutes_before` m at m minutes before
 *   it. Thresholds falling before the clock's start or at/after the due are dropped; thresholds with
 *   the same instant count once (the first one listed is reported). `index` is the position in the
 *   desk's list.
 * - `remindersSent` is how many of these instants, in time order, are handled for the current deadline
 *   version. When several have passed (the sweep was down), only the nearest is sent and all of them
 *   are counted as handled: one reminder, not a burst. A moved deadline (resume, retarget) starts a
 *   new version with remindersSent 0, so the reminders fire again for it — each once per version.
 * - The breach wins over reminders: once the due has come, the only alert is the breach, once. A
 *   breached, paused or met clock has no further alerts (`nextAlertAt` null).
 */

export interface ReminderInstant {
  /** Position of the threshold in the desk's list. */
  index: number;
  at: Date;
}

export type SlaAlert =
  | { kind: 'breach' }
  | {
      kind: 'reminder';
      index: number;
      threshold: ReminderThreshold;
      at: Date;
      /** The new value of the clock's remindersSent once this reminder is sent. */
      remindersSent: number;
    };

function secondsBeforeDue(clock: SlaClock, threshold: ReminderThreshold): number {
  switch (threshold.kind) {
    case 'elapsed_percent':
      return Math.round((clock.targetMinutes * 60 * (100 - threshold.value)) / 100);
    case 'minutes_before':
      return threshold.value * 60;
    default:
      return assertNever(threshold, 'reminder threshold');
  }
}

/** The reminder instants of the clock's current deadline, in time order (none unless running). */
export function reminderInstants(
  cal: BusinessCalendar,
  clock: SlaClock,
  thresholds: readonly ReminderThreshold[],
): ReminderInstant[] {
  const due = clock.dueAt;
  if (!due || clock.metAt) return [];
  const start = clock.startedAt.getTime();
  const byInstant = new Map<number, ReminderInstant>();
  thresholds.forEach((threshold, index) => {
    const before = secondsBeforeDue(clock, threshold);
    if (before <= 0) return;
    const at = subtractBusinessSeconds(cal, due, before);
    const ms = at.getTime();
    if (ms < start || ms >= due.getTime() || byInstant.has(ms)) return;
    byInstant.set(ms, { index, at });
  });
  return [...byInstant.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** What the sweep should send now for this clock, if anything. */
export function dueAlert(
  cal: BusinessCalendar,
  clock: SlaClock,
  thresholds: readonly ReminderThreshold[],
  now: Date,
): SlaAlert | null {
  if (!clock.dueAt || clock.metAt || clock.breachedAt) return null;
  if (now.getTime() >= clock.dueAt.getTime()) return { kind: 'breach' };
  const instants = reminderInstants(cal, clock, thresholds);
  const passed = instants.filter((reminder) => reminder.at.getTime() <= now.getTime()).length;
  if (passed <= clock.remindersSent) return null;
  const nearest = instants[passed - 1];
  const threshold = nearest ? thresholds[nearest.index] : undefined;
  if (!nearest || !threshold) return null;
  return { kind: 'reminder', index: nearest.index, threshold, at: nearest.at, remindersSent: passed };
}

/** When the sweep must next look at this clock: its next unsent reminder, else its due. */
export function nextAlertAt(
  cal: BusinessCalendar,
  clock: SlaClock,
  thresholds: readonly ReminderThreshold[],
): Date | null {
  if (!clock.dueAt || clock.metAt || clock.breachedAt) return null;
  const next = reminderInstants(cal, clock, thresholds)[clock.remindersSent];
  return next ? next.at : clock.dueAt;
}

/** The clock once `alert` has been sent at `now`: the breach recorded, or the reminders counted. */
export function recordAlert(
  cal: BusinessCalendar,
  clock: SlaClock,
  thresholds: readonly ReminderThreshold[],
  alert: SlaAlert,
  now: Date,
): SlaClock {
  switch (alert.kind) {
    case 'breach':
      return { ...clock, breachedAt: new Date(now.getTime()), nextAlertAt: null };
    case 'reminder': {
      const counted = { ...clock, remindersSent: Math.max(clock.remindersSent, alert.remindersSent) };
      return { ...counted, nextAlertAt: nextAlertAt(cal, counted, thresholds) };
    }
    default:
      return assertNever(alert, 'SLA alert');
  }
}
