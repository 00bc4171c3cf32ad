import type { types } from '@slack/bolt';
import type { LinkRow } from '../../db/schema/index.js';
import { PRIORITY_LABEL, type Priority } from '../../domain/priority.js';
import { STATUS_LABEL, type Status } from '../../domain/status.js';
import { escapeMrkdwn, escapeTruncated, mentionUser, truncate } from '../../lib/mrkdwn.js';
import type { TicketDetails } from '../../tickets/details.js';
import { CARD_BLOCK } from '../ids.js';
import { context, fileLink, type KnownBlock, mrkdwn, plain, section, slackDate } from '../kit/elements.js';
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
} as const;

/** How much of the description the card shows; the full text stays on the ticket. */
export const CARD_DESCRIPTION_MAX = 2900;

export const ticketHeader = (folio: string, subject: string) => truncate(`${folio} · ${subject}`, 150);

/** When the desk promised to act, and whether the promise is broken. */
export function slaDueText(d: Pick<TicketDetails, 'slaDue' | 'slaBreached'>): string {
  if (!d.slaDue) return '—';
  return d.slaBreached ? `:warning: ${slackDate(d.slaDue)} (overdue)` : slackDate(d.slaDue);
}

/** A link of a ticket: a task by its title, another ticket by folio and subject. */
export const linkItem = (l: Pick<LinkRow, 'url' | 'title'>): string =>
  l.url
    ? `<${l.url}|${escapeMrkdwn(truncate(l.title ?? l.url, 80))}>`
    : escapeMrkdwn(truncate(l.title ?? 'ticket', 80));

/** The top of a ticket wherever it is shown: folio and subject, its fields, its description. */
export function ticketTop(d: TicketDetails): KnownBlock[] {
  const t = d.ticket;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(ticketHeader(t.folio, t.subject), 150) },
    { type: 'section', fields: ticketFields(d) },
  ];
  if (t.description) blocks.push(section(escapeTruncated(t.description, CARD_DESCRIPTION_MAX)));
  return blocks;
}

export function ticketFields(d: TicketDetails): types.MrkdwnElement[] {
  const t = d.ticket;
  return [
    mrkdwn(`*Status*\n${STATUS_EMOJI[t.status]} ${STATUS_LABEL[t.status]}`),
    mrkdwn(`*Priority*\n${PRIORITY_EMOJI[t.priority]} ${PRIORITY_LABEL[t.priority]}`),
    mrkdwn(`*Requester*\n${mentionUser(t.requesterId)}`),
    mrkdwn(`*Assignee*\n${t.assigneeId ? mentionUser(t.assigneeId) : '_Unassigned: in To assign_'}`),
    mrkdwn(`*Category*\n${d.category ? escapeMrkdwn(d.category.name) : '—'}`),
    mrkdwn(`*Desk*\n${escapeMrkdwn(d.desk.name)}`),
    mrkdwn(`*SLA due*\n${slaDueText(d)}`),
  ];
}

export function ticketCard(d: TicketDetails): { text: string; blocks: KnownBlock[] } {
  const t = d.ticket;
  const blocks = ticketTop(d);
  if (d.attachments.length > 0) {
    const more = d.attachments.length > 10 ? ` and ${d.attachments.length - 10} more` : '';
    blocks.push(context([`:paperclip: ${d.attachments.slice(0, 10).map(fileLink).join(', ')}${more}`]));
  }
  if (d.links.length > 0) blocks.push(context([`:link: ${d.links.slice(0, 10).map(linkItem).join(', ')}`]));
  if (t.snoozedUntil) {
    const reason = t.snoozeReason ? `: ${escapeMrkdwn(truncate(t.snoozeReason, 300))}` : '';
    blocks.push(context([`:zzz: Snoozed until ${slackDate(t.snoozedUntil)}${reason}`]));
  }
  if (t.status === 'resolved' && t.resolutionNote) {
    blocks.push(context([`:white_check_mark: ${escapeMrkdwn(truncate(t.resolutionNote, 500))}`]));
  }
  const origin = t.sourcePermalink
    ? `<${t.sourcePermalink}|${SOURCE_LABEL[t.source]}>`
    : SOURCE_LABEL[t.source];
  blocks.push(
    context([
      `Opened ${slackDate(t.createdAt)} from ${origin} · last activity ${slackDate(t.lastActivityAt)}`,
    ]),
  );
  blocks.push({ type: 'actions', block_id: CARD_BLOCK.actions, elements: deskActions(t) });
  // The notification text: what a push or a screen reader says. Escaped like everything typed.
  const text = `${t.folio}: ${escapeMrkdwn(truncate(t.subject, 150))} (${STATUS_LABEL[t.status]}, ${PRIORITY_LABEL[t.priority]})`;
  return { text, blocks };
}
