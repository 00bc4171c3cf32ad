import { IANAZone } from 'luxon';
import { type BusinessHours, type DeskSettings, WEEKDAYS } from '../desks/model.js';

/**
 * Business time in a desk's calendar: pure arithmetic over instants (no I/O, no clock; time is always
 * passed in). Everything the SLA clock needs: add, subtract and measure business time, and step
 * business days for auto-close.
 *
 * Rules chosen
 * - Business hours are wall-clock ranges [start, end) in minutes per weekday of the desk's IANA zone;
 *   a holiday (YYYY-MM-DD, a date in that zone) closes its whole local day.
 * - An instant is business time when its wall clock in the zone reads a time inside a range of its
 *   own local date (offsets come from luxon's tz database). So every range has its real length on a
 *   DST day: 09:00–17:00 is 8 h either way; a range crossing the skipped hour is shorter by it
 *   (01:00–04:00 lasts 2 h on a spring-forward night) and one crossing the repeated hour is longer
 *   (4 h on a fall-back night: both passes of the repeated hour count). A range bound that falls in
 *   the skipped hour opens or closes at the change itself; one that falls in the repeated hour is met
 *   twice, and only the instants whose wall clock reads inside the range count.
 * - A calendar with no open range on any weekday is open around the clock (24/7): a desk that
 *   configures no hours gets wall-clock SLAs, so a DST night counts its real 23 or 25 hours. Its
 *   holidays, if it lists any, still close their days.
 * - addBusinessSeconds gives the earliest instant by which `seconds` of business time have elapsed:
 *   from outside hours the count starts at the next opening, and an amount that is used up exactly at
 *   a closing is due at that closing (Friday 17:00, not Monday 09:00). Adding 0 returns the start
 *   itself, even outside hours: nothing is left to wait for (a clock resumed with 0 s left is due
 *   now). subtractBusinessSeconds is the mirror image: the latest instant from which `seconds` of
 *   business time remain until `end` (1 h before a Monday 09:30 due is Friday 16:30). A negative
 *   amount goes the other way.
 * - Instants keep their milliseconds; amounts are seconds (fractions are rounded to the millisecond);
 *   businessSecondsBetween counts whole seconds, truncated toward zero, negative when `to` < `from`.
 *   For whole-second amounts, businessSecondsBetween(start, addBusinessSeconds(start, s)) === s.
 * - addBusinessDays and nextBusinessDayOpening: see their comments.
 *
 * Why wall times are resolved here and not with DateTime.fromObject: luxon reads an ambiguous wall
 * time (the repeated hour) with the offset in force *today* (Settings.now), so the same fall-back
 * night would come out differently in summer and in winter. Here the offsets on either side of a
 * change are read from luxon's IANAZone and the change instant is found by bisection, which is exact
 * and deterministic. Assumed (true of the tz database today): a zone changes its offset at most
 * once within two days and never changes it and back within a week, and a fall-back never takes the
 * wall clock back to the previous date from a time after midnight.
 *
 * Efficiency: work is per local day, never per minute; whole weeks without a holiday or an offset
 * change are skipped at once, so a target of hundreds of hours or years of holidays costs a few
 * hundred steps (20 years of business time with 200 holidays: about 30 ms). A zone's offsets around a date are memoised
 * across calls (deterministic, bounded). Termination: every week has open hours, so a run of closed
 * days is bounded by the holidays; a longer run raises an error instead of looping.
 */

export interface BusinessCalendar {
  /** IANA time zone, e.g. Europe/Madrid. */
  timezone: string;
  hours: BusinessHours;
  /** Closed local dates, YYYY-MM-DD in the calendar's zone. */
  holidays: readonly string[];
}

/** What a desk's calendar is made of. */
export type DeskCalendarSettings = Pick<DeskSettings, 'timezone' | 'businessHours' | 'holidays'>;

