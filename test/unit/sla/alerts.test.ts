import { describe, expect, it } from 'vitest';
import type { ReminderThreshold } from '../../../src/desks/model.js';
import {
  dueAlert,
  nextAlertAt,
  recordAlert,
  reminderInstants,
  type SlaAlert,
} from '../../../src/sla/alerts.js';
import type { BusinessCalendar } from '../../../src/sla/calendar.js';
import type { SlaClock } from '../../../src/sla/slaClock.js';
import { meetTimer, pauseTimer, resumeTimer, retarget, startTimer } from '../../../src/sla/timer.js';
import { allHours, at, iso, MADRID, office } from './support.js';

/** Reminders before a breach and the breach itself: when, and exactly once per deadline version. */

const cal = office(); // Mon–Fri 09:00–17:00, Europe/Madrid
const pct = (value: number): ReminderThreshold => ({ kind: 'elapsed_percent', value });
const minsBefore = (value: number): ReminderThreshold => ({ kind: 'minutes_before', value });
const thresholds = [pct(75), minsBefore(30)];

const instants = (c: BusinessCalendar, t: SlaClock, list: ReminderThreshold[]) =>
  reminderInstants(c, t, list).map((r) => [r.index, iso(r.at, c.timezone)]);

describe('reminderInstants', () => {
  it.each<[string, string, number, ReminderThreshold[], [number, string][]]>([
    [
      '75 % and 30 min on a 4 h target',
      '2026-01-12T10:00',
      240,
      thresholds,
      [
        [0, '2026-01-12T13:00:00.000+01:00'],
        [1, '2026-01-12T13:30:00.000+01:00'],
      ],
    ],
    [
      'across a weekend (due Monday 11:00)',
      '2026-01-16T15:00',
      240,
      thresholds,
      [
        [0, '2026-01-19T10:00:00.000+01:00'],
        [1, '2026-01-19T10:30:00.000+01:00'],
      ],
    ],
    [
      'measured back in business time (due Monday 09:30)',
      '2026-01-16T13:30',
      240,
      thresholds,
      [
        [0, '2026-01-16T16:30:00.000+01:00'],
        [1, '2026-01-19T09:00:00.000+01:00'],
      ],
    ],
    [
      'in time order, whatever the list order',
      '2026-01-12T10:00',
      240,
      [minsBefore(30), pct(50), minsBefore(90)],
      [
        [1, '2026-01-12T12:00:00.000+01:00'],
        [2, '2026-01-12T12:30:00.000+01:00'],
        [0, '2026-01-12T13:30:00.000+01:00'],
      ],
    ],
    [
      'equal instants count once, the first listed',
      '2026-01-12T10:00',
      240,
      [pct(75), minsBefore(60), minsBefore(30)],
      [
        [0, '2026-01-12T13:00:00.000+01:00'],
        [2, '2026-01-12T13:30:00.000+01:00'],
      ],
    ],
    [
      'before the start is dropped (30 min before a 20 min target)',
      '2026-01-12T10:00',
      20,
      thresholds,
      [[0, '2026-01-12T10:15:00.000+01:00']],
    ],
    [
      'a percentage rounds to the second (75 % of 7 min)',
      '2026-01-12T10:00',
      7,
      [pct(75)],
      [[0, '2026-01-12T10:05:15.000+01:00']],
    ],
    [
      '0 % is the start of business time',
      '2026-01-17T10:00',
      60,
      [pct(0)],
      [[0, '2026-01-19T09:00:00.000+01:00']],
    ],
    ['none configured', '2026-01-12T10:00', 240, [], []],
  ])('%s', (_, start, target, list, expected) => {
    expect(instants(cal, startTimer(cal, at(start), target, list), list)).toEqual(expected);
  });

  it('none for a paused or met clock', () => {
    const clock = startTimer(cal, at('2026-01-12T10:00'), 240, thresholds);
    expect(reminderInstants(cal, pauseTimer(cal, clock, at('2026-01-12T11:00')), thresholds)).toEqual([]);
    expect(reminderInstants(cal, meetTimer(clock, at('2026-01-12T11:00')), thresholds)).toEqual([]);
  });

  it('follow the real length of a DST night in a 24/7 calendar', () => {
    const c = allHours(MADRID);
    const clock = startTimer(c, at('2026-03-28T20:00'), 12 * 60, thresholds);
    expect(iso(clock.dueAt)).toBe('2026-03-29T09:00:00.000+02:00');
    expect(instants(c, clock, thresholds)).toEqual([
      [0, '2026-03-29T06:00:00.000+02:00'],
      [1, '2026-03-29T08:30:00.000+02:00'],
    ]);
  });
});

