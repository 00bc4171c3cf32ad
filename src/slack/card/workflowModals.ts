import type { types } from '@slack/bolt';
import type { TicketRow } from '../../db/schema/index.js';
import { asPriority, type Priority } from '../../domain/priority.js';
import { STATUS_LABEL, type Status } from '../../domain/status.js';
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.js';
import {
  LINK_TITLE_MAX_LENGTH,
  MAX_ATTACHMENTS,
  MESSAGE_MAX_LENGTH,
  REASON_MAX_LENGTH,
} from '../../tickets/limits.js';
import { VIEW, WORK_INPUT } from '../ids.js';
import { context, type KnownBlock, option, plain, priorityOptions, section } from '../kit/elements.js';
import { readSlackFiles } from '../kit/files.js';
import { requesterMrkdwn } from '../kit/requester.js';
import { dateTimeOf, filesOf, type StateValues, selectedOf, textOf } from '../kit/state.js';
import { ticketRefValue } from '../kit/ticketRef.js';

/**
 * The modals that work a ticket (docs/design.md "Slack surfaces" 6). Each carries the ticket and the
 * version it was opened on in private_metadata, so a submission made after someone else's change is
 * refused; each has a reader that turns its submission into the use case's input.
 */

type Ticket = Pick<TicketRow, 'id' | 'version' | 'folio' | 'subject' | 'status' | 'priority' | 'assigneeId'>;

export const UNASSIGNED = 'nobody';

function modal(
  callbackId: string,
  title: string,
  ticket: Ticket,
  submit: string,
  blocks: KnownBlock[],
): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, 24),
    submit: plain(submit, 24),
    close: plain('Cancel', 24),
    private_metadata: ticketRefValue(ticket.id, ticket.version),
    blocks: [context([`*${ticket.folio}* · ${escapeMrkdwn(truncate(ticket.subject, 200))}`]), ...blocks],
  };
}

const textInput = (
  id: string,
  label: string,
  options: {
    optional?: boolean;
    multiline?: boolean;
    max?: number;
    hint?: string;
    placeholder?: string;
    initial?: string;
  } = {},
): types.InputBlock => ({
  type: 'input',
  block_id: id,
  label: plain(label),
  optional: options.optional ?? false,
  ...(options.hint ? { hint: plain(options.hint) } : {}),
  element: {
    type: 'plain_text_input',
    action_id: id,
    multiline: options.multiline ?? false,
    max_length: options.max ?? MESSAGE_MAX_LENGTH,
    ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    ...(options.initial ? { initial_value: options.initial } : {}),
  },
});

const select = (
  id: string,
  label: string,
  options: types.PlainTextOption[],
  initial?: string,
): types.InputBlock => {
  const initialOption = options.find((offered) => offered.value === initial);
  return {
    type: 'input',
    block_id: id,
    label: plain(label),
    element: {
      type: 'static_select',
      action_id: id,
      options,
      ...(initialOption ? { initial_option: initialOption } : {}),
    },
  };
};

export function assignModal(
  ticket: Ticket,
  members: readonly { id: string; name: string }[],
): types.ModalView {
  const options = [
    option('Nobody: back to To assign', UNASSIGNED),
    ...members.map((member) => option(member.name, member.id)),
  ];
  return modal(VIEW.assign, `Assign ${ticket.folio}`, ticket, 'Assign', [
    select(WORK_INPUT.assignee, 'Assign to', options, ticket.assigneeId ?? UNASSIGNED),
  ]);
}

export function readAssign(values: StateValues): { assigneeId: string | null } | undefined {
  const selected = selectedOf(values, WORK_INPUT.assignee);
  if (selected === undefined) return undefined;
  return { assigneeId: selected === UNASSIGNED ? null : selected };
}

export function statusModal(ticket: Ticket, targets: readonly Status[]): types.ModalView {
  return modal(VIEW.status, `Status of ${ticket.folio}`, ticket, 'Save', [
    section(`Now: *${STATUS_LABEL[ticket.status]}*`),
    select(
      WORK_INPUT.status,
      'New status',
      targets.map((status) => option(STATUS_LABEL[status], status)),
    ),
    textInput(WORK_INPUT.question, 'Question for the requester', {
      optional: true,
      multiline: true,
      hint: 'Needed for Waiting on requester: they get it in their conversation with the desk.',
    }),
    textInput(WORK_INPUT.note, 'Internal note', {
      optional: true,
      multiline: true,
      hint: 'Only the desk sees it. For Resolved, it is the resolution the requester is shown.',
    }),
  ]);
}

