import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { TicketRow } from '../../db/schema/index.js';
import { allowedTargets, isActive } from '../../domain/status.js';
import { ACTION } from '../ids.js';
import { plain } from '../kit/elements.js';
import { ticketRefSchema, ticketRefValue } from '../kit/ticketRef.js';

/** The buttons a desk member gets on a card and under `/ticket TKT042`. */

export const MORE_OPTIONS = ['link_task', 'link_ticket', 'resolve', 'close', 'wake'] as const;
export type MoreOption = (typeof MORE_OPTIONS)[number];

/** The value of an option of the "More" menu: the ticket, its version, the choice (≤ 150 characters). */
export const moreValueSchema = ticketRefSchema.extend({ o: z.enum(MORE_OPTIONS) });
export type MoreValue = z.infer<typeof moreValueSchema>;

const MORE_LABEL: Record<MoreOption, string> = {
  link_task: 'Link a task',
  link_ticket: 'Link a ticket',
  resolve: 'Resolve',
  close: 'Close',
  wake: 'Wake up now',
};

type Ticket = Pick<TicketRow, 'id' | 'version' | 'status' | 'assigneeId' | 'snoozedUntil'>;

export function deskActions(ticket: Ticket): types.ActionsBlockElement[] {
  const value = ticketRefValue(ticket.id, ticket.version);
  const button = (action_id: string, text: string, style?: 'primary'): types.Button => ({
    type: 'button',
    action_id,
    text: plain(text),
    value,
    ...(style ? { style } : {}),
  });
  const active = isActive(ticket.status);
  const elements: types.ActionsBlockElement[] = [];
  if (active) {
    elements.push(
      button(
        ACTION.take,
        ticket.assigneeId ? 'Take over' : 'Take',
        ticket.assigneeId ? undefined : 'primary',
      ),
    );
    elements.push(button(ACTION.assign, 'Assign'));
  }
  // A closed ticket has no move left for the desk (only its requester reopens it).
  if (allowedTargets(ticket.status, 'responder').length > 0) elements.push(button(ACTION.status, 'Status'));
  if (active) elements.push(button(ACTION.priority, 'Priority'));
  elements.push(button(ACTION.reply, 'Reply to requester'));
  if (active && !ticket.snoozedUntil) elements.push(button(ACTION.snooze, 'Snooze'));

  const options: MoreOption[] = ['link_task', 'link_ticket'];
  if (active) options.push('resolve');
  if (ticket.status === 'resolved') options.push('close');
  if (ticket.snoozedUntil) options.push('wake');
  elements.push({
    type: 'overflow',
    action_id: ACTION.more,
    options: options.map((option) => ({
      text: plain(MORE_LABEL[option], 75),
      value: JSON.stringify({ t: ticket.id, v: ticket.version, o: option }),
    })),
  });
  return elements;
}

/** The requester's way to escalate an overdue ticket, with a confirmation. */
export function requesterEscalateAction(ticket: Pick<TicketRow, 'id' | 'version' | 'folio'>): types.Button {
  return {
    type: 'button',
    action_id: ACTION.escalate,
    text: plain('Escalate'),
    value: ticketRefValue(ticket.id, ticket.version),
    confirm: {
      title: plain('Escalate?', 100),
      text: plain(
        `The desk’s leads are alerted that ${ticket.folio} is overdue. You can escalate once it is past its promised time.`,
        300,
      ),
      confirm: plain('Escalate', 30),
      deny: plain('Not now', 30),
    },
  };
}

/** The requester's answer to a resolution, in their DM. */
export function requesterResolutionActions(
  ticket: Pick<TicketRow, 'id' | 'version'>,
): types.ActionsBlockElement[] {
  const value = ticketRefValue(ticket.id, ticket.version);
  return [
    { type: 'button', action_id: ACTION.confirm, text: plain('Confirm, it works'), style: 'primary', value },
    { type: 'button', action_id: ACTION.stillBroken, text: plain('Still broken'), value },
  ];
}
