import type { OutboxMessage } from '../outbox/messages.js';

/**
 * Where the requester hears about their ticket. A Slack member hears in their DM thread with the app;
 * an external requester (a ticket that came by mail from outside the workspace) hears by mail, from
 * the desk's mailbox. The choice is made when a message is enqueued, so a row's destination never
 * changes while it waits; the mail deliverer skips what a desk without a mailbox cannot send.
 */
export function toRequester(
  ticket: { id: number; requesterId: string | null },
  messages: readonly OutboxMessage[],
): OutboxMessage[] {
  if (ticket.requesterId !== null) return [...messages];
  return messages.map((message) => {
    switch (message.kind) {
      case 'requester.notify':
        if (message.ticketId !== ticket.id) return message;
        return { kind: 'mail.notify', ticketId: message.ticketId, template: message.template };
      case 'requester.reply':
        if (message.ticketId !== ticket.id) return message;
        return { kind: 'mail.reply', ticketId: message.ticketId, commentId: message.commentId };
      default:
        return message;
    }
  });
}
