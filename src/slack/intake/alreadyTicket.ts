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

export function alreadyTicketText(t: AlreadyTicket | undefined): string {
  return t
    ? `This message is already *${t.folio}*: ${escapeMrkdwn(t.subject)} (${STATUS_LABEL[t.status]}).`
    : 'This message is already a ticket of a private desk.';
}

export function alreadyTicketMessage(t: AlreadyTicket | undefined): { text: string; blocks: KnownBlock[] } {
  const text = alreadyTicketText(t);
  if (!t) return { text, blocks: [section(text)] };
  return {
    text,
    blocks: [
      {
        ...section(text),
        accessory: {
          type: 'button',
          action_id: ACTION.showTicket,
          text: plain(`View ${t.folio}`),
          value: t.folio,
        },
      },
    ],
  };
}

export function alreadyTicketModal(t: AlreadyTicket | undefined): types.ModalView {
  return noticeModal(
    'Already a ticket',
    `${alreadyTicketText(t)}\nType \`/ticket ${t?.folio ?? ''}\` to see it.`.trim(),
  );
}
