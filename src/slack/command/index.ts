import type { SlackServices } from '../context.js';
import { ACTION, COMMAND } from '../ids.js';
import { action, command, type Registration } from '../registry.js';
import { listPage } from './listPage.js';
import { openLinkButton } from './openLinkButton.js';
import { showTicketButton } from './showTicketButton.js';
import { ticketCommand } from './ticket.js';

/**
 * `/ticket` and its subcommands, and the buttons of its answers: a list's pages, links, and "View"
 * (which also answers the Home's "Open" and "This message is already TKT042").
 */
export function commandListeners(services: SlackServices): Registration[] {
  return [
    command(COMMAND, ticketCommand(services)),
    action(ACTION.openLink, openLinkButton),
    action(ACTION.showTicket, showTicketButton(services)),
    action(ACTION.listPage, listPage(services)),
  ];
}
