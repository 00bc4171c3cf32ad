import type { types } from '@slack/bolt';
import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import type { VisibleTicket } from '../../tickets/show.js';
import { linkItem, originText, ticketTop } from '../card/ticketCard.js';
import { ACTION } from '../ids.js';
import { context, fileLink, type KnownBlock, plain, section, slackDate } from '../kit/elements.js';

/**
 * A ticket as `/ticket TKT042` shows it (ephemeral): the card's fields, the whole picture (files,
 * links, where it came from) and the actions the viewer may take.
 */
export interface DetailsLinks {
  /** The card in the desk channel (desk members). */
  card?: string | undefined;
  /** The requester's conversation with the desk (the requester). */
  conversation?: string | undefined;
  /** The Slack message the ticket was made from. */
  source?: string | undefined;
}

export function ticketDetails(
  visible: VisibleTicket,
  links: DetailsLinks,
  actions: types.ActionsBlockElement[] = [],
  history: KnownBlock[] = [],
): { text: string; blocks: KnownBlock[] } {
  const ticket = visible.ticket;
  const blocks = ticketTop(visible);
  if (visible.attachments.length > 0) {
    blocks.push(section(`:paperclip: *Files*\n${visible.attachments.slice(0, 20).map(fileLink).join('\n')}`));
  }
  if (visible.links.length > 0)
    blocks.push(section(`:link: *Links*\n${visible.links.slice(0, 20).map(linkItem).join('\n')}`));
  const where = [
    `Opened ${slackDate(ticket.createdAt)}`,
    ticket.source === 'email'
      ? originText(ticket)
      : links.source
        ? `from <${links.source}|a Slack message>`
        : undefined,
    `last activity ${slackDate(ticket.lastActivityAt)}`,
  ].filter(Boolean);
  blocks.push(context([where.join(' · ')]));

  const linkButtons: types.Button[] = [];
  if (links.card)
    linkButtons.push({
      type: 'button',
      text: plain('Open card'),
      url: links.card,
      action_id: `${ACTION.openLink}_card`,
    });
  if (links.conversation) {
    linkButtons.push({
      type: 'button',
      text: plain('Your conversation'),
      url: links.conversation,
      action_id: `${ACTION.openLink}_conversation`,
    });
  }
  blocks.push(...history);
  const elements = [...actions, ...linkButtons].slice(0, 25);
  if (elements.length > 0) blocks.push({ type: 'actions', elements });
  return { text: `${ticket.folio}: ${escapeMrkdwn(ticket.subject)}`, blocks };
}