interface Sent {
  at: string | null;
  alert: string;
}

const describeAlert = (a: SlaAlert) =>
  a.kind === 'breach'
    ? 'breach'
    : `reminder #${a.index} (${a.threshold.kind} ${a.threshold.value}), sent=${a.remindersSent}`;

/**
 * The SLA sweep as the job runs it: every `everyMinutes` (except while down), it looks only at a clock
 * whose nextAlertAt has come, asks dueAlert, and records what it sent.
 */
function sweep(
  clock: SlaClock,
  from: string,
  to: string,
  options: { everyMinutes?: number; down?: [string, string]; list?: ReminderThreshold[] } = {},
): { clock: SlaClock; sent: Sent[] } {
  const list = options.list ?? thresholds;
  const step = (options.everyMinutes ?? 1) * 60_000;
  const sent: Sent[] = [];
  let t = clock;
  for (let ms = at(from).getTime(); ms <= at(to).getTime(); ms += step) {
    const now = new Date(ms);
    if (options.down && ms >= at(options.down[0]).getTime() && ms < at(options.down[1]).getTime()) continue;
    const next = t.nextAlertAt;
    if (!next || next.getTime() > ms) {
      // the index is never wrong: nothing is due before nextAlertAt
      expect(dueAlert(cal, t, list, now)).toBeNull();
      continue;
    }
    const alert = dueAlert(cal, t, list, now);
    if (!alert) continue;
    sent.push({ at: iso(now), alert: describeAlert(alert) });
    t = recordAlert(cal, t, list, alert, now);
  }
  return { clock: t, sent };
}

