import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WEEKDAYS } from '../../../src/desks/model.js';
import {
  addBusinessDays,
  addBusinessSeconds,
  type BusinessCalendar,
  businessSecondsBetween,
  deskCalendar,
  hasBusinessHours,
  isBusinessTime,
  nextBusinessDayOpening,
  nextBusinessInstant,
  subtractBusinessSeconds,
} from '../../../src/sla/calendar.js';
import {
  allHours,
  at,
  calendar,
  everyDay,
  explicit24x7,
  HOUR,
  iso,
  MADRID,
  MINUTE,
  NEW_YORK,
  nightShift,
  office,
  seeded,
  splitOffice,
  weekdays,
} from './support.js';

/**
 * Business-time arithmetic. Instants are written in the calendar's wall-clock time and compared as
 * ISO strings with their offset, so a wrong DST offset shows up as a wrong string.
 */

describe('acceptance: 4 business hours from Friday 16:00, Mon–Fri 09:00–17:00 Europe/Madrid', () => {
  it.each([
    ['a winter week', '2026-01-16T16:00', '2026-01-19T12:00:00.000+01:00'],
    ['the spring-forward weekend', '2026-03-27T16:00', '2026-03-30T12:00:00.000+02:00'],
    ['the fall-back weekend', '2026-10-23T16:00', '2026-10-26T12:00:00.000+01:00'],
  ])('in %s is due Monday 12:00', (_, start, due) => {
    expect(iso(addBusinessSeconds(office(), at(start), 4 * HOUR))).toBe(due);
  });
});