/** The calendar a desk's SLA clocks run on. */
export function deskCalendar(desk: DeskCalendarSettings): BusinessCalendar {
  return { timezone: desk.timezone, hours: desk.businessHours, holidays: desk.holidays };
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const DAY_MINUTES = 24 * 60;
/** Offsets range from UTC−12 to UTC+14: the instants of a local date lie in this window around it. */
const MAX_AHEAD_MS = 14 * HOUR_MS;
const MAX_BEHIND_MS = 12 * HOUR_MS;

type Interval = readonly [start: number, end: number];

interface ZoneDay {
  /** Offset (ms) in force at the start of the day's window, and at its end. */
  before: number;
  after: number;
  /** The instant the offset changes, when it does within the day's window. */
  change: number | null;
}

interface Prepared {
  zone: IANAZone;
  /** Open ranges in minutes, sorted and merged, by weekday index (0 = mon). */
  ranges: readonly (readonly Interval[])[];
  /** Business ms of a week that has no holiday and no offset change. */
  weekMs: number;
  /** Open around the clock with no holidays: business time is real time. */
  wallClock: boolean;
  holidays: ReadonlySet<number>;
  holidayDays: readonly number[];
  /** Longest run of closed days the holidays can explain; beyond it the calendar is broken. */
  maxClosedRun: number;
  intervals: Map<number, readonly Interval[]>;
}

function prepare(cal: BusinessCalendar): Prepared {
  const zone = IANAZone.create(cal.timezone);
  if (!zone.isValid) throw new RangeError(`"${cal.timezone}" is not an IANA time zone`);

  let ranges = WEEKDAYS.map((day) => normalizeRanges(cal.hours[day] ?? []));
  // A calendar without any open hours is open around the clock (wall-clock SLAs).
  if (ranges.every((dayRanges) => dayRanges.length === 0))
    ranges = WEEKDAYS.map(() => [[0, DAY_MINUTES] as const]);
  const weekMs = ranges.reduce(
    (sum, dayRanges) => sum + dayRanges.reduce((dayMs, [start, end]) => dayMs + (end - start) * MINUTE_MS, 0),
    0,
  );

  const holidayDays = [...new Set(cal.holidays.map(parseDate))].sort((a, b) => a - b);
  const wallClock =
    holidayDays.length === 0 &&
    ranges.every(
      (dayRanges) => dayRanges.length === 1 && dayRanges[0]?.[0] === 0 && dayRanges[0][1] === DAY_MINUTES,
    );

  return {
    zone,
    ranges,
    weekMs,
    wallClock,
    holidays: new Set(holidayDays),
    holidayDays,
    maxClosedRun: 7 * (holidayDays.length + 3),
    intervals: new Map(),
  };
}

/** Clamps to one day, drops empty ranges, sorts and merges overlapping or touching ones. */
function normalizeRanges(input: readonly (readonly [number, number])[]): Interval[] {
  const clamped = input
    .map(
      ([start, end]) =>
        [Math.max(0, Math.min(DAY_MINUTES, start)), Math.max(0, Math.min(DAY_MINUTES, end))] as const,
    )
    .filter(([start, end]) => start < end)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of clamped) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * A local date as a day number (days since 1970-01-01). Plain civil-calendar arithmetic: no zone is
 * involved in naming a date.
 */
function parseDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [year, month, dayOfMonth] = match
    ? [Number(match[1]), Number(match[2]), Number(match[3])]
    : [0, 0, 0];
  const ms = Date.UTC(year, month - 1, dayOfMonth);
  const back = new Date(ms);
  if (
    !match ||
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== dayOfMonth
  ) {
    throw new RangeError(`holiday "${text}" is not a date written YYYY-MM-DD`);
  }
  return ms / DAY_MS;
}

/** 1970-01-01 was a Thursday (index 3 in mon..sun). */
const weekdayIndex = (day: number) => (((day + 3) % 7) + 7) % 7;

function offsetMs(prepared: Prepared, at: number): number {
  const minutes = prepared.zone.offset(at);
  if (!Number.isFinite(minutes)) throw new RangeError(`instant ${at} is out of range`);
  return minutes * MINUTE_MS;
}

/** The local date an instant falls on, in the calendar's zone. */
function localDay(prepared: Prepared, at: number): number {
  return Math.floor((at + offsetMs(prepared, at)) / DAY_MS);
}

