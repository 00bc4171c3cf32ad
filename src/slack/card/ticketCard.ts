import type { types } from '@slack/bolt';
import type { LinkRow } from '../../db/schema/index.js';
import { PRIORITY_LABEL, type Priority } from '../../domain/priority.js';
import { STATUS_LABEL, type Status } from '../../domain/status.js';
import { escapeMrkdwn, escapeTruncated, mentionUser, truncate } from '../../lib/mrkdwn.js';
import type { TicketDetails } from '../../tickets/details.js';
import { CARD_BLOCK } from '../ids.js';
import { context, fileLink, type KnownBlock, mrkdwn, plain, section, slackDate } from '../kit/elements.js';
import { mailAddressMrkdwn, requesterMrkdwn } from '../kit/requester.js';
import { deskActions } from './ticketActions.js';

/**
 * The ticket card in the desk channel (docs/design.md "Slack surfaces" 4): one message per ticket,
 * re-rendered from the ticket's current state and updated in place after every change.
 */

export const STATUS_EMOJI: Record<Status, string> = {
  open: ':large_green_circle:',
  in_progress: ':large_blue_circle:',
  waiting: ':hourglass_flowing_sand:',
  resolved: ':white_check_mark:',
  closed: ':lock:',
};

export const PRIORITY_EMOJI: Record<Priority, string> = {
  low: ':small_blue_diamond:',
  medium: ':small_orange_diamond:',
  high: ':large_orange_diamond:',
  urgent: ':rotating_light:',
};

const SOURCE_LABEL = {
  slash_command: '/ticket',
  message_shortcut: 'a Slack message',
  global_shortcut: 'the New ticket shortcut',
  api: 'the API',
  email: 'email',
} as const;

/** Shown wherever a ticket from a mail that failed SPF/DKIM/DMARC is shown to the desk. */
export const UNVERIFIED_SENDER_FLAG =
  ':warning: Sender not verified (SPF/DKIM/DMARC failed): treat the From address as unconfirmed.';

/** How much of the description the card shows; the full text stays on the ticket. */
export const CARD_DESCRIPTION_MAX = 2900;

export const ticketHeader = (folio: string, subject: string) => truncate(`${folio} · ${subject}`, 150);

/** When the desk promised to act, and whether the promise is broken. */
export function slaDueText(details: Pick<TicketDetails, 'slaDue' | 'slaBreached'>): string {
  if (!details.slaDue) return '—';
  return details.slaBreached ? `:warning: ${slackDate(details.slaDue)} (overdue)` : slackDate(details.slaDue);
}

/** A link of a ticket: a task by its title, another ticket by folio and subject. */
export const linkItem = (link: Pick<LinkRow, 'url' | 'title'>): string =>
  link.url
    ? `<${link.url}|${escapeMrkdwn(truncate(link.title ?? link.url, 80))}>`
    : escapeMrkdwn(truncate(link.title ?? 'ticket', 80));

/**
 * The top of a ticket wherever it is shown: folio and subject, its fields, a warning when its mail's
 * sender could not be verified, its description.
 */
export function ticketTop(details: TicketDetails): KnownBlock[] {
  const ticket = details.ticket;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(ticketHeader(ticket.folio, ticket.subject), 150) },
    { type: 'section', fields: ticketFields(details) },
  ];
  if (ticket.senderCheck === 'fail') blocks.push(context([UNVERIFIED_SENDER_FLAG]));
  if (ticket.description) blocks.push(section(escapeTruncated(ticket.description, CARD_DESCRIPTION_MAX)));
  return blocks;
}

export function ticketFields(details: TicketDetails): types.MrkdwnElement[] {
  const ticket = details.ticket;
  return [
    mrkdwn(`*Status*\n${STATUS_EMOJI[ticket.status]} ${STATUS_LABEL[ticket.status]}`),
    mrkdwn(`*Priority*\n${PRIORITY_EMOJI[ticket.priority]} ${PRIORITY_LABEL[ticket.priority]}`),
    mrkdwn(`*Requester*\n${requesterMrkdwn(ticket)}`),
    mrkdwn(
      `*Assignee*\n${ticket.assigneeId ? mentionUser(ticket.assigneeId) : '_Unassigned: in To assign_'}`,
    ),
    mrkdwn(`*Category*\n${details.category ? escapeMrkdwn(details.category.name) : '—'}`),
    mrkdwn(`*Desk*\n${escapeMrkdwn(details.desk.name)}`),
    mrkdwn(`*SLA due*\n${slaDueText(details)}`),
  ];
}

/**
 * Where a ticket came from, as the card says it: `from /ticket`, from the Slack message (linked), or
 * `by email from <address>` (the address escaped: it is whatever the mail's From said).
 */
export function originText(
  ticket: Pick<TicketDetails['ticket'], 'source' | 'sourcePermalink' | 'requesterEmail'>,
): string {
  if (ticket.source === 'email')
    return `by email from ${mailAddressMrkdwn(ticket.requesterEmail ?? 'an unknown sender')}`;
  return ticket.sourcePermalink
    ? `from <${ticket.sourcePermalink}|${SOURCE_LABEL[ticket.source]}>`
    : `from ${SOURCE_LABEL[ticket.source]}`;
}

export function ticketCard(details: TicketDetails): { text: string; blocks: KnownBlock[] } {
  const ticket = details.ticket;
  const blocks = ticketTop(details);
  if (details.attachments.length > 0) {
    const more = details.attachments.length > 10 ? ` and ${details.attachments.length - 10} more` : '';
    blocks.push(context([`:paperclip: ${details.attachments.slice(0, 10).map(fileLink).join(', ')}${more}`]));
  }
  if (details.links.length > 0)
    blocks.push(context([`:link: ${details.links.slice(0, 10).map(linkItem).join(', ')}`]));
  if (ticket.snoozedUntil) {
    const reason = ticket.snoozeReason ? `: ${escapeMrkdwn(truncate(ticket.snoozeReason, 300))}` : '';
    blocks.push(context([`:zzz: Snoozed until ${slackDate(ticket.snoozedUntil)}${reason}`]));
  }
  if (ticket.status === 'resolved' && ticket.resolutionNote) {
    blocks.push(context([`:white_check_mark: ${escapeMrkdwn(truncate(ticket.resolutionNote, 500))}`]));
  }
  blocks.push(
    context([
      `Opened ${slackDate(ticket.createdAt)} ${originText(ticket)} · last activity ${slackDate(ticket.lastActivityAt)}`,
    ]),
  );
  blocks.push({ type: 'actions', block_id: CARD_BLOCK.actions, elements: deskActions(ticket) });
  // The notification text: what a push or a screen reader says. Escaped like everything typed.
  const text = `${ticket.folio}: ${escapeMrkdwn(truncate(ticket.subject, 150))} (${STATUS_LABEL[ticket.status]}, ${PRIORITY_LABEL[ticket.priority]})`;
  return { text, blocks };
}
