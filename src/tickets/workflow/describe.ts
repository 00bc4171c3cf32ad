import type { TicketEventRow } from '../../db/schema/index.js';
import { PRIORITY_LABEL, parsePriority } from '../../domain/priority.js';
import { parseStatus, STATUS_LABEL } from '../../domain/status.js';
import { escapeMrkdwn, mentionUser, truncate } from '../../lib/mrkdwn.js';

/**
 * One audit event as a sentence in mrkdwn, for a ticket's timeline and for "what changed since you
 * opened this". Unknown types read as their name, so an old event never breaks a timeline.
 */
export function describeEvent(e: Pick<TicketEventRow, 'type' | 'actorId' | 'data'>): string {
  const who = e.actorId ? mentionUser(e.actorId) : 'Folio';
  const d = e.data;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const person = (k: string) => {
    const v = str(k);
    return v ? mentionUser(v) : 'nobody';
  };
  const status = (k: string) => {
    const v = str(k);
    const parsed = v ? parseStatus(v) : undefined;
    return parsed ? STATUS_LABEL[parsed] : (v ?? '?');
  };
  const priority = (k: string) => {
    const v = str(k);
    const parsed = v ? parsePriority(v) : undefined;
    return parsed ? PRIORITY_LABEL[parsed] : (v ?? '?');
  };
  const clock = (k: string) => (str(k) ?? 'SLA').replace('_', ' ');
  const quote = (k: string) => {
    const v = str(k);
    return v ? `: “${escapeMrkdwn(truncate(v, 140))}”` : '';
  };
  switch (e.type) {
    case 'ticket.created':
      return `${who} opened it`;
    case 'ticket.taken':
      return `${who} took it`;
    case 'ticket.assigned':
      return str('to') ? `${who} assigned it to ${person('to')}` : `${who} put it back in To assign`;
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
      return `${who} snoozed it until ${str('until') ? `<!date^${Math.floor(Date.parse(str('until') ?? '') / 1000)}^{date_short_pretty} {time}|${str('until')}>` : '?'}${quote('reason')}`;
    case 'ticket.woken':
      return str('reason') === 'requester_replied'
        ? 'It woke up: the requester replied'
        : `${who} woke it up`;
    case 'ticket.linked':
      return `${who} linked ${str('folio') ? `*${escapeMrkdwn(str('folio') ?? '')}*` : escapeMrkdwn(str('title') ?? str('url') ?? 'a task')}`;
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
      return `${who}: ${escapeMrkdwn(e.type)}`;
  }
}