describe('addBusinessSeconds', () => {
  const holidayOffice = office(MADRID, ['2026-01-07']);
  it.each<[string, BusinessCalendar, string, number, string]>([
    ['inside hours', office(), '2026-01-13T10:00', 2 * HOUR, '2026-01-13T12:00:00.000+01:00'],
    ['used up exactly at closing', office(), '2026-01-16T13:00', 4 * HOUR, '2026-01-16T17:00:00.000+01:00'],
    ['one second past closing', office(), '2026-01-16T13:00', 4 * HOUR + 1, '2026-01-19T09:00:01.000+01:00'],
    ['start before opening', office(), '2026-01-13T07:00', HOUR, '2026-01-13T10:00:00.000+01:00'],
    ['start after closing', office(), '2026-01-13T18:00', HOUR, '2026-01-14T10:00:00.000+01:00'],
    ['start at closing', office(), '2026-01-13T17:00', HOUR, '2026-01-14T10:00:00.000+01:00'],
    ['start on a weekend', office(), '2026-01-17T11:00', 30 * MINUTE, '2026-01-19T09:30:00.000+01:00'],
    ['a holiday is skipped', holidayOffice, '2026-01-06T16:00', 2 * HOUR, '2026-01-08T10:00:00.000+01:00'],
    ['start on a holiday', holidayOffice, '2026-01-07T10:00', HOUR, '2026-01-08T10:00:00.000+01:00'],
    ['zero inside hours is the start', office(), '2026-01-13T10:00', 0, '2026-01-13T10:00:00.000+01:00'],
    ['zero outside hours is the start', office(), '2026-01-17T11:00', 0, '2026-01-17T11:00:00.000+01:00'],
    ['negative goes back', office(), '2026-01-19T10:00', -2 * HOUR, '2026-01-16T16:00:00.000+01:00'],
    ['seconds are kept', office(), '2026-01-13T16:59:30', 45, '2026-01-14T09:00:15.000+01:00'],
    [
      'two ranges: across lunch',
      splitOffice(),
      '2026-01-13T12:00',
      2 * HOUR,
      '2026-01-13T15:00:00.000+01:00',
    ],
    [
      'two ranges: start at lunch',
      splitOffice(),
      '2026-01-13T13:30',
      30 * MINUTE,
      '2026-01-13T14:30:00.000+01:00',
    ],
    ['Saturday morning hours', splitOffice(), '2026-01-16T17:00', 2 * HOUR, '2026-01-17T11:00:00.000+01:00'],
    ['Saturday then Monday', splitOffice(), '2026-01-17T11:30', HOUR, '2026-01-19T09:30:00.000+01:00'],
  ])('%s', (_, cal, start, seconds, expected) => {
    expect(iso(addBusinessSeconds(cal, at(start), seconds))).toBe(expected);
  });

  it('keeps the milliseconds of the start', () => {
    const start = new Date(at('2026-01-13T10:00').getTime() + 123);
    expect(iso(addBusinessSeconds(office(), start, 90))).toBe('2026-01-13T10:01:30.123+01:00');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('refuses %s seconds', (seconds) => {
    expect(() => addBusinessSeconds(office(), at('2026-01-13T10:00'), seconds)).toThrow(RangeError);
  });
});

describe('subtractBusinessSeconds: the latest instant with that much business time left', () => {
  it.each<[string, BusinessCalendar, string, number, string]>([
    ['inside hours', office(), '2026-01-19T12:00', HOUR, '2026-01-19T11:00:00.000+01:00'],
    ['across a weekend', office(), '2026-01-19T09:30', HOUR, '2026-01-16T16:30:00.000+01:00'],
    ['exactly to the opening', office(), '2026-01-19T10:00', HOUR, '2026-01-19T09:00:00.000+01:00'],
    ['from outside hours', office(), '2026-01-17T12:00', 30 * MINUTE, '2026-01-16T16:30:00.000+01:00'],
    ['zero is the end', office(), '2026-01-17T12:00', 0, '2026-01-17T12:00:00.000+01:00'],
    ['across lunch', splitOffice(), '2026-01-13T14:30', HOUR, '2026-01-13T12:30:00.000+01:00'],
    [
      'across a holiday',
      office(MADRID, ['2026-01-16']),
      '2026-01-19T09:30',
      HOUR,
      '2026-01-15T16:30:00.000+01:00',
    ],
    ['negative goes forward', office(), '2026-01-16T16:00', -2 * HOUR, '2026-01-19T10:00:00.000+01:00'],
  ])('%s', (_, cal, end, seconds, expected) => {
    expect(iso(subtractBusinessSeconds(cal, at(end), seconds))).toBe(expected);
  });
});

describe('businessSecondsBetween', () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    ['Friday 16:00 to Monday 12:00', office(), '2026-01-16T16:00', '2026-01-19T12:00', 4 * HOUR],
    ['a whole week', office(), '2026-01-12T00:00', '2026-01-19T00:00', 40 * HOUR],
    [
      'a week with a holiday',
      office(MADRID, ['2026-01-14']),
      '2026-01-12T00:00',
      '2026-01-19T00:00',
      32 * HOUR,
    ],
    ['a weekend', office(), '2026-01-16T17:00', '2026-01-19T09:00', 0],
    ['backwards is negative', office(), '2026-01-19T12:00', '2026-01-16T16:00', -4 * HOUR],
    ['two ranges and a Saturday', splitOffice(), '2026-01-16T12:30', '2026-01-19T09:30', 7 * HOUR],
    ['a year', office(), '2026-01-05T00:00', '2027-01-04T00:00', 52 * 40 * HOUR],
  ])('%s', (_, cal, from, to, seconds) => {
    expect(businessSecondsBetween(cal, at(from), at(to))).toBe(seconds);
  });

  it('counts whole seconds, truncated toward zero (never -0)', () => {
    const from = at('2026-01-13T10:00');
    const to = new Date(from.getTime() + 1999);
    expect(businessSecondsBetween(office(), from, to)).toBe(1);
    expect(businessSecondsBetween(office(), to, from)).toBe(-1);
    expect(Object.is(businessSecondsBetween(office(), from, new Date(from.getTime() + 999)), 0)).toBe(true);
    expect(Object.is(businessSecondsBetween(office(), new Date(from.getTime() + 999), from), 0)).toBe(true);
  });
});

