import type { ReminderThreshold } from '../desks/model.js';
import { nextAlertAt } from './alerts.js';
import { addBusinessSeconds, type BusinessCalendar, businessSecondsBetween } from './calendar.js';
import { clockState, type SlaClock } from './slaClock.js';

/**
 * The SLA clock as a pure state machine. `SlaClock` is one `sla_timers` row without its ids and
 * bookkeeping timestamps; every transition takes the time as an argument and returns a new clock.
 *
 *   running ──pause──▶ paused ──resume──▶ running        (Waiting on requester and back)
 *   running | paused ──meet──▶ met                        (first response given / resolved)
 *   running | paused ──retarget──▶ same state             (priority change)
 *
 * Rules chosen
 * - running: `dueAt` set. paused: `dueAt` null, `pausedAt` and `remainingSeconds` set (the business
 *   time left at the pause, negative when already overdue). met: `metAt` set, nothing alerts again.
 * - Transitions that do not apply are no-ops returning the same clock (pausing a paused clock, resuming
 *   a running one, anything on a met one), so a repeated event cannot move a deadline twice.
 * - The deadline moves on resume and on a retarget that changes the target: `deadlineVersion` goes up
 *   and `remindersSent` back to 0, which re-arms the reminders for the new deadline (a reminder whose
 *   instant has already passed is then due at once — only the nearest one, see alerts.ts).
 * - Retarget keeps the business time already used: elapsed = old target − remaining now, new remaining
 *   = new target − elapsed. A running clock gets a new due from now, a paused one a new remaining. A
 *   new remaining ≤ 0 makes the clock due now or in the past: the next sweep reports the breach. The
 *   same target again moves nothing.
 * - A breach is a fact: `breachedAt` is never cleared, not by a pause, a resume or a retarget that
 *   moves the deadline later (downgrading a priority must not hide a broken promise). The clock still
 *   gets its recomputed `dueAt` to show, but no more reminders or breach alerts.
 * - Amounts are whole seconds (business time is measured truncated toward zero). A due is the
 *   remaining time added to `now` in business time (negative: taken back, so an overdue clock stays
 *   overdue by as much); 0 left means due now, even outside hours.
 * - `nextAlertAt` is kept right by every transition, hence the desk's reminder thresholds argument.
 */

function checkTarget(targetMinutes: number): void {
  if (!Number.isInteger(targetMinutes) || targetMinutes <= 0) {
    throw new RangeError(`an SLA target must be a whole number of minutes > 0, not ${targetMinutes}`);
  }
}

function withNextAlert(
  cal: BusinessCalendar,
  clock: SlaClock,
  thresholds: readonly ReminderThreshold[],
): SlaClock {
  return { ...clock, nextAlertAt: nextAlertAt(cal, clock, thresholds) };
}

/** A new running clock: due after `targetMinutes` of business time from `now`. */
export function startTimer(
  cal: BusinessCalendar,
  now: Date,
  targetMinutes: number,
  thresholds: readonly ReminderThreshold[],
): SlaClock {
  checkTarget(targetMinutes);
  const started: SlaClock = {
    targetMinutes,
    startedAt: new Date(now.getTime()),
    dueAt: addBusinessSeconds(cal, now, targetMinutes * 60),
    pausedAt: null,
    remainingSeconds: null,
    metAt: null,
    breachedAt: null,
    nextAlertAt: null,
    deadlineVersion: 1,
    remindersSent: 0,
  };
  return withNextAlert(cal, started, thresholds);
}

/** Waiting on requester: keeps the business time left (negative when overdue) and drops the due. */
export function pauseTimer(cal: BusinessCalendar, clock: SlaClock, now: Date): SlaClock {
  if (clockState(clock) !== 'running' || !clock.dueAt) return clock;
  return {
    ...clock,
    dueAt: null,
    pausedAt: new Date(now.getTime()),
    remainingSeconds: businessSecondsBetween(cal, now, clock.dueAt),
    nextAlertAt: null,
  };
}

/** The requester answered: due after the remaining business time from `now`; reminders re-armed. */
export function resumeTimer(
  cal: BusinessCalendar,
  clock: SlaClock,
  now: Date,
  thresholds: readonly ReminderThreshold[],
): SlaClock {
  if (clockState(clock) !== 'paused') return clock;
  const resumed: SlaClock = {
    ...clock,
    dueAt: addBusinessSeconds(cal, now, clock.remainingSeconds ?? 0),
    pausedAt: null,
    remainingSeconds: null,
    deadlineVersion: clock.deadlineVersion + 1,
    remindersSent: 0,
  };
  return withNextAlert(cal, resumed, thresholds);
}

/** Priority change: the new target minus the business time already used; reminders re-armed. */
export function retarget(
  cal: BusinessCalendar,
  clock: SlaClock,
  now: Date,
  newTargetMinutes: number,
  thresholds: readonly ReminderThreshold[],
): SlaClock {
  checkTarget(newTargetMinutes);
  const state = clockState(clock);
  if (state === 'met' || newTargetMinutes === clock.targetMinutes) return clock;
  const delta = (newTargetMinutes - clock.targetMinutes) * 60;
  const moved = {
    ...clock,
    targetMinutes: newTargetMinutes,
    deadlineVersion: clock.deadlineVersion + 1,
    remindersSent: 0,
  };
  if (state === 'paused' || !clock.dueAt) {
    return { ...moved, remainingSeconds: (clock.remainingSeconds ?? 0) + delta, nextAlertAt: null };
  }
  const remaining = businessSecondsBetween(cal, now, clock.dueAt);
  return withNextAlert(cal, { ...moved, dueAt: addBusinessSeconds(cal, now, remaining + delta) }, thresholds);
}

/**
 * First response given / ticket resolved: the clock stops for good. A running clock keeps its due (met
 * late when metAt > dueAt); a paused one keeps its remaining time (met late when it is negative).
 */
export function meetTimer(clock: SlaClock, now: Date): SlaClock {
  if (clockState(clock) === 'met') return clock;
  return { ...clock, metAt: new Date(now.getTime()), nextAlertAt: null };
}
