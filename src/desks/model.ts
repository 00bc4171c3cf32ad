import { validate as isCronExpression } from 'node-cron';
import { z } from 'zod';
import { ASSIGNMENT_STRATEGIES } from '../domain/assignment.js';
import { parseDurationMinutes } from '../domain/duration.js';
import { FOLIO_PREFIX_PATTERN } from '../domain/folio.js';
import { PRIORITIES, type Priority } from '../domain/priority.js';
import { SLACK_CHANNEL_ID, SLACK_USER_ID } from '../domain/slackIds.js';
import { normalizeText } from '../domain/text.js';

/**
 * The desk model: what a desk, a category and the desks configuration are, as zod schemas (desks,
 * their people, SLA targets, reminders, calendars and templates, the categories routed to them, the
 * jobs' schedules); a desk once every default is resolved (resolveDesk); and which of its fields the
 * file sets and an admin may edit, derived from the desk's schema. The configuration file
 * (src/config/desks.ts) and the administration in Slack (src/desks/admin/) validate with the same
 * schemas: one set of rules, one set of messages. `folio.example.yaml` documents every field.
 *
 * Limits: at most 50 desks and 100 categories (a static select holds 100 options), 100 members per
 * desk, names of 1–75 characters (Slack's option text limit), a mailbox of at most 254 characters
 * (the longest address SMTP carries, RFC 5321).
 */

/** How many desks and categories Folio holds, from the file or created in Slack. */
export const MAX_DESKS = 50;
export const MAX_CATEGORIES = 100;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const userId = z.string().regex(SLACK_USER_ID, { error: 'must be a Slack user id such as U0123ABCD' });
const channelId = z.string().regex(SLACK_CHANNEL_ID, {
  error: 'must be a Slack channel id such as C0123ABCD (channel details → About)',
});

/** The longest mail address SMTP carries (RFC 5321: a 256-octet path less its angle brackets). */
export const MAX_MAILBOX_LENGTH = 254;

/**
 * A mail address as Folio compares and stores it: trimmed, in lower case. Mail systems treat the
 * local part as case-insensitive in practice, so `IT@Example.com` and `it@example.com` are one mailbox.
 */
export const normalizeMailbox = (address: string): string => address.trim().toLowerCase();

/** A desk's mailbox: one address (no display name), stored as normalizeMailbox writes it. */
const mailbox = z
  .string()
  .overwrite(normalizeMailbox)
  .max(MAX_MAILBOX_LENGTH, { error: `must be at most ${MAX_MAILBOX_LENGTH} characters` })
  .pipe(z.email({ error: 'must be a mail address such as it@example.com' }));

const duration = z.string().transform((text, ctx) => {
  const minutes = parseDurationMinutes(text);
  if (minutes === undefined || minutes <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration such as 30m, 4h or 1h30m` });
    return z.NEVER;
  }
  return minutes;
});

/** "09:00-17:00" → [540, 1020]: minutes from midnight, end exclusive; "24:00" closes the day. */
const interval = z.string().transform((text, ctx) => {
  const match = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text.trim());
  const start = match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
  const end = match ? Number(match[3]) * 60 + Number(match[4]) : Number.NaN;
  if (!match || Number(match[2]) > 59 || Number(match[4]) > 59 || start >= end || end > 24 * 60) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a time range such as 09:00-17:00` });
    return z.NEVER;
  }
  return [start, end] as [number, number];
});

const dayHours = z
  .preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z.array(interval, { error: 'must be a time range such as 09:00-17:00, or a list of them' }),
  )
  .transform((intervals, ctx) => {
    const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (prev && cur && cur[0] < prev[1]) {
        ctx.addIssue({ code: 'custom', message: 'time ranges of one day must not overlap' });
        return z.NEVER;
      }
    }
    return sorted;
  });

export const businessHoursSchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayHours.optional()])) as Record<
    Weekday,
    z.ZodOptional<typeof dayHours>
  >,
);
export type BusinessHoursInput = z.input<typeof businessHoursSchema>;
/** Minutes-from-midnight intervals per weekday, sorted; a missing day is closed. */
export type BusinessHours = z.output<typeof businessHoursSchema>;