describe('isBusinessTime and nextBusinessInstant', () => {
  it.each<[string, BusinessCalendar, string, boolean, string]>([
    ['opening instant', office(), '2026-01-13T09:00', true, '2026-01-13T09:00:00.000+01:00'],
    ['closing instant (end excluded)', office(), '2026-01-13T17:00', false, '2026-01-14T09:00:00.000+01:00'],
    ['lunch', splitOffice(), '2026-01-13T13:15', false, '2026-01-13T14:00:00.000+01:00'],
    ['Sunday', office(), '2026-01-18T11:00', false, '2026-01-19T09:00:00.000+01:00'],
    ['holiday', office(MADRID, ['2026-01-19']), '2026-01-19T11:00', false, '2026-01-20T09:00:00.000+01:00'],
    ['24/7', allHours(MADRID), '2026-01-18T03:00', true, '2026-01-18T03:00:00.000+01:00'],
  ])('%s', (_, cal, when, open, next) => {
    expect(isBusinessTime(cal, at(when))).toBe(open);
    expect(iso(nextBusinessInstant(cal, at(when)))).toBe(next);
  });
});

describe('nextBusinessDayOpening: the first opening on a later business day', () => {
  it.each<[string, BusinessCalendar, string, string]>([
    ['during hours', office(), '2026-01-13T10:00', '2026-01-14T09:00:00.000+01:00'],
    ['before the day’s own opening', office(), '2026-01-13T07:00', '2026-01-14T09:00:00.000+01:00'],
    ['Friday evening', office(), '2026-01-16T18:00', '2026-01-19T09:00:00.000+01:00'],
    [
      'a holiday skipped',
      office(MADRID, ['2026-01-14']),
      '2026-01-13T10:00',
      '2026-01-15T09:00:00.000+01:00',
    ],
    ['a Saturday with hours', splitOffice(), '2026-01-16T18:00', '2026-01-17T10:00:00.000+01:00'],
    [
      'opening inside the skipped hour',
      calendar(MADRID, { sun: '02:30-04:00' }),
      '2026-03-28T12:00',
      '2026-03-29T03:00:00.000+02:00',
    ],
    ['24/7: the next midnight', allHours(MADRID), '2026-01-13T10:00', '2026-01-14T00:00:00.000+01:00'],
    [
      '24/7 with a holiday',
      allHours(MADRID, ['2026-01-14']),
      '2026-01-13T10:00',
      '2026-01-15T00:00:00.000+01:00',
    ],
  ])('%s', (_, cal, when, opening) => {
    expect(iso(nextBusinessDayOpening(cal, at(when)))).toBe(opening);
  });

  it('tells a calendar with hours from one without', () => {
    expect(hasBusinessHours(office())).toBe(true);
    expect(hasBusinessHours(explicit24x7(MADRID))).toBe(true);
    expect(hasBusinessHours(allHours(MADRID))).toBe(false);
    expect(hasBusinessHours(calendar(MADRID, { mon: [] }))).toBe(false);
  });
});

