import { describe, expect, expectTypeOf, it } from 'vitest';
import type { SlaTimerRow } from '../../../src/db/schema/sla.js';
import type { ReminderThreshold } from '../../../src/desks/model.js';
import { dueAlert, recordAlert } from '../../../src/sla/alerts.js';
import { addBusinessSeconds, businessSecondsBetween } from '../../../src/sla/calendar.js';
import { clockState, type SlaClock, type SlaClockState } from '../../../src/sla/slaClock.js';
import { meetTimer, pauseTimer, resumeTimer, retarget, startTimer } from '../../../src/sla/timer.js';
import { at, HOUR, iso, office } from './support.js';

/** The SLA clock state machine: start, pause/resume (Waiting on requester), retarget, meet. */

const cal = office(); // Mon–Fri 09:00–17:00, Europe/Madrid
const thresholds: ReminderThreshold[] = [
  { kind: 'elapsed_percent', value: 75 },
  { kind: 'minutes_before', value: 30 },
];

/** A clock with its instants as local ISO strings, for whole-object assertions. */
function show(t: SlaClock) {
  return {
    ...t,
    startedAt: iso(t.startedAt),
    dueAt: iso(t.dueAt),
    pausedAt: iso(t.pausedAt),
    metAt: iso(t.metAt),
    breachedAt: iso(t.breachedAt),
    nextAlertAt: iso(t.nextAlertAt),
  };
}

it('is one sla_timers row without its ids and bookkeeping timestamps', () => {
  expectTypeOf<SlaClock>().toEqualTypeOf<
    Omit<SlaTimerRow, 'id' | 'ticketId' | 'kind' | 'createdAt' | 'updatedAt'>
  >();
});

describe('startTimer', () => {
  it('is due after the target in business time, the first reminder next', () => {
    expect(show(startTimer(cal, at('2026-01-16T16:00'), 240, thresholds))).toEqual({
      targetMinutes: 240,
      startedAt: '2026-01-16T16:00:00.000+01:00',
      dueAt: '2026-01-19T12:00:00.000+01:00',
      pausedAt: null,
      remainingSeconds: null,
      metAt: null,
      breachedAt: null,
      nextAlertAt: '2026-01-19T11:00:00.000+01:00',
      deadlineVersion: 1,
      remindersSent: 0,
    });
  });

  it('without reminders the next alert is the due', () => {
    expect(iso(startTimer(cal, at('2026-01-16T16:00'), 240, []).nextAlertAt)).toBe(
      '2026-01-19T12:00:00.000+01:00',
    );
  });

  it.each([0, -5, 1.5, Number.NaN])('refuses a target of %s minutes', (minutes) => {
    expect(() => startTimer(cal, at('2026-01-16T16:00'), minutes, thresholds)).toThrow(RangeError);
  });
});

describe('pause and resume keep the remaining business time', () => {
  it('a ticket waiting over a weekend gets its due moved by exactly the business time it was paused', () => {
    const started = startTimer(cal, at('2026-01-16T10:00'), 480, thresholds);
    expect(iso(started.dueAt)).toBe('2026-01-19T10:00:00.000+01:00');

    const paused = pauseTimer(cal, started, at('2026-01-16T15:00'));
    expect(show(paused)).toEqual({
      ...show(started),
      dueAt: null,
      pausedAt: '2026-01-16T15:00:00.000+01:00',
      remainingSeconds: 3 * HOUR,
      nextAlertAt: null,
    });

    const resumed = resumeTimer(cal, paused, at('2026-01-19T09:30'), thresholds);
    expect(show(resumed)).toEqual({
      ...show(started),
      dueAt: '2026-01-19T12:30:00.000+01:00',
      nextAlertAt: '2026-01-19T10:30:00.000+01:00',
      deadlineVersion: 2,
      remindersSent: 0,
    });
    const pausedFor = businessSecondsBetween(cal, at('2026-01-16T15:00'), at('2026-01-19T09:30'));
    expect(pausedFor).toBe(2.5 * HOUR);
    expect(resumed.dueAt).toEqual(addBusinessSeconds(cal, started.dueAt ?? new Date(0), pausedFor));
  });

  // Started Friday 10:00 with 8 h: due Monday 10:00.
  it.each<[string, string, string, number, string]>([
    [
      'paused and resumed outside hours: the due does not move',
      '2026-01-16T17:30',
      '2026-01-19T08:00',
      HOUR,
      '2026-01-19T10:00:00.000+01:00',
    ],
    [
      'paused for two business days: due two business days later',
      '2026-01-16T16:30',
      '2026-01-20T16:30',
      1.5 * HOUR,
      '2026-01-21T10:00:00.000+01:00',
    ],
  ])('%s', (_, pauseAt, resumeAt, remaining, due) => {
    const started = startTimer(cal, at('2026-01-16T10:00'), 8 * 60, thresholds);
    const paused = pauseTimer(cal, started, at(pauseAt));
    expect(paused.remainingSeconds).toBe(remaining);
    expect(iso(resumeTimer(cal, paused, at(resumeAt), thresholds).dueAt)).toBe(due);
  });

  it('an overdue clock keeps a negative remaining, and is overdue by as much when it resumes', () => {
    const started = startTimer(cal, at('2026-01-12T09:00'), 60, thresholds);
    const paused = pauseTimer(cal, started, at('2026-01-12T10:30'));
    expect(paused.remainingSeconds).toBe(-30 * 60);
    const resumed = resumeTimer(cal, paused, at('2026-01-13T09:15'), thresholds);
    expect(iso(resumed.dueAt)).toBe('2026-01-12T16:45:00.000+01:00');
    // its first reminder (30 min before the due) is in the past too: the sweep looks at it at once
    expect(iso(resumed.nextAlertAt)).toBe('2026-01-12T16:15:00.000+01:00');
    expect(dueAlert(cal, resumed, thresholds, at('2026-01-13T09:15'))).toEqual({ kind: 'breach' });
  });

  it('a breached clock stays breached through pause and resume, with no more alerts', () => {
    const started = startTimer(cal, at('2026-01-12T09:00'), 60, thresholds);
    const breached = recordAlert(cal, started, thresholds, { kind: 'breach' }, at('2026-01-12T10:01'));
    const paused = pauseTimer(cal, breached, at('2026-01-12T11:00'));
    expect(paused.remainingSeconds).toBe(-HOUR);
    const resumed = resumeTimer(cal, paused, at('2026-01-12T15:00'), thresholds);
    expect(show(resumed)).toMatchObject({
      dueAt: '2026-01-12T14:00:00.000+01:00',
      breachedAt: '2026-01-12T10:01:00.000+01:00',
      nextAlertAt: null,
      deadlineVersion: 2,
    });
    expect(dueAlert(cal, resumed, thresholds, at('2026-01-12T15:00'))).toBeNull();
  });
});