/**
 * A zone's offsets around a local date depend only on the zone and the date, so they are memoised
 * across calls (the sweep asks about the same few days for every clock of a desk). Bounded.
 */
const zoneDayMemo = new Map<string, ZoneDay>();
const ZONE_DAY_MEMO_SIZE = 20_000;

function zoneDay(prepared: Prepared, day: number): ZoneDay {
  const key = `${prepared.zone.name}|${day}`;
  const cached = zoneDayMemo.get(key);
  if (cached) return cached;
  const lo = day * DAY_MS - MAX_AHEAD_MS;
  const hi = (day + 1) * DAY_MS + MAX_BEHIND_MS;
  const before = offsetMs(prepared, lo);
  const after = offsetMs(prepared, hi);
  const result: ZoneDay = {
    before,
    after,
    change: before === after ? null : findChange(prepared, lo, hi, before),
  };
  if (zoneDayMemo.size >= ZONE_DAY_MEMO_SIZE) zoneDayMemo.clear();
  zoneDayMemo.set(key, result);
  return result;
}

/** The first instant in (lo, hi] whose offset is not `before` (bisection: about 28 steps). */
function findChange(prepared: Prepared, lo: number, hi: number, before: number): number {
  let unchanged = lo;
  let changed = hi;
  while (changed - unchanged > 1) {
    const mid = Math.floor((unchanged + changed) / 2);
    if (offsetMs(prepared, mid) === before) unchanged = mid;
    else changed = mid;
  }
  return changed;
}