describe('DST: every range has its real length', () => {
  it.each<[string, BusinessCalendar, string, string, number]>([
    // Europe/Madrid: 2026-03-29 02:00 → 03:00, 2026-10-25 03:00 → 02:00.
    [
      'Madrid 09–17 on a spring-forward Sunday is 8 h',
      calendar(MADRID, everyDay('09:00-17:00')),
      '2026-03-29T00:00',
      '2026-03-30T00:00',
      8 * HOUR,
    ],
    [
      'Madrid 01–04 spring forward is 2 h',
      nightShift(MADRID),
      '2026-03-29T00:00',
      '2026-03-29T12:00',
      2 * HOUR,
    ],
    [
      'Madrid 01–04 the night before is 3 h',
      nightShift(MADRID),
      '2026-03-28T00:00',
      '2026-03-28T12:00',
      3 * HOUR,
    ],
    ['Madrid 01–04 fall back is 4 h', nightShift(MADRID), '2026-10-25T00:00', '2026-10-25T12:00', 4 * HOUR],
    [
      'Madrid 24/7 spring-forward day is 23 h',
      allHours(MADRID),
      '2026-03-29T00:00',
      '2026-03-30T00:00',
      23 * HOUR,
    ],
    [
      'Madrid 24/7 fall-back day is 25 h',
      allHours(MADRID),
      '2026-10-25T00:00',
      '2026-10-26T00:00',
      25 * HOUR,
    ],
    [
      'Madrid 00–24 written out, spring',
      explicit24x7(MADRID, ['2026-01-01']),
      '2026-03-29T00:00',
      '2026-03-30T00:00',
      23 * HOUR,
    ],
    [
      'Madrid 00–24 written out, fall',
      explicit24x7(MADRID, ['2026-01-01']),
      '2026-10-25T00:00',
      '2026-10-26T00:00',
      25 * HOUR,
    ],
    // America/New_York: 2026-03-08 02:00 → 03:00, 2026-11-01 02:00 → 01:00.
    [
      'New York 00–06 spring forward is 5 h',
      nightShift(NEW_YORK, '00:00-06:00'),
      '2026-03-08T00:00',
      '2026-03-08T12:00',
      5 * HOUR,
    ],
    [
      'New York 00–06 fall back is 7 h',
      nightShift(NEW_YORK, '00:00-06:00'),
      '2026-11-01T00:00',
      '2026-11-01T12:00',
      7 * HOUR,
    ],
    [
      'New York 24/7 spring-forward day is 23 h',
      allHours(NEW_YORK),
      '2026-03-08T00:00',
      '2026-03-09T00:00',
      23 * HOUR,
    ],
    [
      'New York 24/7 fall-back day is 25 h',
      allHours(NEW_YORK),
      '2026-11-01T00:00',
      '2026-11-02T00:00',
      25 * HOUR,
    ],
  ])('%s', (_, cal, from, to, seconds) => {
    const zone = cal.timezone;
    expect(businessSecondsBetween(cal, at(from, zone), at(to, zone))).toBe(seconds);
  });

  it.each<[string, BusinessCalendar, string, number, string]>([
    [
      'Madrid 01–04, spring: 2 h from 01:00 ends at 04:00 summer time',
      nightShift(MADRID),
      '2026-03-29T01:00',
      2 * HOUR,
      '2026-03-29T04:00:00.000+02:00',
    ],
    [
      'Madrid 01–04, spring: 2 h + 1 s spills to the next night',
      nightShift(MADRID),
      '2026-03-29T01:00',
      2 * HOUR + 1,
      '2026-03-30T01:00:01.000+02:00',
    ],
    [
      'Madrid 01–04, fall: 3 h from 01:00 is 03:00 winter time',
      nightShift(MADRID),
      '2026-10-25T01:00',
      3 * HOUR,
      '2026-10-25T03:00:00.000+01:00',
    ],
    [
      'Madrid 01–04, fall: 4 h from 01:00 is 04:00 winter time',
      nightShift(MADRID),
      '2026-10-25T01:00',
      4 * HOUR,
      '2026-10-25T04:00:00.000+01:00',
    ],
    [
      'Madrid 24/7: 24 h from Saturday noon, spring',
      allHours(MADRID),
      '2026-03-28T12:00',
      24 * HOUR,
      '2026-03-29T13:00:00.000+02:00',
    ],
    [
      'Madrid 24/7: 24 h from Saturday noon, fall',
      allHours(MADRID),
      '2026-10-24T12:00',
      24 * HOUR,
      '2026-10-25T11:00:00.000+01:00',
    ],
    [
      'Madrid 00–24 written out: 24 h, spring',
      explicit24x7(MADRID, ['2026-01-01']),
      '2026-03-28T12:00',
      24 * HOUR,
      '2026-03-29T13:00:00.000+02:00',
    ],
    [
      'Madrid 00–24 written out: 24 h, fall',
      explicit24x7(MADRID, ['2026-01-01']),
      '2026-10-24T12:00',
      24 * HOUR,
      '2026-10-25T11:00:00.000+01:00',
    ],
    [
      'Madrid office: 10 h across the spring weekend',
      office(),
      '2026-03-27T12:00',
      10 * HOUR,
      '2026-03-30T14:00:00.000+02:00',
    ],
    [
      'New York office: Friday 16:00 + 4 h, spring',
      office(NEW_YORK),
      '2026-03-06T16:00',
      4 * HOUR,
      '2026-03-09T12:00:00.000-04:00',
    ],
    [
      'New York office: Friday 16:00 + 4 h, fall',
      office(NEW_YORK),
      '2026-10-30T16:00',
      4 * HOUR,
      '2026-11-02T12:00:00.000-05:00',
    ],
    [
      'New York 00–06, spring: 3 h from midnight',
      nightShift(NEW_YORK, '00:00-06:00'),
      '2026-03-08T00:00',
      3 * HOUR,
      '2026-03-08T04:00:00.000-04:00',
    ],
    [
      'New York 00–06, fall: 3 h from midnight',
      nightShift(NEW_YORK, '00:00-06:00'),
      '2026-11-01T00:00',
      3 * HOUR,
      '2026-11-01T02:00:00.000-05:00',
    ],
    [
      'New York 24/7: 24 h from Saturday noon, spring',
      allHours(NEW_YORK),
      '2026-03-07T12:00',
      24 * HOUR,
      '2026-03-08T13:00:00.000-04:00',
    ],
    [
      'New York 24/7: 24 h from Saturday noon, fall',
      allHours(NEW_YORK),
      '2026-10-31T12:00',
      24 * HOUR,
      '2026-11-01T11:00:00.000-05:00',
    ],
  ])('%s', (_, cal, start, seconds, expected) => {
    const zone = cal.timezone;
    const due = addBusinessSeconds(cal, at(start, zone), seconds);
    expect(iso(due, zone)).toBe(expected);
    expect(iso(subtractBusinessSeconds(cal, due, seconds), zone)).toBe(iso(at(start, zone), zone));
  });

  it('a range that opens inside the skipped hour opens at the change', () => {
    const cal = calendar(MADRID, { sun: '02:30-04:00' });
    expect(businessSecondsBetween(cal, at('2026-03-29T00:00'), at('2026-03-29T12:00'))).toBe(HOUR);
    expect(iso(nextBusinessInstant(cal, at('2026-03-29T00:00')))).toBe('2026-03-29T03:00:00.000+02:00');
  });

  it('a range with bounds inside the repeated hour counts only the instants that read inside it', () => {
    // 02:30–03:30 on the fall-back night: 02:30–03:00 summer time, then 02:30–03:30 winter time.
    const cal = calendar(MADRID, { sun: '02:30-03:30' });
    expect(businessSecondsBetween(cal, at('2026-10-25T00:00'), at('2026-10-25T12:00'))).toBe(90 * MINUTE);
    const first = new Date(Date.parse('2026-10-25T02:45:00+02:00'));
    const secondEarly = new Date(Date.parse('2026-10-25T02:15:00+01:00'));
    const secondLate = new Date(Date.parse('2026-10-25T02:45:00+01:00'));
    expect([
      isBusinessTime(cal, first),
      isBusinessTime(cal, secondEarly),
      isBusinessTime(cal, secondLate),
    ]).toEqual([true, false, true]);
    expect(iso(addBusinessSeconds(cal, at('2026-10-25T00:00'), 45 * MINUTE))).toBe(
      '2026-10-25T02:45:00.000+01:00',
    );
  });

  describe('does not depend on the season the code runs in', () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    it.each(['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z'])('with the system clock at %s', (now) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(now));
      const cal = calendar(MADRID, { sun: '02:30-03:30' });
      expect(iso(addBusinessSeconds(cal, at('2026-10-25T00:00'), 20 * MINUTE))).toBe(
        '2026-10-25T02:50:00.000+02:00',
      );
      expect(iso(addBusinessDays(allHours(MADRID), at('2026-10-24T02:30'), 1))).toBe(
        '2026-10-25T02:30:00.000+02:00',
      );
    });
  });
});

