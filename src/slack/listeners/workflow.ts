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
} from './workflow/buttons.js';
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
} from './workflow/submissions.js';

/** Working a ticket: card actions and their modals, the requester's buttons. */
export function workflowListeners(s: SlackServices): Registration[] {
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
