import type { types } from '@slack/bolt';
import { STATUS_LABEL } from '../../domain/status.js';
import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import { ACTION } from '../ids.js';
import { type KnownBlock, noticeModal, plain, section } from '../kit/elements.js';

/** "This message is already TKT042", as an ephemeral answer or as the modal's last view. */

export interface AlreadyTicket {
  folio: string;
  subject: string;
  status: keyof typeof STATUS_LABEL;
}

export function alreadyTicketText(ticket: AlreadyTicket | undefined): string {
  return ticket
    ? `This message is already *${ticket.folio}*: ${escapeMrkdwn(ticket.subject)} (${STATUS_LABEL[ticket.status]}).`
    : 'This message is already a ticket of a private desk.';
}

export function alreadyTicketMessage(ticket: AlreadyTicket | undefined): {
  text: string;
  blocks: KnownBlock[];
} {
  const text = alreadyTicketText(ticket);
  if (!ticket) return { text, blocks: [section(text)] };
  return {
    text,
    blocks: [
      {
        ...section(text),
        accessory: {
          type: 'button',
          action_id: ACTION.showTicket,
          text: plain(`View ${ticket.folio}`),
          value: ticket.folio,
        },
      },
    ],
  };
}

export function alreadyTicketModal(ticket: AlreadyTicket | undefined): types.ModalView {
  return noticeModal(
    'Already a ticket',
    `${alreadyTicketText(ticket)}\nType \`/ticket ${ticket?.folio ?? ''}\` to see it.`.trim(),
  );
}
