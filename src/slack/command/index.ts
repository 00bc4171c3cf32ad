import type { SlackServices } from '../context.js';
import { ACTION, COMMAND } from '../ids.js';
import { action, command, type Registration } from '../registry.js';
import { listPage } from './listPage.js';
import { showTicketButton } from './showTicketButton.js';
import { ticketCommand } from './ticket.js';

/** Link buttons open their URL in the browser; Slack still sends the click, which needs an ack. */
const ackOnly = async ({ ack }: { ack: () => Promise<void> }) => ack();

/** `/ticket` and its subcommands, and the buttons of its answers: a list's pages, "View", links. */
export function commandListeners(services: SlackServices): Registration[] {
  return [
    command(COMMAND, ticketCommand(services)),
    action(ACTION.openLink, ackOnly),
    action(ACTION.showTicket, showTicketButton(services)),
    action(ACTION.listPage, listPage(services)),
  ];
}