/**
 * An independent oracle: a minute is business time when luxon's wall clock for it reads inside a
 * configured range of its date. Scanned minute by minute over a few days around DST changes, in
 * zones with 1-hour and 30-minute changes, with range bounds in awkward places.
 */
function oracleOpen(cal: BusinessCalendar, t: number): boolean {
  const wall = DateTime.fromMillis(t, { zone: cal.timezone });
  const none = WEEKDAYS.every((d) => (cal.hours[d] ?? []).length === 0);
  const weekday = WEEKDAYS[wall.weekday - 1];
  const ranges = none ? [[0, 1440]] : weekday ? (cal.hours[weekday] ?? []) : [];
  if (cal.holidays.includes(wall.toISODate() ?? '')) return false;
  const minute = wall.hour * 60 + wall.minute;
  return ranges.some(([a, b]) => a !== undefined && b !== undefined && a <= minute && minute < b);
}

describe('agrees with a minute-by-minute scan of the wall clock around DST changes', () => {
  const awkward = ['00:00-00:45', '01:30-02:15', '02:45-03:10', '09:00-17:00', '23:30-24:00'];
  const cases: [string, BusinessCalendar, string][] = [
    ['Madrid spring', calendar(MADRID, everyDay(awkward), ['2026-03-30']), '2026-03-27T00:00'],
    ['Madrid fall', calendar(MADRID, everyDay(awkward)), '2026-10-23T00:00'],
    ['New York spring', calendar(NEW_YORK, everyDay(awkward)), '2026-03-06T00:00'],
    ['New York fall', calendar(NEW_YORK, { ...everyDay(awkward), sat: '01:00-02:30' }), '2026-10-30T00:00'],
    ['Lord Howe (30 min) spring', calendar('Australia/Lord_Howe', everyDay(awkward)), '2026-10-02T00:00'],
    ['Lord Howe (30 min) fall', calendar('Australia/Lord_Howe', everyDay(awkward)), '2026-04-03T00:00'],
    ['Madrid night shift', nightShift(MADRID), '2026-10-23T00:00'],
    ['Madrid office', office(MADRID, ['2026-03-30']), '2026-03-26T00:00'],
  ];
  it.each(cases)('%s', (_, cal, from) => {
    const start = at(from, cal.timezone).getTime();
    let open = 0;
    for (let i = 0; i < 5 * 24 * 60; i++) {
      const t = start + i * 60_000;
      const expected = oracleOpen(cal, t);
      expect(isBusinessTime(cal, new Date(t)), iso(new Date(t), cal.timezone) ?? '').toBe(expected);
      if (expected) {
        open += 1;
        // the `open`-th business minute completes at t + 1 min
        if (open % 7 === 1) {
          expect(addBusinessSeconds(cal, new Date(start), open * MINUTE).getTime()).toBe(t + 60_000);
        }
      }
      if (i % 97 === 0)
        expect(businessSecondsBetween(cal, new Date(start), new Date(t + 60_000))).toBe(open * MINUTE);
    }
  });
});

