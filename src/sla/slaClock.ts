/**
 * An SLA clock's data: one `sla_timers` row without its ids and bookkeeping timestamps, and the state
 * it is in. The transitions are in timer.ts, the reminders and breaches it owes in alerts.ts.
 */

export interface SlaClock {
  targetMinutes: number;
  startedAt: Date;
  dueAt: Date | null;
  pausedAt: Date | null;
  remainingSeconds: number | null;
  metAt: Date | null;
  breachedAt: Date | null;
  nextAlertAt: Date | null;
  deadlineVersion: number;
  remindersSent: number;
}

export const SLA_CLOCK_STATES = ['running', 'paused', 'met'] as const;
export type SlaClockState = (typeof SLA_CLOCK_STATES)[number];

export function clockState(clock: SlaClock): SlaClockState {
  if (clock.metAt) return 'met';
  return clock.dueAt ? 'running' : 'paused';
}
