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

export const ACTION = {
  /** Link button on the card and in messages; acked and ignored. */
  openLink: 'folio_open_link',
} as const;