describe('inverse property over seeded random starts and amounts', () => {
  const calendars: [string, BusinessCalendar][] = [
    [
      'Madrid office with holidays',
      office(MADRID, ['2026-01-06', '2026-04-03', '2026-05-01', '2026-12-25', '2027-01-01']),
    ],
    ['Madrid split office', splitOffice()],
    [
      'New York weekend nights',
      calendar(NEW_YORK, { ...weekdays('08:30-18:00'), sat: '00:30-03:30', sun: '01:00-02:30' }),
    ],
    [
      'Lord Howe awkward',
      calendar('Australia/Lord_Howe', everyDay(['01:45-02:20', '02:40-03:00', '13:00-19:30'])),
    ],
    ['Kolkata office', office('Asia/Kolkata')],
    ['Madrid 24/7', allHours(MADRID)],
    ['Madrid 24/7 with a holiday', allHours(MADRID, ['2026-10-25'])],
  ];
  const rangeStart = Date.parse('2025-09-01T00:00:00Z');
  const rangeLength = Date.parse('2028-01-01T00:00:00Z') - rangeStart;

  it.each(calendars)('%s', (_, cal) => {
    const random = seeded(20260329);
    for (let i = 0; i < 150; i++) {
      const start = new Date(rangeStart + Math.floor(random() * rangeLength));
      const seconds = i % 10 === 0 ? 0 : Math.floor(random() * 400 * HOUR);
      const due = addBusinessSeconds(cal, start, seconds);
      expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
      expect(businessSecondsBetween(cal, start, due)).toBe(seconds);
      expect(businessSecondsBetween(cal, due, start)).toBe(seconds === 0 ? 0 : -seconds);
      const back = subtractBusinessSeconds(cal, start, seconds);
      expect(businessSecondsBetween(cal, back, start)).toBe(seconds);
      if (seconds > 0) {
        // the due completes a business second; the subtracted instant starts one
        expect(isBusinessTime(cal, new Date(due.getTime() - 1))).toBe(true);
        expect(isBusinessTime(cal, back)).toBe(true);
        // and it is the earliest / latest such instant
        expect(businessSecondsBetween(cal, start, new Date(due.getTime() - 1000))).toBe(seconds - 1);
      }
      const mid = new Date(start.getTime() + Math.floor(random() * (due.getTime() - start.getTime() + 1)));
      expect(
        businessSecondsBetween(cal, start, mid) + businessSecondsBetween(cal, mid, due),
      ).toBeLessThanOrEqual(seconds);
      expect(
        businessSecondsBetween(cal, start, mid) + businessSecondsBetween(cal, mid, due),
      ).toBeGreaterThanOrEqual(seconds - 1);
    }
  });
});

