/**
 * Every callback_id, action_id and block_id Folio uses in Slack, in one place, grouped by surface.
 * manifest.json repeats the command and shortcut ids; test/manifest.test.ts keeps the two in step.
 *
 * Action ids are matched by prefix (`action()` in registry.ts matches `^id(_\w+)?$`, so that several
 * buttons of one kind share a listener: `folio_list_page_0`, `folio_list_page_1`): no action id may
 * equal another or be another followed by `_`. test/unit/slack/ids.test.ts checks every registered one.
 */

// ---- The slash command and the shortcuts (manifest.json declares them) ------------------------------

export const COMMAND = '/ticket';

export const SHORTCUT = {
  /** Message shortcut "Create ticket". */
  createFromMessage: 'folio_create_from_message',
  /** Global shortcut "New ticket". */
  newTicket: 'folio_new_ticket',
} as const;

// ---- Modals (callback ids) --------------------------------------------------------------------------

/** The create modal (intake/) and the modals that work a ticket (card/). */
export const VIEW = {
  createTicket: 'folio_create_ticket',
  assign: 'folio_assign',
  status: 'folio_status',
  priority: 'folio_priority',
  reply: 'folio_reply',
  snooze: 'folio_snooze',
  linkTask: 'folio_link_task',
  linkTicket: 'folio_link_ticket',
  resolve: 'folio_resolve',
  stillBroken: 'folio_still_broken',
} as const;

// ---- Buttons and menus: messages (card, lists, the requester's DM) and the Home's ticket lists ------

/** Matched by prefix: no id may be another followed by `_` (see above). */
export const ACTION = {
  /** Link button on the card and in messages; acked and ignored. */
  openLink: 'folio_open_link',
  /** "View" beside a ticket in a list: shows it. Value: the folio. */
  showTicket: 'folio_show_ticket',
  /** "Next" / "Previous" under a list. Value: the list request (JSON). */
  listPage: 'folio_list_page',
  // Ticket actions (card, `/ticket TKT042`, App Home). Value: the ticket and its version, see
  // card/ticketActions.ts.
  take: 'folio_take',
  assign: 'folio_assign_open',
  status: 'folio_status_open',
  priority: 'folio_priority_open',
  reply: 'folio_reply_open',
  snooze: 'folio_snooze_open',
  /** The card's overflow menu: link a task or a ticket, resolve, close, wake. */
  more: 'folio_more',
  // The requester's buttons in their DM.
  confirm: 'folio_confirm',
  stillBroken: 'folio_still_broken_open',
  /** The requester escalates an overdue ticket. */
  escalate: 'folio_escalate',
} as const;

// ---- Inside the create modal (intake/) --------------------------------------------------------------

/** Inputs of the create-ticket modal: block_id and action_id are the same string. */
export const CREATE_INPUT = {
  subject: 'subject',
  description: 'description',
  category: 'category',
  priority: 'priority',
  desk: 'desk',
  requester: 'requester',
  attachments: 'attachments',
} as const;

/** Blocks of the create modal that are not inputs. */
export const CREATE_BLOCK = {
  /** What came with the Slack message the ticket is made from (its files). */
  messageContext: 'message_context',
} as const;

// ---- Inside the ticket card and its modals (card/) --------------------------------------------------

/** Block ids of the ticket card that are not inputs. */
export const CARD_BLOCK = {
  /** The card's row of buttons. */
  actions: 'ticket_actions',
} as const;

/** Inputs of the workflow modals (block_id = action_id). */
export const WORK_INPUT = {
  assignee: 'assignee',
  status: 'status',
  note: 'note',
  question: 'question',
  priority: 'priority',
  reason: 'reason',
  reply: 'reply',
  files: 'files',
  until: 'until',
  title: 'title',
  url: 'url',
  folio: 'folio',
  resolution: 'resolution',
  details: 'details',
} as const;

// ---- The App Home tab -------------------------------------------------------------------------------

/** Action ids of the App Home tab (`folio_home_resize_more`, `folio_home_resize_fewer`). */
export const HOME_ACTION = {
  /** "Show more" / "Show fewer" under a list. Value: `{ k: list key, n: size }` (JSON). */
  resize: 'folio_home_resize',
  /** The select of desks whose queues are folded: shows that desk's queues first. Value: the desk key. */
  focus: 'folio_home_focus',
} as const;

// ---- Administration (the Home's administration area and its modals) ---------------------------------

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

/**
 * The block of the administration area's controls: a new block id on each publish clears the selects,
 * so choosing the same desk again opens it again.
 */
export const adminAreaBlock = (nonce: string): string => `folio_admin_${nonce}`;

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
  mailbox: 'mailbox',
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
