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
export function cardListeners(services: SlackServices): Registration[] {
  return [
    action(ACTION.take, takeButton(services)),
    action(ACTION.assign, openTicketModal(services, 'assign')),
    action(ACTION.status, openTicketModal(services, 'status')),
    action(ACTION.priority, openTicketModal(services, 'priority')),
    action(ACTION.reply, openTicketModal(services, 'reply')),
    action(ACTION.snooze, openTicketModal(services, 'snooze')),
    action(ACTION.more, moreMenu(services)),
    action(ACTION.confirm, confirmButton(services)),
    action(ACTION.stillBroken, stillBrokenButton(services)),
    action(ACTION.escalate, escalateButton(services)),
    view(VIEW.assign, assignSubmission(services)),
    view(VIEW.status, statusSubmission(services)),
    view(VIEW.priority, prioritySubmission(services)),
    view(VIEW.reply, replySubmission(services)),
    view(VIEW.snooze, snoozeSubmission(services)),
    view(VIEW.linkTask, linkTaskSubmission(services)),
    view(VIEW.linkTicket, linkTicketSubmission(services)),
    view(VIEW.resolve, resolveSubmission(services)),
    view(VIEW.stillBroken, stillBrokenSubmission(services)),
  ];
}