describe('huge targets', () => {
  it('800 business hours are 100 business days', () => {
    expect(iso(addBusinessSeconds(office(), at('2026-01-05T09:00'), 800 * HOUR))).toBe(
      '2026-05-22T17:00:00.000+02:00',
    );
    const withHolidays = office(MADRID, ['2026-04-03', '2026-05-01']);
    expect(iso(addBusinessSeconds(withHolidays, at('2026-01-05T09:00'), 800 * HOUR))).toBe(
      '2026-05-26T17:00:00.000+02:00',
    );
  });

  it('decades of holidays and a 20-year target agree with a plain day-by-day count', () => {
    const random = seeded(7);
    const holidays: string[] = [];
    for (
      let day = DateTime.fromISO('2026-01-01', { zone: 'utc' });
      day.year < 2050;
      day = day.plus({ days: 1 })
    ) {
      if (random() < 0.04) holidays.push(day.toISODate() ?? '');
    }
    const cal = office(MADRID, holidays);
    const start = at('2026-02-11T13:17');
    const seconds = 20 * 52 * 40 * HOUR;
    const due = addBusinessSeconds(cal, start, seconds);
    expect(iso(due)).toBe(iso(plainAdd(cal, start, seconds)));
    expect(businessSecondsBetween(cal, start, due)).toBe(seconds);
    // the start may fall on a holiday: going back lands on the next opening after it
    expect(iso(subtractBusinessSeconds(cal, due, seconds))).toBe(iso(nextBusinessInstant(cal, start)));
  });
});

/** A reference for 09:00–17:00 calendars (bounds never inside a DST change): one local date at a time. */
function plainAdd(cal: BusinessCalendar, start: Date, seconds: number): Date {
  let left = seconds * 1000;
  let day = DateTime.fromJSDate(start, { zone: cal.timezone }).startOf('day');
  for (;;) {
    const weekday = WEEKDAYS[day.weekday - 1];
    const ranges = weekday && !cal.holidays.includes(day.toISODate() ?? '') ? (cal.hours[weekday] ?? []) : [];
    for (const [a, b] of ranges) {
      const open = Math.max(day.plus({ minutes: a }).toMillis(), start.getTime());
      const close = day.plus({ minutes: b }).toMillis();
      if (close <= open) continue;
      if (left <= close - open) return new Date(open + left);
      left -= close - open;
    }
    day = day.plus({ days: 1 });
  }
}

describe('calendars without hours are 24/7 (wall-clock SLAs)', () => {
  it('business time is real time', () => {
    const cal = allHours(NEW_YORK);
    const random = seeded(42);
    for (let i = 0; i < 50; i++) {
      const start = new Date(Date.parse('2026-01-01T00:00:00Z') + Math.floor(random() * 365 * 86_400_000));
      const seconds = Math.floor(random() * 1000 * HOUR);
      expect(addBusinessSeconds(cal, start, seconds).getTime()).toBe(start.getTime() + seconds * 1000);
      expect(isBusinessTime(cal, start)).toBe(true);
    }
  });

  it('holidays it lists still close their day', () => {
    const cal = allHours(MADRID, ['2026-01-06']);
    expect(iso(addBusinessSeconds(cal, at('2026-01-05T23:00'), 2 * HOUR))).toBe(
      '2026-01-07T01:00:00.000+01:00',
    );
  });
});

