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
type Run = (services: SlackServices, values: StateValues, by: By) => Promise<unknown>;

/**
 * Submission of a workflow modal: read it, run the use case with the version the modal was opened
 * on, close the modal. Bad input, and text the database cannot store, are answered beside the field,
 * the form kept; a refusal (someone changed the ticket
 * meanwhile, a move the rules forbid, no right to act) replaces the modal with the reason.
 */
function submission(run: Run, fieldToBlock: Record<string, string> = {}) {
  return (services: SlackServices) =>
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
        await run(services, parseStateValues(view.state.values), {
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
            errors: Object.fromEntries(
              fields.map(([field, message]) => [fieldToBlock[field] ?? field, message]),
            ),
          });
          return;
        }
        await ack({ response_action: 'update', view: noticeModal('Not saved', error.message) });
        return;
      }
      await ack();
    };
}

const required = <Value>(value: Value | undefined, field: string, message: string): Value => {
  if (value === undefined) throw FolioError.field(field, message);
  return value;
};

export const assignSubmission = submission(async (services, values, by) => {
  const choice = required(readAssign(values), WORK_INPUT.assignee, 'Choose who takes it.');
  await assignTicket(services, { ...by, assigneeId: choice.assigneeId });
});

export const statusSubmission = submission(async (services, values, by) => {
  const form = readStatus(values);
  const to = required(
    form.to ? parseStatus(form.to) : undefined,
    WORK_INPUT.status,
    'Choose one of the statuses offered.',
  );
  await setStatus(services, { ...by, to, note: form.note, question: form.question });
});

export const prioritySubmission = submission(async (services, values, by) => {
  const form = readPriority(values);
  const priority = required(form.priority, WORK_INPUT.priority, 'Choose one of the priorities offered.');
  await setPriority(services, { ...by, priority, reason: form.reason });
});

export const replySubmission = submission(async (services, values, by) => {
  await replyToRequester(services, { ...by, ...readReply(values) });
});

export const snoozeSubmission = submission(async (services, values, by) => {
  const form = readSnooze(values);
  const until = required(form.until, WORK_INPUT.until, 'Choose when it comes back.');
  await snoozeTicket(services, { ...by, until, reason: form.reason });
});

export const linkTaskSubmission = submission(async (services, values, by) => {
  await linkTask(services, { ...by, ...readLinkTask(values) });
});

export const linkTicketSubmission = submission(async (services, values, by) => {
  await linkTicket(services, { ...by, ...readLinkTicket(values) });
});

export const resolveSubmission = submission(
  async (services, values, by) => {
    await resolveTicket(services, { ...by, ...readResolve(values) });
  },
  { note: WORK_INPUT.resolution },
);

export const stillBrokenSubmission = submission(async (services, values, by) => {
  // The requester answers the resolution, whatever changed on the ticket since: no version check.
  await reportStillBroken(services, {
    ticketId: by.ticketId,
    actorId: by.actorId,
    ...readStillBroken(values),
  });
});
