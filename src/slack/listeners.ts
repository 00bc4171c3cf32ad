import type { App } from '@slack/bolt';
import { adminListeners } from './admin/listeners.js';
import { commandListeners } from './command/index.js';
import type { SlackServices } from './context.js';
import { homeListeners } from './home/listeners.js';
import { refreshHome } from './home/render.js';
import { SHORTCUT, VIEW } from './ids.js';
import { createFromMessageShortcut } from './listeners/shortcuts/createFromMessage.js';
import { newTicketShortcut } from './listeners/shortcuts/newTicket.js';
import { createTicketSubmission } from './listeners/views/createTicket.js';
import { workflowListeners } from './listeners/workflow.js';
import { globalShortcut, messageShortcut, type Registration, registerAll, view } from './registry.js';

/** Ways into a ticket. */
function intakeListeners(s: SlackServices): Registration[] {
  return [
    globalShortcut(SHORTCUT.newTicket, newTicketShortcut(s)),
    messageShortcut(SHORTCUT.createFromMessage, createFromMessageShortcut(s)),
    view(VIEW.createTicket, createTicketSubmission(s)),
  ];
}

/** Every Slack listener of the app. */
export function listeners(s: SlackServices): Registration[] {
  return [
    ...commandListeners(s),
    ...intakeListeners(s),
    ...workflowListeners(s),
    ...homeListeners(s),
    ...adminListeners(s, refreshHome(s)),
  ];
}

export function registerListeners(app: App, s: SlackServices): void {
  registerAll(app, listeners(s));
}
