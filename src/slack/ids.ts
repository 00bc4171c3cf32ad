/**
 * Every callback_id, action_id and block_id Folio uses, in one place. manifest.json repeats the
 * command and shortcut ids; test/manifest.test.ts keeps the two in step.
 */

export const COMMAND = '/ticket';

export const SHORTCUT = {
  /** Message shortcut "Create ticket". */
  createFromMessage: 'folio_create_from_message',
  /** Global shortcut "New ticket". */
  newTicket: 'folio_new_ticket',
} as const;

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

/**
 * Action ids are matched by prefix (`folio_list_page_0`, `folio_list_page_1`): no id may be another's
 * prefix followed by `_`.
 */
export const ACTION = {
  /** Link button on the card and in messages; acked and ignored. */
  openLink: 'folio_open_link',
  /** "View" beside a ticket in a list: shows it. Value: the folio. */
  showTicket: 'folio_show_ticket',
  /** "Next" / "Previous" under a list. Value: the list request (JSON). */
  listPage: 'folio_list_page',
  // Ticket actions (card, `/ticket TKT042`, App Home). Value: the ticket and its version, see
  // blocks/ticketActions.ts.
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