describe('retarget after a priority change: the new target minus the business time used', () => {
  it.each<[string, string, number, string, number, string]>([
    [
      'High 8 h → Urgent 4 h after 2 h',
      '2026-01-12T09:00',
      480,
      '2026-01-12T11:00',
      240,
      '2026-01-12T13:00:00.000+01:00',
    ],
    [
      'High 8 h → Urgent 4 h halfway: due now',
      '2026-01-12T09:00',
      480,
      '2026-01-12T13:00',
      240,
      '2026-01-12T13:00:00.000+01:00',
    ],
    [
      'High 8 h → Urgent 4 h across closing',
      '2026-01-12T15:00',
      480,
      '2026-01-12T16:00',
      240,
      '2026-01-13T11:00:00.000+01:00',
    ],
    [
      'Urgent 4 h → Low 40 h after 2 h',
      '2026-01-12T09:00',
      240,
      '2026-01-12T11:00',
      2400,
      '2026-01-16T17:00:00.000+01:00',
    ],
    [
      'Low 8 h → Urgent 1 h after 3 h: overdue by 2 h',
      '2026-01-12T09:00',
      480,
      '2026-01-12T12:00',
      60,
      '2026-01-12T10:00:00.000+01:00',
    ],
    [
      'on a Saturday, 2 h left',
      '2026-01-16T13:00',
      480,
      '2026-01-17T11:00',
      360,
      '2026-01-19T11:00:00.000+01:00',
    ],
    [
      'on a Saturday, nothing left: due now',
      '2026-01-16T13:00',
      480,
      '2026-01-17T11:00',
      240,
      '2026-01-17T11:00:00.000+01:00',
    ],
  ])('%s', (_, start, from, when, to, due) => {
    const clock = startTimer(cal, at(start), from, thresholds);
    const moved = retarget(cal, clock, at(when), to, thresholds);
    expect(iso(moved.dueAt)).toBe(due);
    expect(moved).toMatchObject({
      targetMinutes: to,
      deadlineVersion: 2,
      remindersSent: 0,
      startedAt: clock.startedAt,
    });
    const elapsed = from * 60 - businessSecondsBetween(cal, at(when), clock.dueAt ?? new Date(0));
    expect(businessSecondsBetween(cal, at(when), moved.dueAt ?? new Date(0))).toBe(to * 60 - elapsed);
  });

  it('halfway High → Urgent makes the breach due at once', () => {
    const clock = startTimer(cal, at('2026-01-12T09:00'), 480, thresholds);
    const moved = retarget(cal, clock, at('2026-01-12T13:00'), 240, thresholds);
    // the sweep is told to look at once (the 75 % instant of the new target has passed) and finds the
    // breach, which wins over the reminders
    expect(iso(moved.nextAlertAt)).toBe('2026-01-12T12:00:00.000+01:00');
    expect(dueAlert(cal, moved, thresholds, at('2026-01-12T13:00'))).toEqual({ kind: 'breach' });
  });

  it('re-arms the reminders that were sent for the old deadline', () => {
    let clock = startTimer(cal, at('2026-01-12T09:00'), 480, thresholds);
    clock = { ...clock, remindersSent: 1 };
    const moved = retarget(cal, clock, at('2026-01-12T15:30'), 960, thresholds);
    expect(moved.remindersSent).toBe(0);
    expect(iso(moved.dueAt)).toBe('2026-01-13T17:00:00.000+01:00');
    expect(iso(moved.nextAlertAt)).toBe('2026-01-13T13:00:00.000+01:00'); // 75 % of 16 h
  });

  it('a paused clock gets a new remaining, and its due when it resumes', () => {
    const clock = pauseTimer(
      cal,
      startTimer(cal, at('2026-01-12T09:00'), 240, thresholds),
      at('2026-01-12T10:00'),
    );
    expect(clock.remainingSeconds).toBe(3 * HOUR);
    const moved = retarget(cal, clock, at('2026-01-12T12:00'), 480, thresholds);
    expect(show(moved)).toEqual({
      ...show(clock),
      targetMinutes: 480,
      remainingSeconds: 7 * HOUR,
      deadlineVersion: 2,
    });
    expect(iso(resumeTimer(cal, moved, at('2026-01-13T09:00'), thresholds).dueAt)).toBe(
      '2026-01-13T16:00:00.000+01:00',
    );
    expect(retarget(cal, clock, at('2026-01-12T12:00'), 30, thresholds).remainingSeconds).toBe(-30 * 60);
  });

  it('a breach stays recorded when the deadline moves later: no new alerts', () => {
    const clock = startTimer(cal, at('2026-01-12T09:00'), 60, thresholds);
    const breached = recordAlert(cal, clock, thresholds, { kind: 'breach' }, at('2026-01-12T10:00'));
    const moved = retarget(cal, breached, at('2026-01-12T10:30'), 240, thresholds);
    expect(show(moved)).toMatchObject({
      dueAt: '2026-01-12T13:00:00.000+01:00',
      breachedAt: '2026-01-12T10:00:00.000+01:00',
      nextAlertAt: null,
      targetMinutes: 240,
      deadlineVersion: 2,
    });
    expect(dueAlert(cal, moved, thresholds, at('2026-01-12T12:30'))).toBeNull();
    expect(dueAlert(cal, moved, thresholds, at('2026-01-12T13:30'))).toBeNull();
  });

  it('the same target again moves nothing', () => {
    const clock = startTimer(cal, at('2026-01-12T09:00'), 240, thresholds);
    expect(retarget(cal, clock, at('2026-01-12T10:00'), 240, thresholds)).toBe(clock);
  });
});

