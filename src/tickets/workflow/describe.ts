import type { TicketEventRow } from '../../db/schema/index.js';
import { PRIORITY_LABEL, parsePriority } from '../../domain/priority.js';
import { SLACK_USER_ID } from '../../domain/slackIds.js';
import { parseStatus, STATUS_LABEL } from '../../domain/status.js';
import { escapeMrkdwn, mentionUser, truncate } from '../../lib/mrkdwn.js';

/** A Slack member as a mention; anyone else (a sender known by mail address) as plain text. */
const personMrkdwn = (who: string): string =>
  SLACK_USER_ID.test(who) ? mentionUser(who) : escapeMrkdwn(who);

/**
 * One audit event as a sentence in mrkdwn, for a ticket's timeline and for "what changed since you
 * opened this". Unknown types read as their name, so an old event never breaks a timeline.
 */
export function describeEvent(event: Pick<TicketEventRow, 'type' | 'actorId' | 'data'>): string {
  const who = event.actorId ? personMrkdwn(event.actorId) : 'Folio';
  const data = event.data;
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  const person = (key: string) => {
    const value = text(key);
    return value ? personMrkdwn(value) : 'nobody';
  };
  const status = (key: string) => {
    const value = text(key);
    const parsed = value ? parseStatus(value) : undefined;
    return parsed ? STATUS_LABEL[parsed] : (value ?? '?');
  };
  const priority = (key: string) => {
    const value = text(key);
    const parsed = value ? parsePriority(value) : undefined;
    return parsed ? PRIORITY_LABEL[parsed] : (value ?? '?');
  };
  const clock = (key: string) => (text(key) ?? 'SLA').replace('_', ' ');
  const quote = (key: string) => {
    const value = text(key);
    return value ? `: “${escapeMrkdwn(truncate(value, 140))}”` : '';
  };
  switch (event.type) {
    case 'ticket.created':
      return `${who} opened it`;
    case 'ticket.taken':
      return `${who} took it`;
    case 'ticket.assigned':
      return text('to') ? `${who} assigned it to ${person('to')}` : `${who} put it back in To assign`;
    case 'ticket.status_changed':
      return `${who} moved it from ${status('from')} to ${status('to')}${quote('note')}`;
    case 'ticket.priority_changed':
      return `${who} changed the priority from ${priority('from')} to ${priority('to')}${quote('reason')}`;
    case 'ticket.replied':
      return `${who} replied to the requester${quote('excerpt')}`;
    case 'ticket.requester_commented':
      return `${who} wrote${quote('excerpt')}`;
    case 'ticket.note_added':
      return `${who} added an internal note`;
    case 'ticket.snoozed':
      return `${who} snoozed it until ${text('until') ? `<!date^${Math.floor(Date.parse(text('until') ?? '') / 1000)}^{date_short_pretty} {time}|${text('until')}>` : '?'}${quote('reason')}`;
    case 'ticket.woken':
      return text('reason') === 'requester_replied'
        ? 'It woke up: the requester replied'
        : `${who} woke it up`;
    case 'ticket.linked':
      return `${who} linked ${text('folio') ? `*${escapeMrkdwn(text('folio') ?? '')}*` : escapeMrkdwn(text('title') ?? text('url') ?? 'a task')}`;
    case 'ticket.confirmed':
      return `${who} confirmed the fix`;
    case 'ticket.reopened':
      return `${who} reopened it${quote('excerpt')}`;
    case 'ticket.escalated':
      return `${who} escalated it: the desk’s promise was overdue`;
    case 'sla.reminder':
      return `Folio reminded the desk: the ${clock('clock')} deadline is near`;
    case 'sla.breached':
      return `Folio escalated it: the ${clock('clock')} deadline passed`;
    case 'ticket.auto_closed':
      return 'Folio closed it: nobody answered after it was resolved';
    case 'comment.edited':
      return `${who} edited a comment`;
    case 'comment.deleted':
      return `${who} deleted a comment`;
    default:
      return `${who}: ${escapeMrkdwn(event.type)}`;
  }
}
