import type { SlackServices } from '../context.js';
import { SHORTCUT, VIEW } from '../ids.js';
import { globalShortcut, messageShortcut, type Registration, view } from '../registry.js';
import { createFromMessageShortcut } from './createFromMessage.js';
import { createTicketSubmission } from './createTicketSubmission.js';
import { newTicketShortcut } from './newTicket.js';

/**
 * Ways into a ticket: the "New ticket" and "Create ticket" shortcuts, and the create modal's
 * submission (`/ticket` opens the same modal, with openCreateTicket.ts).
 */
export function intakeListeners(services: SlackServices): Registration[] {
  return [
    globalShortcut(SHORTCUT.newTicket, newTicketShortcut(services)),
    messageShortcut(SHORTCUT.createFromMessage, createFromMessageShortcut(services)),
    view(VIEW.createTicket, createTicketSubmission(services)),
  ];
}
