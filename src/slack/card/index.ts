import type { SlackServices } from '../context.js';
import { ACTION, VIEW } from '../ids.js';
import { action, type Registration, view } from '../registry.js';
import {
  confirmButton,
  escalateButton,
  moreMenu,
  openTicketModal,
  stillBrokenButton,
  takeButton,
} from './buttons.js';
import {
  assignSubmission,
  linkTaskSubmission,
  linkTicketSubmission,
  prioritySubmission,
  replySubmission,
  resolveSubmission,
  snoozeSubmission,
  statusSubmission,
  stillBrokenSubmission,
} from './submissions.js';

/**
 * Working a ticket: the card's buttons and menu (also under `/ticket TKT042` and in the App Home),
 * the modals they open, and the requester's buttons in their DM (confirm, still broken, escalate).
 */
export function cardListeners(s: SlackServices): Registration[] {
  return [
    action(ACTION.take, takeButton(s)),
    action(ACTION.assign, openTicketModal(s, 'assign')),
    action(ACTION.status, openTicketModal(s, 'status')),
    action(ACTION.priority, openTicketModal(s, 'priority')),
    action(ACTION.reply, openTicketModal(s, 'reply')),
    action(ACTION.snooze, openTicketModal(s, 'snooze')),
    action(ACTION.more, moreMenu(s)),
    action(ACTION.confirm, confirmButton(s)),
    action(ACTION.stillBroken, stillBrokenButton(s)),
    action(ACTION.escalate, escalateButton(s)),
    view(VIEW.assign, assignSubmission(s)),
    view(VIEW.status, statusSubmission(s)),
    view(VIEW.priority, prioritySubmission(s)),
    view(VIEW.reply, replySubmission(s)),
    view(VIEW.snooze, snoozeSubmission(s)),
    view(VIEW.linkTask, linkTaskSubmission(s)),
    view(VIEW.linkTicket, linkTicketSubmission(s)),
    view(VIEW.resolve, resolveSubmission(s)),
    view(VIEW.stillBroken, stillBrokenSubmission(s)),
  ];
}