const timezone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA time zone such as Europe/Madrid' },
);

const isoDate = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });

const slaTarget = z.strictObject({
  firstResponse: duration,
  nextResponse: duration.optional(),
  resolution: duration,
});
/** Business minutes to the first response, between responses (optional) and to resolution. */
export type SlaTarget = z.output<typeof slaTarget>;

/** A reminder before a breach: a share of the target elapsed ("75%") or a time left ("30m"). */
const reminderThreshold = z.string().transform((text, ctx) => {
  const pct = /^(\d{1,2})\s*%$/.exec(text.trim());
  if (pct) return { kind: 'elapsed_percent' as const, value: Number(pct[1]) };
  const minutes = parseDurationMinutes(text);
  if (minutes !== undefined && minutes > 0) return { kind: 'minutes_before' as const, value: minutes };
  ctx.addIssue({ code: 'custom', message: `"${text}" is not a reminder such as 75% or 30m` });
  return z.NEVER;
});
export type ReminderThreshold = z.output<typeof reminderThreshold>;

export const TEMPLATE_NAMES = ['created', 'publicReply', 'resolved', 'autoClosed'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

// Names and templates are person-written (in the file or in Slack): stored normalized (domain/text.ts).
const templates = z.strictObject(
  Object.fromEntries(
    TEMPLATE_NAMES.map((name) => [name, z.string().overwrite(normalizeText).min(1).max(2000).optional()]),
  ) as Record<TemplateName, z.ZodOptional<z.ZodString>>,
);

const name = z
  .string()
  .overwrite(normalizeText)
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(75, { error: 'must be at most 75 characters' });

export const DEFAULT_SLA = {
  urgent: { firstResponse: 30, resolution: 4 * 60 },
  high: { firstResponse: 60, resolution: 8 * 60 },
  medium: { firstResponse: 4 * 60, resolution: 24 * 60 },
  low: { firstResponse: 8 * 60, resolution: 40 * 60 },
} satisfies Record<Priority, { firstResponse: number; resolution: number }>;

const DEFAULT_HOURS: BusinessHoursInput = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
};

/**
 * A desk's fields by section, each section edited by one administration form (src/desks/admin/).
 * `key` and `folioPrefix` are in none: they name the desk and its folios, which must stay stable.
 */
const deskSettingsFields = {
  name,
  channel: channelId.optional(),
  escalationChannel: channelId.optional(),
  mailbox: mailbox.optional(),
  private: z.boolean().default(false),
  members: z.array(userId).max(100).default([]),
  leads: z.array(userId).max(100).default([]),
  assignment: z.enum(ASSIGNMENT_STRATEGIES).default('round_robin'),
  autoCloseAfterDays: z.number().int().min(1).max(60).default(3),
};
const deskHoursFields = {
  timezone: timezone.optional(),
  businessHours: businessHoursSchema.optional(),
  holidays: z.array(isoDate).default([]),
};
const deskSlaFields = {
  sla: z
    .strictObject(
      Object.fromEntries(PRIORITIES.map((priority) => [priority, slaTarget.optional()])) as Record<
        Priority,
        z.ZodOptional<typeof slaTarget>
      >,
    )
    .default({}),
  reminders: z.array(reminderThreshold).max(5).optional(),
};
const deskTemplatesFields = { templates: templates.default({}) };

export const deskSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9-]{0,29}$/, {
      error: 'must be 1–30 lowercase letters, digits or dashes, starting with a letter',
    }),
    ...deskSettingsFields,
    folioPrefix: z.string().regex(FOLIO_PREFIX_PATTERN, { error: 'must be 1–10 capital letters' }).optional(),
    ...deskHoursFields,
    ...deskSlaFields,
    ...deskTemplatesFields,
  })
  .superRefine((desk, ctx) => {
    desk.leads.forEach((lead, i) => {
      if (!desk.members.includes(lead)) {
        ctx.addIssue({
          code: 'custom',
          path: ['leads', i],
          message: `${lead} must also be listed in members`,
        });
      }
    });
  });
