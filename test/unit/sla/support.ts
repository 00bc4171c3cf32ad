import { DateTime } from 'luxon';
import { type BusinessHoursInput, businessHoursSchema, WEEKDAYS } from '../../../src/desks/model.js';
import type { BusinessCalendar } from '../../../src/sla/calendar.js';

/** Shared helpers of the SLA unit tests: calendars written as in the config file, local instants. */

export const MADRID = 'Europe/Madrid';
export const NEW_YORK = 'America/New_York';

/** A calendar from config-file syntax, parsed by the real schema. */
export function calendar(
  timezone: string,
  hours: BusinessHoursInput,
  holidays: readonly string[] = [],
): BusinessCalendar {
  return { timezone, hours: businessHoursSchema.parse(hours), holidays };
}

const weekdays = (range: string | string[]): BusinessHoursInput => ({
  mon: range,
  tue: range,
  wed: range,
  thu: range,
  fri: range,
});
const everyDay = (range: string | string[]): BusinessHoursInput =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, range]));

export const office = (timezone = MADRID, holidays: readonly string[] = []) =>
  calendar(timezone, weekdays('09:00-17:00'), holidays);
export const splitOffice = (timezone = MADRID) =>
  calendar(timezone, { ...weekdays(['09:00-13:00', '14:00-18:00']), sat: '10:00-12:00' });
/** Open every night across the hours a DST change skips or repeats. */
export const nightShift = (timezone: string, range = '01:00-04:00') => calendar(timezone, everyDay(range));
/** No hours configured: wall-clock time. */
export const allHours = (timezone: string, holidays: readonly string[] = []) =>
  calendar(timezone, {}, holidays);
/** Open 00:00–24:00 every day, written out: the general code path rather than the wall-clock one. */
export const explicit24x7 = (timezone: string, holidays: readonly string[] = []) =>
  calendar(timezone, everyDay('00:00-24:00'), holidays);
export { everyDay, weekdays };

/** The instant of a wall-clock time in a zone ("2026-03-27T16:00"). Must not be ambiguous. */
export function at(local: string, zone = MADRID): Date {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad test instant ${local}`);
  return dt.toJSDate();
}

/** An instant written in a zone's wall-clock time with its offset: "2026-03-30T12:00:00.000+02:00". */
export function iso(d: Date | null | undefined, zone = MADRID): string | null {
  return d ? DateTime.fromJSDate(d, { zone }).toISO() : null;
}

/** A small seeded generator (mulberry32): the same "random" cases on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const HOUR = 3600;
export const MINUTE = 60;
