import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { FolioError, isFolioError } from '../../domain/errors.js';
import { parseStatus } from '../../domain/status.js';
import { reportStillBroken } from '../../tickets/workflow/conversation.js';
import {
  assignTicket,
  type By,
  linkTask,
  linkTicket,
  replyToRequester,
  resolveTicket,
  setPriority,
  setStatus,
  snoozeTicket,
} from '../../tickets/workflow/responder.js';
import type { SlackServices } from '../context.js';
import { WORK_INPUT } from '../ids.js';
import { noticeModal } from '../kit/elements.js';
import { inputBlockIds, parseStateValues, type StateValues } from '../kit/state.js';
import { readTicketRef } from '../kit/ticketRef.js';
import {
  readAssign,
  readLinkTask,
  readLinkTicket,
  readPriority,
  readReply,
  readResolve,
  readSnooze,
  readStatus,
  readStillBroken,
} from './workflowModals.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type Run = (s: SlackServices, values: StateValues, by: By) => Promise<unknown>;

/**
 * Submission of a workflow modal: read it, run the use case with the version the modal was opened
 * on, close the modal. Bad input, and text the database cannot store, are answered beside the field,
 * the form kept; a refusal (someone changed the ticket
 * meanwhile, a move the rules forbid, no right to act) replaces the modal with the reason.
 */
function submission(run: Run, fieldToBlock: Record<string, string> = {}) {
  return (s: SlackServices) =>
    async ({ ack, body, view }: Args): Promise<void> => {
      const ref = readTicketRef(view.private_metadata);
      if (!ref) {
        await ack({
          response_action: 'update',
          view: noticeModal('Out of date', 'This form is out of date. Open it again from the ticket.'),
        });
        return;
      }
      try {
        await run(s, parseStateValues(view.state.values), {
          ticketId: ref.t,
          version: ref.v,
          actorId: body.user.id,
        });
      } catch (error) {
        if (!isFolioError(error)) {
          await ack({
            response_action: 'errors',
            errors: {
              [inputBlockIds(view.blocks)[0] ?? WORK_INPUT.note]:
                'Folio could not save this just now. Please try again in a moment.',
            },
          });
          throw error;
        }
        if (error.code === 'unstorable') {
          // The person's text stays in the form, to be changed: sending it again as it is cannot work.
          await ack({
            response_action: 'errors',
            errors: { [inputBlockIds(view.blocks)[0] ?? WORK_INPUT.note]: error.message },
          });
          return;
        }
        const fields = Object.entries(error.fields);
        if (error.code === 'invalid_input' && fields.length > 0) {
          await ack({
            response_action: 'errors',
            errors: Object.fromEntries(fields.map(([f, m]) => [fieldToBlock[f] ?? f, m])),
          });
          return;
        }
        await ack({ response_action: 'update', view: noticeModal('Not saved', error.message) });
        return;
      }
      await ack();
    };
}

const required = <T>(value: T | undefined, field: string, message: string): T => {
  if (value === undefined) throw FolioError.field(field, message);
  return value;
};

export const assignSubmission = submission(async (s, values, by) => {
  const choice = required(readAssign(values), WORK_INPUT.assignee, 'Choose who takes it.');
  await assignTicket(s, { ...by, assigneeId: choice.assigneeId });
});

export const statusSubmission = submission(async (s, values, by) => {
  const v = readStatus(values);
  const to = required(
    v.to ? parseStatus(v.to) : undefined,
    WORK_INPUT.status,
    'Choose one of the statuses offered.',
  );
  await setStatus(s, { ...by, to, note: v.note, question: v.question });
});

export const prioritySubmission = submission(async (s, values, by) => {
  const v = readPriority(values);
  const priority = required(v.priority, WORK_INPUT.priority, 'Choose one of the priorities offered.');
  await setPriority(s, { ...by, priority, reason: v.reason });
});

export const replySubmission = submission(async (s, values, by) => {
  await replyToRequester(s, { ...by, ...readReply(values) });
});

export const snoozeSubmission = submission(async (s, values, by) => {
  const v = readSnooze(values);
  const until = required(v.until, WORK_INPUT.until, 'Choose when it comes back.');
  await snoozeTicket(s, { ...by, until, reason: v.reason });
});

export const linkTaskSubmission = submission(async (s, values, by) => {
  await linkTask(s, { ...by, ...readLinkTask(values) });
});

export const linkTicketSubmission = submission(async (s, values, by) => {
  await linkTicket(s, { ...by, ...readLinkTicket(values) });
});

export const resolveSubmission = submission(
  async (s, values, by) => {
    await resolveTicket(s, { ...by, ...readResolve(values) });
  },
  { note: WORK_INPUT.resolution },
);

export const stillBrokenSubmission = submission(async (s, values, by) => {
  // The requester answers the resolution, whatever changed on the ticket since: no version check.
  await reportStillBroken(s, { ticketId: by.ticketId, actorId: by.actorId, ...readStillBroken(values) });
});