/** The open intervals (instants, sorted, disjoint) of a local date. */
function intervalsOf(prepared: Prepared, day: number): readonly Interval[] {
  const cached = prepared.intervals.get(day);
  if (cached) return cached;
  const ranges = prepared.ranges[weekdayIndex(day)] ?? [];
  let result: Interval[] = [];
  if (ranges.length > 0 && !prepared.holidays.has(day)) {
    const { before, after, change } = zoneDay(prepared, day);
    const pieces: [number, number][] = [];
    for (const [startMinute, endMinute] of ranges) {
      // The instants whose wall clock reads inside [startMinute, endMinute) on this date: those before
      // the change read it with the old offset, those after with the new one.
      const wallStart = day * DAY_MS + startMinute * MINUTE_MS;
      const wallEnd = day * DAY_MS + endMinute * MINUTE_MS;
      if (change === null) {
        pieces.push([wallStart - before, wallEnd - before]);
        continue;
      }
      const oldOffsetStart = wallStart - before;
      const oldOffsetEnd = Math.min(wallEnd - before, change);
      if (oldOffsetStart < oldOffsetEnd) pieces.push([oldOffsetStart, oldOffsetEnd]);
      const newOffsetStart = Math.max(wallStart - after, change);
      const newOffsetEnd = wallEnd - after;
      if (newOffsetStart < newOffsetEnd) pieces.push([newOffsetStart, newOffsetEnd]);
    }
    pieces.sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of pieces) {
      const last = merged[merged.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    result = merged;
  }
  prepared.intervals.set(day, result);
  return result;
}

/**
 * The instant a wall time (ms after local midnight) of a local date stands for: the first one when the
 * wall time is repeated, the change itself when it is skipped.
 */
function wallToInstant(prepared: Prepared, day: number, wall: number): number {
  const { before, after, change } = zoneDay(prepared, day);
  const first = day * DAY_MS + wall - before;
  if (change === null || first < change) return first;
  const second = day * DAY_MS + wall - after;
  return Math.max(second, change); // a skipped wall time stands for the change itself
}

/** True when the seven days from `day` have their nominal business time: no holiday, no offset change. */
function regularWeek(prepared: Prepared, day: number): boolean {
  if (prepared.weekMs === 0) return false;
  const i = lowerBound(prepared.holidayDays, day);
  const next = prepared.holidayDays[i];
  if (next !== undefined && next < day + 7) return false;
  return (
    offsetMs(prepared, day * DAY_MS - MAX_AHEAD_MS) === offsetMs(prepared, (day + 7) * DAY_MS + MAX_BEHIND_MS)
  );
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? Number.POSITIVE_INFINITY) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function closedTooLong(prepared: Prepared): Error {
  return new RangeError(
    `the business calendar (${prepared.zone.name}) has no open hours for over ${prepared.maxClosedRun} days in a row`,
  );
}

/** The earliest instant ≥ `from` + `amount` ms of business time (amount > 0). */
function forward(prepared: Prepared, from: number, amount: number): number {
  if (prepared.wallClock) return from + amount;
  let day = localDay(prepared, from);
  let left = amount;
  let closedRun = 0;
  for (let first = true; ; first = false) {
    if (!first && left > prepared.weekMs && regularWeek(prepared, day)) {
      left -= prepared.weekMs;
      day += 7;
      closedRun = 0;
      continue;
    }
    let open = false;
    for (const [start, end] of intervalsOf(prepared, day)) {
      if (end <= from) continue;
      const since = Math.max(start, from);
      open = true;
      if (left <= end - since) return since + left;
      left -= end - since;
    }
    closedRun = open ? 0 : closedRun + 1;
    if (closedRun > prepared.maxClosedRun) throw closedTooLong(prepared);
    day += 1;
  }
}

/** The latest instant ≤ `to` with `amount` ms of business time from it to `to` (amount > 0). */
function backward(prepared: Prepared, to: number, amount: number): number {
  if (prepared.wallClock) return to - amount;
  let day = localDay(prepared, to);
  let left = amount;
  let closedRun = 0;
  for (let first = true; ; first = false) {
    if (!first && left > prepared.weekMs && regularWeek(prepared, day - 6)) {
      left -= prepared.weekMs;
      day -= 7;
      closedRun = 0;
      continue;
    }
    let open = false;
    const intervals = intervalsOf(prepared, day);
    for (let i = intervals.length - 1; i >= 0; i--) {
      const interval = intervals[i];
      if (!interval || interval[0] >= to) continue;
      const [start, end] = interval;
      const until = Math.min(end, to);
      open = true;
      if (left <= until - start) return until - left;
      left -= until - start;
    }
    closedRun = open ? 0 : closedRun + 1;
    if (closedRun > prepared.maxClosedRun) throw closedTooLong(prepared);
    day -= 1;
  }
}

/** Business ms in [from, to), from ≤ to. */
function measure(prepared: Prepared, from: number, to: number): number {
  if (prepared.wallClock) return to - from;
  const first = localDay(prepared, from);
  const last = localDay(prepared, to);
  let total = 0;
  for (let day = first; day <= last; ) {
    // Days strictly between the two ends lie wholly inside [from, to).
    if (day > first && day + 7 <= last && regularWeek(prepared, day)) {
      total += prepared.weekMs;
      day += 7;
      continue;
    }
    for (const [start, end] of intervalsOf(prepared, day)) {
      const since = Math.max(start, from);
      const until = Math.min(end, to);
      if (until > since) total += until - since;
    }
    day += 1;
  }
  return total;
}

/** The earliest business instant at or after `from`. */
function nextOpen(prepared: Prepared, from: number): number {
  if (prepared.wallClock) return from;
  let day = localDay(prepared, from);
  for (let closedRun = 0; closedRun <= prepared.maxClosedRun; closedRun++) {
    for (const [start, end] of intervalsOf(prepared, day)) if (end > from) return Math.max(start, from);
    day += 1;
  }
  throw closedTooLong(prepared);
}

function instant(at: Date, name: string): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

function amountMs(seconds: number): number {
  if (!Number.isFinite(seconds)) throw new RangeError(`${seconds} is not a number of seconds`);
  return Math.round(seconds * SECOND_MS);
}

/** The instant when `seconds` of business time have elapsed after `start` (see the rules above). */
export function addBusinessSeconds(cal: BusinessCalendar, start: Date, seconds: number): Date {
  const from = instant(start, 'start');
  const ms = amountMs(seconds);
  if (ms === 0) return new Date(from);
  const prepared = prepare(cal);
  return new Date(ms > 0 ? forward(prepared, from, ms) : backward(prepared, from, -ms));
}

/** The latest instant from which `seconds` of business time remain until `end`. */
export function subtractBusinessSeconds(cal: BusinessCalendar, end: Date, seconds: number): Date {
  const to = instant(end, 'end');
  const ms = amountMs(seconds);
  if (ms === 0) return new Date(to);
  const prepared = prepare(cal);
  return new Date(ms > 0 ? backward(prepared, to, ms) : forward(prepared, to, -ms));
}

/** Whole seconds of business time from `from` to `to`, truncated toward zero; negative when to < from. */
export function businessSecondsBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const fromMs = instant(from, 'from');
  const toMs = instant(to, 'to');
  if (fromMs === toMs) return 0;
  const prepared = prepare(cal);
  const seconds =
    fromMs < toMs
      ? Math.floor(measure(prepared, fromMs, toMs) / SECOND_MS)
      : -Math.floor(measure(prepared, toMs, fromMs) / SECOND_MS);
  return seconds === 0 ? 0 : seconds; // never -0
}