/** A desk as the file (or an admin form) writes it: `30m`, `09:00-17:00`, `75%`. */
export type DeskInput = z.input<typeof deskSchema>;
/** A desk as validated, before the defaults of the file's top level are resolved. */
export type ParsedDesk = z.output<typeof deskSchema>;

/**
 * `schedules`: when each scheduled job runs, overriding its default (src/jobs/README.md). Cron in
 * UTC, with an optional leading seconds field. Job names are checked against the registry when the
 * scheduler starts, since the configuration does not know which jobs exist.
 */
const cronExpression = z.string().refine((text) => isCronExpression(text), {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a cron expression such as "*/5 * * * *" ([second] minute hour day-of-month month day-of-week, UTC)`,
});
export const schedulesSchema = z.record(z.string(), cronExpression);
/** Job name → cron expression, as written in the configuration's `schedules` section. */
export type JobSchedules = z.output<typeof schedulesSchema>;

export const categorySchema = z.strictObject({
  name,
  desk: z.string(),
  owner: userId.optional(),
});

export const helpdeskConfigSchema = z
  .strictObject({
    folioPrefix: z
      .string()
      .regex(FOLIO_PREFIX_PATTERN, { error: 'must be 1–10 capital letters' })
      .default('TKT'),
    timezone: timezone.default('UTC'),
    businessHours: businessHoursSchema.default(() => businessHoursSchema.parse(DEFAULT_HOURS)),
    reminders: z
      .array(reminderThreshold)
      .max(5)
      .default(() => [{ kind: 'elapsed_percent' as const, value: 75 }]),
    desks: z.array(deskSchema).min(1, { error: 'must list at least one desk' }).max(MAX_DESKS),
    categories: z
      .array(categorySchema)
      .min(1, { error: 'must list at least one category' })
      .max(MAX_CATEGORIES),
    schedules: schedulesSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const keys = new Set<string>();
    const mailboxes = new Map<string, string>();
    config.desks.forEach((desk, i) => {
      if (keys.has(desk.key))
        ctx.addIssue({ code: 'custom', path: ['desks', i, 'key'], message: `"${desk.key}" is used twice` });
      keys.add(desk.key);
      if (!desk.mailbox) return;
      const holder = mailboxes.get(desk.mailbox);
      if (holder !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['desks', i, 'mailbox'],
          message: `"${desk.mailbox}" is the mailbox of both "${holder}" and "${desk.key}": an address belongs to one desk`,
        });
      } else mailboxes.set(desk.mailbox, desk.key);
    });
    const names = new Set<string>();
    config.categories.forEach((category, i) => {
      const lower = category.name.toLowerCase();
      if (names.has(lower)) {
        ctx.addIssue({
          code: 'custom',
          path: ['categories', i, 'name'],
          message: `"${category.name}" is used twice`,
        });
      }
      names.add(lower);
      if (!keys.has(category.desk)) {
        ctx.addIssue({
          code: 'custom',
          path: ['categories', i, 'desk'],
          message: `"${category.desk}" is not a desk key; known desks: ${[...keys].join(', ')}`,
        });
      }
    });
  });

export type HelpdeskConfigInput = z.input<typeof helpdeskConfigSchema>;
export type ParsedHelpdeskConfig = z.output<typeof helpdeskConfigSchema>;

/** A desk with every default resolved: what is stored and what the app runs on. */
export interface DeskSettings
  extends Pick<
    ParsedDesk,
    | 'key'
    | 'name'
    | 'private'
    | 'members'
    | 'leads'
    | 'assignment'
    | 'autoCloseAfterDays'
    | 'holidays'
    | 'templates'
  > {
  channel: string | null;
  escalationChannel: string | null;
  /** The desk's mail address (normalizeMailbox), or null when the desk takes no mail. */
  mailbox: string | null;
  folioPrefix: string;
  timezone: string;
  businessHours: BusinessHours;
  sla: Record<Priority, SlaTarget>;
  reminders: ReminderThreshold[];
}

/** Every field of a desk but its key, in the file's order: what the file sets (src/desks/sync.ts). */
export const DESK_FIELDS = deskSchema.keyof().exclude(['key'])
  .options satisfies readonly (keyof DeskSettings)[];

/** The fields an edit in Slack may change: never `key`, never `folioPrefix` (folios must stay stable). */
export const EDITABLE_DESK_FIELDS = deskSchema.keyof().exclude(['key', 'folioPrefix'])
  .options satisfies readonly (keyof DeskSettings)[];
export type EditableDeskField = (typeof EDITABLE_DESK_FIELDS)[number];

const fieldsOf = <Field extends EditableDeskField>(fields: Record<Field, unknown>) =>
  Object.keys(fields) as Field[];

/** The editable fields by section of the desk, one administration form each. */
export const DESK_SECTIONS = {
  settings: fieldsOf(deskSettingsFields),
  sla: fieldsOf(deskSlaFields),
  hours: fieldsOf(deskHoursFields),
  templates: fieldsOf(deskTemplatesFields),
};
export type DeskSection = keyof typeof DESK_SECTIONS;

export interface CategorySettings extends Pick<z.output<typeof categorySchema>, 'name' | 'desk'> {
  owner: string | null;
  position: number;
}

export interface HelpdeskConfig {
  desks: DeskSettings[];
  categories: CategorySettings[];
  /** Overrides of the jobs' default schedules; absent when the file has no `schedules` section. */
  schedules?: JobSchedules | undefined;
}

/** The seed's categories in one desk. Without a channel, cards wait until one is configured. */
export const DEFAULT_CONFIG_INPUT: HelpdeskConfigInput = {
  desks: [{ key: 'helpdesk', name: 'Helpdesk' }],
  categories: [
    { name: 'Technical support', desk: 'helpdesk' },
    { name: 'HR', desk: 'helpdesk' },
    { name: 'IT', desk: 'helpdesk' },
    { name: 'Other', desk: 'helpdesk' },
  ],
};

/** What a desk takes when it does not say: the file's top-level settings, or what a stored desk had. */
export type DeskDefaults = Pick<DeskSettings, 'folioPrefix' | 'timezone' | 'businessHours' | 'reminders'>;

/**
 * A validated desk with every default resolved, in one canonical form (closed days and unset
 * templates dropped, holidays sorted), so that the file's desks and desks edited in Slack compare
 * field by field (src/desks/merge.ts).
 */
export function resolveDesk(desk: ParsedDesk, defaults: DeskDefaults): DeskSettings {
  return {
    key: desk.key,
    name: desk.name,
    channel: desk.channel ?? null,
    // Without an escalation channel, alerts go to the desk channel.
    escalationChannel: desk.escalationChannel ?? desk.channel ?? null,
    mailbox: desk.mailbox ?? null,
    private: desk.private,
    members: desk.members,
    leads: desk.leads,
    assignment: desk.assignment,
    autoCloseAfterDays: desk.autoCloseAfterDays,
    folioPrefix: desk.folioPrefix ?? defaults.folioPrefix,
    timezone: desk.timezone ?? defaults.timezone,
    businessHours: withoutEmpty(desk.businessHours ?? defaults.businessHours),
    holidays: [...new Set(desk.holidays)].sort(),
    sla: Object.fromEntries(
      PRIORITIES.map((priority) => [priority, desk.sla[priority] ?? DEFAULT_SLA[priority]]),
    ) as Record<Priority, SlaTarget>,
    reminders: desk.reminders ?? defaults.reminders,
    templates: withoutEmpty(desk.templates),
  };
}

/** Drops closed days and unset templates, so that `{ sat: [] }` and `{}` compare equal. */
function withoutEmpty<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, fieldValue]) => fieldValue !== undefined && !(Array.isArray(fieldValue) && fieldValue.length === 0),
    ),
  ) as T;
}

/** A validated configuration with every default resolved; categories keep the file's order. */
export function resolveConfig(config: ParsedHelpdeskConfig): HelpdeskConfig {
  const desks = config.desks.map((desk) => resolveDesk(desk, config));
  const categories = config.categories.map((category, position) => ({
    name: category.name,
    desk: category.desk,
    owner: category.owner ?? null,
    position,
  }));
  return { desks, categories, ...(config.schedules ? { schedules: config.schedules } : {}) };
}
