/**
 * Ids of the administration surfaces (App Home area and modals). Action ids are matched by prefix:
 * none may be another's prefix followed by `_`, here or in src/slack/ids.ts and src/slack/home/ids.ts.
 */

/** Buttons and selects of the Home's administration area. */
export const ADMIN_ACTION = {
  newDesk: 'folio_admin_new_desk',
  /** The selects open a form for the chosen desk. Value: the desk key. */
  deskSettings: 'folio_admin_open_settings',
  deskSla: 'folio_admin_open_sla',
  deskHours: 'folio_admin_open_hours',
  deskTemplates: 'folio_admin_open_templates',
  newCategory: 'folio_admin_new_category',
  /** Value: the category id. */
  category: 'folio_admin_open_category',
} as const;

/** Modal callback ids. */
export const ADMIN_VIEW = {
  newDesk: 'folio_admin_desk_new',
  settings: 'folio_admin_desk_settings',
  sla: 'folio_admin_desk_sla',
  hours: 'folio_admin_desk_hours',
  templates: 'folio_admin_desk_templates',
  category: 'folio_admin_category',
} as const;

/**
 * Inputs of the administration modals: block_id = action_id. Names follow the desk's fields
 * (docs/administration.md), so that a validation error on `sla.high.resolution` lands beside
 * `sla_high_resolution`.
 */
export const ADMIN_INPUT = {
  key: 'key',
  name: 'name',
  channel: 'channel',
  escalationChannel: 'escalationChannel',
  private: 'private',
  members: 'members',
  leads: 'leads',
  assignment: 'assignment',
  autoCloseAfterDays: 'autoCloseAfterDays',
  reminders: 'reminders',
  timezone: 'timezone',
  holidays: 'holidays',
  desk: 'desk',
  owner: 'owner',
  /** New desk: the desk whose calendar it takes. */
  like: 'like',
} as const;

export const slaInput = (priority: string, target: 'firstResponse' | 'nextResponse' | 'resolution'): string =>
  `sla_${priority}_${target}`;
export const hoursInput = (day: string): string => `hours_${day}`;
export const templateInput = (name: string): string => `template_${name}`;