describe('meetTimer', () => {
  it('stops a running clock and keeps its due (met late when metAt > dueAt)', () => {
    const clock = startTimer(cal, at('2026-01-12T09:00'), 60, thresholds);
    expect(show(meetTimer(clock, at('2026-01-12T09:40')))).toEqual({
      ...show(clock),
      metAt: '2026-01-12T09:40:00.000+01:00',
      nextAlertAt: null,
    });
  });

  it('stops a paused clock and keeps its remaining', () => {
    const clock = pauseTimer(
      cal,
      startTimer(cal, at('2026-01-12T09:00'), 60, thresholds),
      at('2026-01-12T09:20'),
    );
    const met = meetTimer(clock, at('2026-01-13T12:00'));
    expect(show(met)).toEqual({ ...show(clock), metAt: '2026-01-13T12:00:00.000+01:00' });
    expect(met.remainingSeconds).toBe(40 * 60);
  });
});

describe('the state machine: every operation from every state', () => {
  const now = at('2026-01-12T11:00');
  const running = startTimer(cal, at('2026-01-12T09:00'), 240, thresholds);
  const paused = pauseTimer(cal, running, at('2026-01-12T10:00'));
  const met = meetTimer(running, at('2026-01-12T10:00'));
  const clocks: Record<SlaClockState, SlaClock> = { running, paused, met };
  const ops = {
    pause: (t: SlaClock) => pauseTimer(cal, t, now),
    resume: (t: SlaClock) => resumeTimer(cal, t, now, thresholds),
    retarget: (t: SlaClock) => retarget(cal, t, now, 480, thresholds),
    meet: (t: SlaClock) => meetTimer(t, now),
  };
  type Op = keyof typeof ops;
  // [from, operation, to, same object returned (a no-op)]
  const table: [SlaClockState, Op, SlaClockState, boolean][] = [
    ['running', 'pause', 'paused', false],
    ['running', 'resume', 'running', true],
    ['running', 'retarget', 'running', false],
    ['running', 'meet', 'met', false],
    ['paused', 'pause', 'paused', true],
    ['paused', 'resume', 'running', false],
    ['paused', 'retarget', 'paused', false],
    ['paused', 'meet', 'met', false],
    ['met', 'pause', 'met', true],
    ['met', 'resume', 'met', true],
    ['met', 'retarget', 'met', true],
    ['met', 'meet', 'met', true],
  ];
  it.each(table)('%s --%s--> %s (no-op: %s)', (from, op, to, same) => {
    const before = clocks[from];
    expect(clockState(before)).toBe(from);
    const after = ops[op](before);
    expect(clockState(after)).toBe(to);
    expect(after === before).toBe(same);
  });
});