describe('addBusinessDays (auto-close)', () => {
  const shortFriday = calendar(MADRID, { ...weekdays('09:00-17:00'), fri: '09:00-14:00' });
  it.each<[string, BusinessCalendar, string, number, string]>([
    ['same time 3 business days later', office(), '2026-01-13T15:00', 3, '2026-01-16T15:00:00.000+01:00'],
    ['over a weekend', office(), '2026-01-15T10:30', 3, '2026-01-20T10:30:00.000+01:00'],
    [
      'over a holiday',
      office(MADRID, ['2026-01-14']),
      '2026-01-13T15:00',
      3,
      '2026-01-19T15:00:00.000+01:00',
    ],
    [
      'after closing counts from the next opening',
      office(),
      '2026-01-16T20:00',
      3,
      '2026-01-22T09:00:00.000+01:00',
    ],
    ['on a Saturday counts from Monday', office(), '2026-01-17T10:00', 3, '2026-01-22T09:00:00.000+01:00'],
    [
      'at lunch counts from the afternoon',
      splitOffice(),
      '2026-01-13T13:30',
      1,
      '2026-01-14T14:00:00.000+01:00',
    ],
    ['clamped to a short day', shortFriday, '2026-01-13T15:00', 3, '2026-01-16T14:00:00.000+01:00'],
    ['0 days is the next opening', office(), '2026-01-17T10:00', 0, '2026-01-19T09:00:00.000+01:00'],
    ['across the spring change', office(), '2026-03-26T15:00', 2, '2026-03-30T15:00:00.000+02:00'],
    [
      '24/7: same wall time next day, 23 h later',
      allHours(MADRID),
      '2026-03-28T12:00',
      1,
      '2026-03-29T12:00:00.000+02:00',
    ],
    [
      '24/7: same wall time next day, 25 h later',
      allHours(MADRID),
      '2026-10-24T12:00',
      1,
      '2026-10-25T12:00:00.000+01:00',
    ],
    [
      '24/7: a skipped wall time moves to the change',
      allHours(MADRID),
      '2026-03-28T02:30',
      1,
      '2026-03-29T03:00:00.000+02:00',
    ],
    [
      '24/7: a repeated wall time is its first pass',
      allHours(MADRID),
      '2026-10-24T02:30',
      1,
      '2026-10-25T02:30:00.000+02:00',
    ],
  ])('%s', (_, cal, start, days, expected) => {
    expect(iso(addBusinessDays(cal, at(start), days))).toBe(expected);
  });

  it.each([-1, 1.5])('refuses %s days', (days) => {
    expect(() => addBusinessDays(office(), at('2026-01-13T15:00'), days)).toThrow(RangeError);
  });
});

describe('calendar input', () => {
  it('maps a desk', () => {
    const desk = {
      timezone: MADRID,
      businessHours: { mon: [[540, 1020]] as [number, number][] },
      holidays: ['2026-01-06'],
    };
    expect(deskCalendar(desk)).toEqual({
      timezone: MADRID,
      hours: desk.businessHours,
      holidays: ['2026-01-06'],
    });
  });

  it('refuses an unknown zone and a malformed holiday', () => {
    expect(() => addBusinessSeconds(calendar('Mars/Olympus', {}), at('2026-01-13T10:00'), 60)).toThrow(
      /time zone/,
    );
    expect(() => addBusinessSeconds(office(MADRID, ['2026-02-30']), at('2026-01-13T10:00'), 60)).toThrow(
      /holiday/,
    );
  });

  it('a calendar open only on days that are holidays for years still finds the day after them', () => {
    const mondays: string[] = [];
    for (let d = DateTime.fromISO('2026-01-05', { zone: 'utc' }); d.year < 2036; d = d.plus({ weeks: 1 })) {
      mondays.push(d.toISODate() ?? '');
    }
    const cal = calendar(MADRID, { mon: '09:00-10:00' }, mondays);
    expect(iso(addBusinessSeconds(cal, at('2026-01-01T00:00'), HOUR))).toBe('2036-01-07T10:00:00.000+01:00');
  });
});
