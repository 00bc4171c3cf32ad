import { describe, expect, it } from 'vitest';
import { type BusinessHoursInput, businessHoursSchema } from '../../../src/desks/model.js';
import { nextOpenMorning } from '../../../src/tickets/workflow/nextOpenMorning.js';
import { at, iso, MADRID, NEW_YORK, weekdays } from '../sla/support.js';

/**
 * The snooze modal's suggestion: the desk's next open morning, from its calendar. Instants are written
 * in the desk's wall-clock time and compared as ISO strings with their offset.
 */

const TOKYO = 'Asia/Tokyo';

/** A desk's calendar settings, its hours written as in the config file. */
const desk = (timezone: string, hours: BusinessHoursInput, holidays: string[] = []) => ({
  timezone,
  businessHours: businessHoursSchema.parse(hours),
  holidays,
});

const office = (timezone = MADRID, holidays: string[] = []) =>
  desk(timezone, weekdays('09:00-17:00'), holidays);
const withoutHours = (timezone: string, holidays: string[] = []) => desk(timezone, {}, holidays);

type Case = [what: string, settings: ReturnType<typeof desk>, now: string, zone: string, suggested: string];

describe('nextOpenMorning', () => {
  it.each<Case>([
    // 2026-01-16 is a Friday.
    [
      'a Friday evening: Monday’s opening',
      office(),
      '2026-01-16T18:30',
      MADRID,
      '2026-01-19T09:00:00.000+01:00',
    ],
    [
      'a Friday during hours: Monday’s opening',
      office(),
      '2026-01-16T11:00',
      MADRID,
      '2026-01-19T09:00:00.000+01:00',
    ],
    ['a Saturday: Monday’s opening', office(), '2026-01-17T10:00', MADRID, '2026-01-19T09:00:00.000+01:00'],
    ['a Tuesday: Wednesday’s opening', office(), '2026-01-13T15:00', MADRID, '2026-01-14T09:00:00.000+01:00'],
    [
      'before today’s opening: still the next business day',
      office(),
      '2026-01-13T07:00',
      MADRID,
      '2026-01-14T09:00:00.000+01:00',
    ],
    [
      'the day before a holiday: the opening after it',
      office(MADRID, ['2026-01-06']),
      '2026-01-05T16:00',
      MADRID,
      '2026-01-07T09:00:00.000+01:00',
    ],
    [
      'the day before a Friday holiday: Monday’s opening',
      office(MADRID, ['2026-04-03']),
      '2026-04-02T16:00',
      MADRID,
      '2026-04-06T09:00:00.000+02:00',
    ],
    [
      'across the spring-forward weekend: Monday’s opening in summer time',
      office(),
      '2026-03-27T18:00',
      MADRID,
      '2026-03-30T09:00:00.000+02:00',
    ],
    [
      'hours opening at different times: the next business day’s first range',
      desk(MADRID, { ...weekdays(['10:00-13:00', '14:00-18:00']), sat: '11:00-13:00' }),
      '2026-01-16T18:30',
      MADRID,
      '2026-01-17T11:00:00.000+01:00',
    ],
    [
      'a desk in New York on a Thursday evening, already Friday in UTC: Friday’s opening there',
      office(NEW_YORK),
      '2026-01-15T21:00',
      NEW_YORK,
      '2026-01-16T09:00:00.000-05:00',
    ],
    [
      'a desk in New York on a Friday evening: Monday’s opening there',
      office(NEW_YORK),
      '2026-01-16T17:30',
      NEW_YORK,
      '2026-01-19T09:00:00.000-05:00',
    ],
    [
      'a desk in Tokyo on a Friday morning, still Thursday in UTC: Monday’s opening there',
      office(TOKYO),
      '2026-01-16T08:00',
      TOKYO,
      '2026-01-19T09:00:00.000+09:00',
    ],
    [
      'a desk without hours: the next day at 09:00 in its time zone',
      withoutHours(MADRID),
      '2026-01-16T18:30',
      MADRID,
      '2026-01-17T09:00:00.000+01:00',
    ],
    [
      'a desk without hours, in UTC, just after midnight: the next day, not the same',
      withoutHours('UTC'),
      '2026-01-16T00:30',
      'UTC',
      '2026-01-17T09:00:00.000Z',
    ],
    [
      'a desk without hours in New York, already the next day in UTC: the next local day',
      withoutHours(NEW_YORK),
      '2026-01-15T21:00',
      NEW_YORK,
      '2026-01-16T09:00:00.000-05:00',
    ],
    [
      'a desk without hours whose next day is a holiday: the day after',
      withoutHours(MADRID, ['2026-01-17']),
      '2026-01-16T18:30',
      MADRID,
      '2026-01-18T09:00:00.000+01:00',
    ],
  ])('%s', (_, settings, now, zone, suggested) => {
    expect(iso(nextOpenMorning(settings, at(now, zone)), zone)).toBe(suggested);
  });

  it('depends only on the time it is given', () => {
    const friday = at('2026-01-16T18:30');
    expect(nextOpenMorning(office(), friday)).toEqual(nextOpenMorning(office(), new Date(friday)));
  });
});