describe('dueAlert and nextAlertAt through a sweep', () => {
  const start = () => startTimer(cal, at('2026-01-12T10:00'), 240, thresholds); // due 14:00

  it('75 % and 30 min on a 4 h target fire at their instants, each once, then the breach once', () => {
    const { clock, sent } = sweep(start(), '2026-01-12T10:00', '2026-01-12T18:00');
    expect(sent).toEqual([
      { at: '2026-01-12T13:00:00.000+01:00', alert: 'reminder #0 (elapsed_percent 75), sent=1' },
      { at: '2026-01-12T13:30:00.000+01:00', alert: 'reminder #1 (minutes_before 30), sent=2' },
      { at: '2026-01-12T14:00:00.000+01:00', alert: 'breach' },
    ]);
    expect(clock).toMatchObject({ remindersSent: 2, breachedAt: at('2026-01-12T14:00'), nextAlertAt: null });
  });

  it('nextAlertAt walks from reminder to reminder to the due, then stops', () => {
    let clock = start();
    const seen = [iso(clock.nextAlertAt)];
    for (const now of ['2026-01-12T13:00', '2026-01-12T13:30', '2026-01-12T14:00']) {
      const alert = dueAlert(cal, clock, thresholds, at(now));
      if (!alert) throw new Error(`nothing due at ${now}`);
      clock = recordAlert(cal, clock, thresholds, alert, at(now));
      seen.push(iso(clock.nextAlertAt));
    }
    expect(seen).toEqual([
      '2026-01-12T13:00:00.000+01:00',
      '2026-01-12T13:30:00.000+01:00',
      '2026-01-12T14:00:00.000+01:00',
      null,
    ]);
  });

  it('a reminder is not sent twice: asking again at the same instant gives nothing', () => {
    const clock = start();
    const alert = dueAlert(cal, clock, thresholds, at('2026-01-12T13:10'));
    expect(alert).toMatchObject({ kind: 'reminder', index: 0, remindersSent: 1, threshold: pct(75) });
    if (!alert) return;
    const after = recordAlert(cal, clock, thresholds, alert, at('2026-01-12T13:10'));
    expect(dueAlert(cal, after, thresholds, at('2026-01-12T13:10'))).toBeNull();
  });

  it('after a 3-hour outage only the nearest passed threshold is sent, not a burst', () => {
    const { sent } = sweep(start(), '2026-01-12T10:00', '2026-01-12T18:00', {
      down: ['2026-01-12T10:40', '2026-01-12T13:40'],
    });
    expect(sent).toEqual([
      { at: '2026-01-12T13:40:00.000+01:00', alert: 'reminder #1 (minutes_before 30), sent=2' },
      { at: '2026-01-12T14:00:00.000+01:00', alert: 'breach' },
    ]);
    expect(dueAlert(cal, start(), thresholds, at('2026-01-12T13:40'))).toEqual({
      kind: 'reminder',
      index: 1,
      threshold: minsBefore(30),
      at: at('2026-01-12T13:30'),
      remindersSent: 2,
    });
  });

  it('an outage past the due sends the breach alone', () => {
    const { sent } = sweep(start(), '2026-01-12T10:00', '2026-01-12T18:00', {
      down: ['2026-01-12T10:30', '2026-01-12T14:30'],
    });
    expect(sent).toEqual([{ at: '2026-01-12T14:30:00.000+01:00', alert: 'breach' }]);
  });

  it('a sweep every 5 minutes still sends each once', () => {
    const { sent } = sweep(
      startTimer(cal, at('2026-01-16T15:00'), 240, thresholds), // due Monday 11:00
      '2026-01-16T15:02',
      '2026-01-19T12:00',
      { everyMinutes: 5 },
    );
    expect(sent.map((s) => s.at)).toEqual([
      '2026-01-19T10:02:00.000+01:00',
      '2026-01-19T10:32:00.000+01:00',
      '2026-01-19T11:02:00.000+01:00',
    ]);
  });

  it('a moved deadline re-arms the reminders, which fire once more for it', () => {
    const first = sweep(start(), '2026-01-12T10:00', '2026-01-12T13:05');
    expect(first.sent.map((s) => s.alert)).toEqual(['reminder #0 (elapsed_percent 75), sent=1']);
    // Urgent → High at 13:05: 3 h 05 used of 8 h, due 18:00 → Tuesday 10:00
    const moved = retarget(cal, first.clock, at('2026-01-12T13:05'), 480, thresholds);
    expect(moved).toMatchObject({ deadlineVersion: 2, remindersSent: 0 });
    expect(iso(moved.dueAt)).toBe('2026-01-13T10:00:00.000+01:00');
    expect(iso(moved.nextAlertAt)).toBe('2026-01-12T16:00:00.000+01:00');
    const second = sweep(moved, '2026-01-12T13:05', '2026-01-13T12:00');
    expect(second.sent).toEqual([
      { at: '2026-01-12T16:00:00.000+01:00', alert: 'reminder #0 (elapsed_percent 75), sent=1' },
      { at: '2026-01-13T09:30:00.000+01:00', alert: 'reminder #1 (minutes_before 30), sent=2' },
      { at: '2026-01-13T10:00:00.000+01:00', alert: 'breach' },
    ]);
  });

  it('a resumed clock re-arms its reminders: the nearest passed one is sent at once, then the rest', () => {
    const first = sweep(start(), '2026-01-12T10:00', '2026-01-12T13:10');
    const paused = pauseTimer(cal, first.clock, at('2026-01-12T13:10'));
    expect(paused.remainingSeconds).toBe(50 * 60);
    expect(dueAlert(cal, paused, thresholds, at('2026-01-12T14:30'))).toBeNull();
    const resumed = resumeTimer(cal, paused, at('2026-01-13T09:00'), thresholds); // due 09:50
    const second = sweep(resumed, '2026-01-13T09:00', '2026-01-13T11:00');
    expect(second.sent).toEqual([
      { at: '2026-01-13T09:00:00.000+01:00', alert: 'reminder #0 (elapsed_percent 75), sent=1' },
      { at: '2026-01-13T09:20:00.000+01:00', alert: 'reminder #1 (minutes_before 30), sent=2' },
      { at: '2026-01-13T09:50:00.000+01:00', alert: 'breach' },
    ]);
  });

  it('nothing for paused, met or breached clocks', () => {
    const clock = start();
    const late = at('2026-01-12T15:00');
    const paused = pauseTimer(cal, clock, at('2026-01-12T11:00'));
    const met = meetTimer(clock, at('2026-01-12T11:00'));
    const breached = recordAlert(cal, clock, thresholds, { kind: 'breach' }, at('2026-01-12T14:00'));
    for (const t of [paused, met, breached]) {
      expect(dueAlert(cal, t, thresholds, late)).toBeNull();
      expect(nextAlertAt(cal, t, thresholds)).toBeNull();
    }
  });

  it('the breach wins when the due has come, even with reminders unsent', () => {
    expect(dueAlert(cal, start(), thresholds, at('2026-01-12T14:00'))).toEqual({ kind: 'breach' });
    expect(dueAlert(cal, start(), thresholds, at('2026-01-12T13:59:59'))).toMatchObject({
      kind: 'reminder',
      index: 1,
    });
  });
});
