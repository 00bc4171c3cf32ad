import {
  type BusinessCalendar,
  type DeskCalendarSettings,
  deskCalendar,
  hasBusinessHours,
  nextBusinessDayOpening,
} from '../../sla/calendar.js';

/**
 * What snoozing a ticket suggests: the desk's next open morning, when its people are back.
 *
 * - A desk with business hours: the start of the next business day's opening hours in the desk's time
 *   zone, weekends (days without hours) and holidays skipped: Friday evening gives Monday's opening,
 *   the eve of a holiday the opening of the day after it.
 * - A desk without hours (its SLA clocks count every hour): the next day at 09:00 in the desk's time
 *   zone (UTC unless the desk or the file names one), a holiday skipped.
 * - Always a later date than `now`'s in the desk's zone, even before today's opening: a snooze puts
 *   work off to another day.
 *
 * Pure: the time is passed in.
 */
export function nextOpenMorning(desk: DeskCalendarSettings, now: Date): Date {
  const calendar = deskCalendar(desk);
  return nextBusinessDayOpening(
    hasBusinessHours(calendar) ? calendar : { ...calendar, hours: FROM_NINE_EVERY_DAY },
    now,
  );
}

const FROM_NINE: [number, number][] = [[9 * 60, 24 * 60]];

/** The mornings of a desk that keeps no hours, as a calendar: every day opens at 09:00. */
const FROM_NINE_EVERY_DAY: BusinessCalendar['hours'] = {
  mon: FROM_NINE,
  tue: FROM_NINE,
  wed: FROM_NINE,
  thu: FROM_NINE,
  fri: FROM_NINE,
  sat: FROM_NINE,
  sun: FROM_NINE,
};