/** Whether `at` is inside the calendar's open hours. */
export function isBusinessTime(cal: BusinessCalendar, at: Date): boolean {
  const atMs = instant(at, 'at');
  const prepared = prepare(cal);
  if (prepared.wallClock) return true;
  return intervalsOf(prepared, localDay(prepared, atMs)).some(([start, end]) => start <= atMs && atMs < end);
}

/** The earliest business instant at or after `at` (`at` itself when the desk is open). */
export function nextBusinessInstant(cal: BusinessCalendar, at: Date): Date {
  return new Date(nextOpen(prepare(cal), instant(at, 'at')));
}

/**
 * `days` business days after `start`, for auto-close ("no answer within N business days").
 *
 * A business day is a local date with open hours that is not a holiday. The count starts from the
 * first business instant at or after `start` (a ticket resolved on Saturday counts from Monday's
 * opening); the result is the same wall-clock time on the `days`-th following business day, so each
 * of the N days has fully gone by. When that day's hours do not contain that time, it is moved to the
 * day's next opening, or to its last closing when none is left (a short Friday): always on that day.
 * 0 days gives the first business instant itself. In a 24/7 calendar this is the same wall-clock time
 * N dates later: 23 or 25 real hours per day across a DST night.
 */
export function addBusinessDays(cal: BusinessCalendar, start: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`${days} is not a whole number of days ≥ 0`);
  const prepared = prepare(cal);
  const from = nextOpen(prepared, instant(start, 'start'));
  if (days === 0) return new Date(from);
  let day = localDay(prepared, from);
  const wall = from + offsetMs(prepared, from) - day * DAY_MS;
  for (let counted = 0, closedRun = 0; counted < days; ) {
    day += 1;
    if (intervalsOf(prepared, day).length > 0) {
      counted += 1;
      closedRun = 0;
    } else if (++closedRun > prepared.maxClosedRun) {
      throw closedTooLong(prepared);
    }
  }
  const target = wallToInstant(prepared, day, wall);
  const intervals = intervalsOf(prepared, day);
  for (const [opens, closes] of intervals) if (target < closes) return new Date(Math.max(opens, target));
  const last = intervals[intervals.length - 1];
  return new Date(last ? last[1] : target);
}

/** Whether the calendar lists any open hours (without any, it is open around the clock). */
export function hasBusinessHours(cal: BusinessCalendar): boolean {
  return WEEKDAYS.some((day) => normalizeRanges(cal.hours[day] ?? []).length > 0);
}

/**
 * The opening of the next business day: the start of the first open range of the first business day
 * (a local date with open hours that is not a holiday, as for addBusinessDays) after the local date
 * of `at`. Always a later date, even when `at` is before that date's own opening. In a calendar
 * without hours every date but a holiday is a business day, opening at midnight.
 */
export function nextBusinessDayOpening(cal: BusinessCalendar, at: Date): Date {
  const prepared = prepare(cal);
  let day = localDay(prepared, instant(at, 'at'));
  for (let closedRun = 0; closedRun <= prepared.maxClosedRun; closedRun++) {
    day += 1;
    const [first] = intervalsOf(prepared, day);
    if (first) return new Date(first[0]);
  }
  throw closedTooLong(prepared);
}
