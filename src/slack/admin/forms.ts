import { z } from 'zod';
import type { CategoryValues } from '../../desks/admin/categories.js';
import type { NewDeskValues } from '../../desks/admin/createDesk.js';
import type { DeskFormValues } from '../../desks/admin/editDesk.js';
import { TEMPLATE_NAMES, WEEKDAYS } from '../../desks/model.js';
import { ADMIN_INPUT, hoursInput, slaInput, templateInput } from '../ids.js';
import { type StateValues, selectedOf, textOf, userOf } from '../kit/state.js';
import { SLA_PRIORITIES } from './modals/deskSla.js';

/**
 * Reading the administration modals' submissions into the configuration file's notation (the use cases
 * validate them with the file's schema). Pure. An input absent from the submitted view is left out, so
 * that it keeps its stored value — except the optional ones a person can empty, which mean "none".
 */

const ids = z.array(z.string());
const block = (values: StateValues, id: string): Record<string, unknown> | undefined => values[id]?.[id];
const has = (values: StateValues, id: string): boolean => block(values, id) !== undefined;

const conversationOf = (values: StateValues, id: string): string | undefined => {
  const selected = block(values, id)?.selected_conversation;
  return typeof selected === 'string' && selected !== '' ? selected : undefined;
};
const usersOf = (values: StateValues, id: string): string[] => {
  const parsed = ids.safeParse(block(values, id)?.selected_users);
  return parsed.success ? parsed.data : [];
};
const checkedOf = (values: StateValues, id: string): string[] =>
  (values[id]?.[id]?.selected_options ?? []).map((checked) => checked.value);

/** Text lists: commas, semicolons or line breaks between items. */
export const splitList = (text: string): string[] =>
  text
    .split(/[,;\n]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** A number input's value; Slack's client only submits numbers, anything else reads as NaN (refused). */
function numberOf(values: StateValues, id: string): number {
  const raw = textOf(values, id).trim();
  return /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

export function readDeskSettings(values: StateValues): DeskFormValues {
  return {
    ...(has(values, ADMIN_INPUT.name) ? { name: textOf(values, ADMIN_INPUT.name) } : {}),
    ...(has(values, ADMIN_INPUT.channel) ? { channel: conversationOf(values, ADMIN_INPUT.channel) } : {}),
    ...(has(values, ADMIN_INPUT.escalationChannel)
      ? { escalationChannel: conversationOf(values, ADMIN_INPUT.escalationChannel) }
      : {}),
    ...(has(values, ADMIN_INPUT.mailbox)
      ? { mailbox: textOf(values, ADMIN_INPUT.mailbox).trim() || undefined }
      : {}),
    ...(has(values, ADMIN_INPUT.private)
      ? { private: checkedOf(values, ADMIN_INPUT.private).includes('private') }
      : {}),
    ...(has(values, ADMIN_INPUT.members) ? { members: usersOf(values, ADMIN_INPUT.members) } : {}),
    ...(has(values, ADMIN_INPUT.leads) ? { leads: usersOf(values, ADMIN_INPUT.leads) } : {}),
    ...(has(values, ADMIN_INPUT.assignment)
      ? // Any other value is refused by the desk schema's enum.
        { assignment: selectedOf(values, ADMIN_INPUT.assignment) as DeskFormValues['assignment'] }
      : {}),
    ...(has(values, ADMIN_INPUT.autoCloseAfterDays)
      ? { autoCloseAfterDays: numberOf(values, ADMIN_INPUT.autoCloseAfterDays) }
      : {}),
  };
}

/** The desk a new desk takes its calendar from. */
export const readLikeDesk = (values: StateValues): string => selectedOf(values, ADMIN_INPUT.like) ?? '';

export function readNewDesk(values: StateValues): NewDeskValues {
  const settings = readDeskSettings(values);
  return {
    ...settings,
    key: textOf(values, ADMIN_INPUT.key).trim(),
    name: settings.name ?? '',
  };
}

export function readDeskSla(values: StateValues): DeskFormValues {
  const sla = Object.fromEntries(
    SLA_PRIORITIES.map((priority) => {
      const next = textOf(values, slaInput(priority, 'nextResponse')).trim();
      return [
        priority,
        {
          firstResponse: textOf(values, slaInput(priority, 'firstResponse')),
          resolution: textOf(values, slaInput(priority, 'resolution')),
          ...(next ? { nextResponse: next } : {}),
        },
      ];
    }),
  );
  return { sla, reminders: splitList(textOf(values, ADMIN_INPUT.reminders)) };
}

export function readDeskHours(values: StateValues): DeskFormValues {
  const businessHours = Object.fromEntries(
    WEEKDAYS.flatMap((day) => {
      const intervals = splitList(textOf(values, hoursInput(day)));
      return intervals.length > 0 ? [[day, intervals]] : [];
    }),
  );
  return {
    timezone: textOf(values, ADMIN_INPUT.timezone).trim(),
    businessHours,
    holidays: textOf(values, ADMIN_INPUT.holidays)
      .split(/[\s,;]+/)
      .filter(Boolean),
  };
}

export function readDeskTemplates(values: StateValues): DeskFormValues {
  return {
    templates: Object.fromEntries(
      TEMPLATE_NAMES.flatMap((name) => {
        const template = textOf(values, templateInput(name));
        return template.trim() ? [[name, template]] : [];
      }),
    ),
  };
}

export function readCategory(values: StateValues): CategoryValues {
  return {
    name: textOf(values, ADMIN_INPUT.name),
    desk: selectedOf(values, ADMIN_INPUT.desk) ?? '',
    owner: userOf(values, ADMIN_INPUT.owner) ?? null,
  };
}