export function readStatus(values: StateValues): { to: string | undefined; note: string; question: string } {
  return {
    to: selectedOf(values, WORK_INPUT.status),
    note: textOf(values, WORK_INPUT.note),
    question: textOf(values, WORK_INPUT.question),
  };
}

export function priorityModal(ticket: Ticket): types.ModalView {
  return modal(VIEW.priority, `Priority of ${ticket.folio}`, ticket, 'Save', [
    select(WORK_INPUT.priority, 'Priority', priorityOptions(), ticket.priority),
    textInput(WORK_INPUT.reason, 'Reason', { optional: true, max: REASON_MAX_LENGTH }),
  ]);
}

export function readPriority(values: StateValues): { priority: Priority | undefined; reason: string } {
  const selected = selectedOf(values, WORK_INPUT.priority);
  return { priority: asPriority(selected), reason: textOf(values, WORK_INPUT.reason) };
}

export function replyModal(
  ticket: Ticket,
  requester: Parameters<typeof requesterMrkdwn>[0],
): types.ModalView {
  const where = requester.requesterId
    ? 'will see this in their conversation with the desk'
    : 'will get this by mail, with its files';
  return modal(VIEW.reply, `Reply on ${ticket.folio}`, ticket, 'Send', [
    section(`${requesterMrkdwn(requester)} ${where}.`),
    textInput(WORK_INPUT.reply, 'Reply', { multiline: true }),
    {
      type: 'input',
      block_id: WORK_INPUT.files,
      optional: true,
      label: plain('Files'),
      element: { type: 'file_input', action_id: WORK_INPUT.files, max_files: MAX_ATTACHMENTS },
    },
  ]);
}

export function readReply(values: StateValues) {
  return {
    body: textOf(values, WORK_INPUT.reply),
    files: readSlackFiles(filesOf(values, WORK_INPUT.files)).files,
  };
}

export function snoozeModal(ticket: Ticket, suggested: Date): types.ModalView {
  return modal(VIEW.snooze, `Snooze ${ticket.folio}`, ticket, 'Snooze', [
    {
      type: 'input',
      block_id: WORK_INPUT.until,
      label: plain('Until'),
      element: {
        type: 'datetimepicker',
        action_id: WORK_INPUT.until,
        initial_date_time: Math.floor(suggested.getTime() / 1000),
      },
    },
    textInput(WORK_INPUT.reason, 'Reason', {
      max: REASON_MAX_LENGTH,
      placeholder: 'Waiting for the new laptops to arrive',
    }),
  ]);
}

export function readSnooze(values: StateValues): { until: Date | undefined; reason: string } {
  const epoch = dateTimeOf(values, WORK_INPUT.until);
  return {
    until: epoch === undefined ? undefined : new Date(epoch * 1000),
    reason: textOf(values, WORK_INPUT.reason),
  };
}

export function linkTaskModal(ticket: Ticket): types.ModalView {
  return modal(VIEW.linkTask, `Link a task`, ticket, 'Link', [
    textInput(WORK_INPUT.url, 'Task address', {
      max: 2000,
      placeholder: 'https://linear.app/acme/issue/OPS-12',
    }),
    textInput(WORK_INPUT.title, 'Title', { optional: true, max: LINK_TITLE_MAX_LENGTH }),
  ]);
}

export function readLinkTask(values: StateValues) {
  return { url: textOf(values, WORK_INPUT.url), title: textOf(values, WORK_INPUT.title) };
}

export function linkTicketModal(ticket: Ticket): types.ModalView {
  return modal(VIEW.linkTicket, `Link a ticket`, ticket, 'Link', [
    textInput(WORK_INPUT.folio, 'Folio', { max: 20, placeholder: 'TKT042' }),
  ]);
}

export function readLinkTicket(values: StateValues) {
  return { folio: textOf(values, WORK_INPUT.folio) };
}

export function resolveModal(ticket: Ticket): types.ModalView {
  return modal(VIEW.resolve, `Resolve ${ticket.folio}`, ticket, 'Resolve', [
    textInput(WORK_INPUT.resolution, 'Resolution', {
      optional: true,
      multiline: true,
      hint: 'What was done. The requester sees it and is asked to confirm.',
    }),
  ]);
}

export function readResolve(values: StateValues) {
  return { resolution: textOf(values, WORK_INPUT.resolution) };
}

export function stillBrokenModal(ticket: Ticket): types.ModalView {
  return modal(VIEW.stillBroken, `Still broken`, ticket, 'Send', [
    textInput(WORK_INPUT.details, 'What is still wrong?', { multiline: true }),
  ]);
}

export function readStillBroken(values: StateValues) {
  return { details: textOf(values, WORK_INPUT.details) };
}
