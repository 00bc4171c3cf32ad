import type { App } from '@slack/bolt';
import type { SlackServices } from '../context.js';
import { ACTION, COMMAND, SHORTCUT, VIEW } from '../ids.js';
import { listPage } from './actions/listPage.js';
import { showTicket } from './actions/showTicket.js';
import { ticketCommand } from './commands/ticket.js';
import { createFromMessageShortcut } from './shortcuts/createFromMessage.js';
import { newTicketShortcut } from './shortcuts/newTicket.js';
import { createTicketSubmission } from './views/createTicket.js';

/** Link buttons open their URL in the browser; Slack still sends the click, which needs an ack. */
const ackOnly = async ({ ack }: { ack: () => Promise<void> }) => ack();

/**
 * Every Slack listener, in one table: the entry point registers them from here, and a test checks
 * the table against ids.ts and manifest.json. Action ids match by prefix: a message may hold several
 * buttons of one kind (`folio_list_page_0`, `folio_list_page_1`).
 */
export function listeners(s: SlackServices) {
  return {
    commands: { [COMMAND]: ticketCommand(s) },
    globalShortcuts: { [SHORTCUT.newTicket]: newTicketShortcut(s) },
    messageShortcuts: { [SHORTCUT.createFromMessage]: createFromMessageShortcut(s) },
    views: { [VIEW.createTicket]: createTicketSubmission(s) },
    actions: {
      [ACTION.openLink]: ackOnly,
      [ACTION.showTicket]: showTicket(s),
      [ACTION.listPage]: listPage(s),
    },
  };
}

export function registerListeners(app: App, s: SlackServices): void {
  const l = listeners(s);
  for (const [name, handler] of Object.entries(l.commands)) app.command(name, handler);
  for (const [id, handler] of Object.entries(l.globalShortcuts))
    app.shortcut({ callback_id: id, type: 'shortcut' }, handler);
  for (const [id, handler] of Object.entries(l.messageShortcuts)) {
    app.shortcut({ callback_id: id, type: 'message_action' }, handler);
  }
  for (const [id, handler] of Object.entries(l.views)) app.view(id, handler);
  for (const [id, handler] of Object.entries(l.actions)) app.action(new RegExp(`^${id}(_\\w+)?$`), handler);
}
