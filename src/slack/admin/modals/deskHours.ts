import type { types } from '@slack/bolt';
import { formatInterval } from '../../../desks/admin/deskInput.js';
import type { Desk } from '../../../desks/directory.js';
import { WEEKDAYS, type Weekday } from '../../../desks/model.js';
import { escapeMrkdwn } from '../../../lib/mrkdwn.js';
import { ADMIN_INPUT, ADMIN_VIEW, hoursInput } from '../../ids.js';
import { context } from '../../kit/elements.js';
import { adminModal, input, text } from './common.js';

/** A desk's calendar: time zone, weekly business hours and holidays (SLA clocks run only in them). */

export const WEEKDAY_LABEL: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export function deskHoursModal(desk: Desk, version: string): types.ModalView {
  const blocks: types.KnownBlock[] = [
    context([`*${escapeMrkdwn(desk.name)}*: SLA clocks count only these hours. A day left empty is closed.`]),
    input(ADMIN_INPUT.timezone, 'Time zone', text(ADMIN_INPUT.timezone, desk.timezone, { max: 60 }), {
      hint: 'An IANA time zone such as Europe/Madrid or America/New_York.',
    }),
    ...WEEKDAYS.map((day) =>
      input(
        hoursInput(day),
        WEEKDAY_LABEL[day],
        text(hoursInput(day), desk.businessHours[day]?.map(formatInterval).join(', '), {
          max: 100,
          placeholder: '09:00-17:00, or 09:00-13:00, 14:00-18:00',
        }),
        { optional: true },
      ),
    ),
    input(
      ADMIN_INPUT.holidays,
      'Holidays',
      text(ADMIN_INPUT.holidays, desk.holidays.join('\n'), {
        multiline: true,
        max: 3000,
        placeholder: '2025-12-25',
      }),
      { optional: true, hint: 'Closed dates, one per line, written YYYY-MM-DD.' },
    ),
  ];
  return adminModal({
    callbackId: ADMIN_VIEW.hours,
    title: 'Hours & holidays',
    submit: 'Save',
    metadata: { d: desk.key, v: version },
    blocks,
  });
}
