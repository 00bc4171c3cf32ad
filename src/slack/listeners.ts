import type { App } from '@slack/bolt';
import { adminListeners } from './admin/listeners.js';
import type { SlackServices } from './context.js';
import { homeListeners } from './home/listeners.js';
import { refreshHome } from './home/render.js';
import { ACTION, COMMAND, SHORTCUT, VIEW } from './ids.js';
import { listPage } from './listeners/actions/listPage.js';
import { showTicket } from './listeners/actions/showTicket.js';
import { ticketCommand } from './listeners/commands/ticket.js';
import { createFromMessageShortcut } from './listeners/shortcuts/createFromMessage.js';
import { newTicketShortcut } from './listeners/shortcuts/newTicket.js';
import { createTicketSubmission } from './listeners/views/createTicket.js';
import { workflowListeners } from './listeners/workflow.js';
import {
  action,
  command,
  globalShortcut,
  messageShortcut,
  type Registration,
  registerAll,
  view,
} from './registry.js';

/** Link buttons open their URL in the browser; Slack still sends the click, which needs an ack. */
const ackOnly = async ({ ack }: { ack: () => Promise<void> }) => ack();

/** Ways into a ticket, lists, search. */
function intakeListeners(s: SlackServices): Registration[] {
  return [
    command(COMMAND, ticketCommand(s)),
    globalShortcut(SHORTCUT.newTicket, newTicketShortcut(s)),
    messageShortcut(SHORTCUT.createFromMessage, createFromMessageShortcut(s)),
    view(VIEW.createTicket, createTicketSubmission(s)),
    action(ACTION.openLink, ackOnly),
    action(ACTION.showTicket, showTicket(s)),
    action(ACTION.listPage, listPage(s)),
  ];
}

/** Every Slack listener of the app. */
export function listeners(s: SlackServices): Registration[] {
  return [
    ...intakeListeners(s),
    ...workflowListeners(s),
    ...homeListeners(s),
    ...adminListeners(s, refreshHome(s)),
  ];
}

export function registerListeners(app: App, s: SlackServices): void {
  registerAll(app, listeners(s));
}
