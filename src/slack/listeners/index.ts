import type { App } from '@slack/bolt';
import type { Services } from '../../services.js';
import { ACTION, COMMAND, SHORTCUT, VIEW } from '../ids.js';
import { ticketCommand } from './commands/ticket.js';
import { newTicketShortcut } from './shortcuts/newTicket.js';
import { createTicketSubmission } from './views/createTicket.js';

/**
 * Every Slack listener, in one table: the entry point registers them from here, and a test checks
 * the table against ids.ts and manifest.json.
 */
export function listeners(services: Services) {
  return {
    commands: { [COMMAND]: ticketCommand(services) },
    globalShortcuts: { [SHORTCUT.newTicket]: newTicketShortcut(services) },
    views: { [VIEW.createTicket]: createTicketSubmission(services) },
    actions: {
      // Link buttons open their URL in the browser; Slack still sends the click, which needs an ack.
      [ACTION.openLink]: async ({ ack }: { ack: () => Promise<void> }) => ack(),
    },
  };
}

export function registerListeners(app: App, services: Services): void {
  const l = listeners(services);
  for (const [name, handler] of Object.entries(l.commands)) app.command(name, handler);
  for (const [id, handler] of Object.entries(l.globalShortcuts))
    app.shortcut({ callback_id: id, type: 'shortcut' }, handler);
  for (const [id, handler] of Object.entries(l.views)) app.view(id, handler);
  for (const [id, handler] of Object.entries(l.actions)) app.action(id, handler);
}
