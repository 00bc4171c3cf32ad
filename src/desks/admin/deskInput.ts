import { isDeepStrictEqual } from 'node:util';
import { formatMinutes } from '../../domain/duration.js';
import { PRIORITIES } from '../../domain/priority.js';
import {
  type DeskInput,
  type DeskSettings,
  deskSchema,
  EDITABLE_DESK_FIELDS,
  type EditableDeskField,
  type ReminderThreshold,
  resolveDesk,
  type SlaTarget,
  WEEKDAYS,
} from '../model.js';

/**
 * A desk edited in Slack is written as the configuration file writes it (`30m`, `09:00-17:00`, `75%`)
 * and validated by the file's own schema (desks/model.ts): one set of rules, one set of messages.
 * An admin form changes some fields of the stored desk written this way; the whole desk is then parsed.
 */

const hhmm = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export const formatInterval = ([start, end]: readonly [number, number]): string =>
  `${hhmm(start)}-${hhmm(end)}`;

export const formatReminder = (reminder: ReminderThreshold): string =>
  reminder.kind === 'elapsed_percent' ? `${reminder.value}%` : formatMinutes(reminder.value);

function slaInput(target: SlaTarget) {
  return {
    firstResponse: formatMinutes(target.firstResponse),
    resolution: formatMinutes(target.resolution),
    ...(target.nextResponse === undefined ? {} : { nextResponse: formatMinutes(target.nextResponse) }),
  };
}

/** The stored desk written as the file would write it; parsing it gives the same desk back. */
export function deskToInput(desk: DeskSettings): DeskInput {
  return {
    key: desk.key,
    name: desk.name,
    ...(desk.channel ? { channel: desk.channel } : {}),
    ...(desk.escalationChannel ? { escalationChannel: desk.escalationChannel } : {}),
    ...(desk.mailbox ? { mailbox: desk.mailbox } : {}),
    private: desk.private,
    members: [...desk.members],
    leads: [...desk.leads],
    assignment: desk.assignment,
    autoCloseAfterDays: desk.autoCloseAfterDays,
    folioPrefix: desk.folioPrefix,
    timezone: desk.timezone,
    businessHours: Object.fromEntries(
      WEEKDAYS.flatMap((day) => {
        const intervals = desk.businessHours[day];
        return intervals && intervals.length > 0 ? [[day, intervals.map(formatInterval)]] : [];
      }),
    ),
    holidays: [...desk.holidays],
    sla: Object.fromEntries(PRIORITIES.map((priority) => [priority, slaInput(desk.sla[priority])])),
    reminders: desk.reminders.map(formatReminder),
    templates: { ...desk.templates },
  };
}

export type DeskParse = { ok: true; desk: DeskSettings } | { ok: false; errors: Record<string, string> };

/**
 * Validates a whole desk with the file's schema. Errors are keyed by the path of the field
 * (`sla.high.resolution`, `leads.0`), first message per path. Also refused: a week without business
 * hours, on which SLA clocks could never run out.
 */
export function parseDeskInput(input: DeskInput): DeskParse {
  const parsed = deskSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.map(String).join('.')] ??= issue.message;
    return { ok: false, errors };
  }
  const parsedDesk = parsed.data;
  if (
    !parsedDesk.businessHours ||
    !WEEKDAYS.some((day) => (parsedDesk.businessHours?.[day]?.length ?? 0) > 0)
  ) {
    return {
      ok: false,
      errors: { businessHours: 'Open the desk on at least one day: SLA targets count business hours.' },
    };
  }
  if (!parsedDesk.folioPrefix || !parsedDesk.timezone)
    throw new Error('a stored desk always has a folio prefix and a time zone');
  return {
    ok: true,
    desk: resolveDesk(parsedDesk, {
      folioPrefix: parsedDesk.folioPrefix,
      timezone: parsedDesk.timezone,
      businessHours: {},
      reminders: [],
    }),
  };
}

/** The editable fields whose value differs between two versions of a desk (both in resolveDesk's form). */
export function changedFields(before: DeskSettings, after: DeskSettings): EditableDeskField[] {
  return EDITABLE_DESK_FIELDS.filter((field) => !isDeepStrictEqual(before[field], after[field]));
}

export function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}
