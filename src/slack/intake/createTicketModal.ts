import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { FileRef } from '../../domain/files.js';
import { asPriority, DEFAULT_PRIORITY, type Priority } from '../../domain/priority.js';
import { escapeMrkdwn, truncate } from '../../lib/mrkdwn.js';
import { DESCRIPTION_INPUT_MAX_LENGTH, MAX_ATTACHMENTS, SUBJECT_MAX_LENGTH } from '../../tickets/limits.js';
import { CREATE_BLOCK, CREATE_INPUT, VIEW } from '../ids.js';
import { context, type KnownBlock, option, plain, priorityOptions } from '../kit/elements.js';
import { readSlackFiles } from '../kit/files.js';
import { filesOf, type StateValues, selectedOf, textOf, userOf } from '../kit/state.js';

/** The create-ticket modal (docs/design.md "Slack surfaces" 1) and the reading of its submission. */

export const createTicketMetadataSchema = z.object({
  /** Where the modal was opened from, for the ticket's source. */
  source: z.enum(['slash_command', 'message_shortcut', 'global_shortcut']),
  /** The conversation the command was typed in, for ephemeral answers. */
  channelId: z.string().optional(),
  /** The message being turned into a ticket (message_drafts). */
  draftId: z.string().uuid().optional(),
});
export type CreateTicketMetadata = z.infer<typeof createTicketMetadataSchema>;

export interface CreateTicketModalOptions {
  desks: readonly { key: string; name: string }[];
  categories: readonly { id: number; name: string }[];
  initial?: {
    subject?: string;
    description?: string;
    categoryId?: number;
    deskKey?: string;
    priority?: Priority;
  };
  metadata: CreateTicketMetadata;
  /** Made from a message: who is asking (its author by default, changeable) and what came with it. */
  fromMessage?: { requester: string; files: readonly { name: string }[]; truncated: boolean };
}

export function createTicketModal(options: CreateTicketModalOptions): types.ModalView {
  const categoryOptions = options.categories.map((category) => option(category.name, String(category.id)));
  const deskOptions = options.desks.map((desk) => option(desk.name, desk.key));
  const initialCategory = categoryOptions.find(
    (offered) => offered.value === String(options.initial?.categoryId),
  );
  const initialDesk = deskOptions.find((offered) => offered.value === options.initial?.deskKey);
  const priorities = priorityOptions();
  const initialPriority = priorities.find(
    (offered) => offered.value === (options.initial?.priority ?? DEFAULT_PRIORITY),
  );
  const subject = options.initial?.subject && truncate(options.initial.subject, SUBJECT_MAX_LENGTH);
  const description =
    options.initial?.description && truncate(options.initial.description, DESCRIPTION_INPUT_MAX_LENGTH);

  const fromMessage: KnownBlock[] = [];
  if (options.fromMessage) {
    const notes = [
      options.fromMessage.truncated
        ? 'The message is longer than this form shows; the ticket keeps all of it.'
        : '',
      options.fromMessage.files.length > 0
        ? `:paperclip: From the message: ${options.fromMessage.files.map((file) => escapeMrkdwn(file.name)).join(', ')}`
        : '',
    ].filter(Boolean);
    if (notes.length > 0) fromMessage.push({ ...context(notes), block_id: CREATE_BLOCK.messageContext });
  }
  const requester: KnownBlock[] = options.fromMessage
    ? [
        {
          type: 'input',
          block_id: CREATE_INPUT.requester,
          label: plain('Requester'),
          hint: plain('Who needs the help: the message’s author unless you change it.'),
          element: {
            type: 'users_select',
            action_id: CREATE_INPUT.requester,
            initial_user: options.fromMessage.requester,
          },
        },
      ]
    : [];

  return {
    type: 'modal',
    callback_id: VIEW.createTicket,
    title: plain('New ticket', 24),
    submit: plain('Create', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(options.metadata),
    blocks: [
      {
        type: 'input',
        block_id: CREATE_INPUT.subject,
        label: plain('Subject'),
        element: {
          type: 'plain_text_input',
          action_id: CREATE_INPUT.subject,
          max_length: SUBJECT_MAX_LENGTH,
          placeholder: plain('A short summary, e.g. “Printer on the 3rd floor is jammed”'),
          ...(subject ? { initial_value: subject } : {}),
        },
      },
      {
        type: 'input',
        block_id: CREATE_INPUT.description,
        optional: true,
        label: plain('Description'),
        hint: plain('Details, context, what you already tried.'),
        element: {
          type: 'plain_text_input',
          action_id: CREATE_INPUT.description,
          multiline: true,
          max_length: DESCRIPTION_INPUT_MAX_LENGTH,
          ...(description ? { initial_value: description } : {}),
        },
      },
      {
        type: 'input',
        block_id: CREATE_INPUT.category,
        label: plain('Category'),
        element: {
          type: 'static_select',
          action_id: CREATE_INPUT.category,
          placeholder: plain('Choose a category'),
          options: categoryOptions,
          ...(initialCategory ? { initial_option: initialCategory } : {}),
        },
      },
      {
        type: 'input',
        block_id: CREATE_INPUT.priority,
        label: plain('Priority'),
        element: {
          type: 'static_select',
          action_id: CREATE_INPUT.priority,
          options: priorities,
          ...(initialPriority ? { initial_option: initialPriority } : {}),
        },
      },
      {
        type: 'input',
        block_id: CREATE_INPUT.desk,
        optional: true,
        label: plain('Desk'),
        hint: plain('The department that handles it. Leave empty to use the category’s desk.'),
        element: {
          type: 'static_select',
          action_id: CREATE_INPUT.desk,
          placeholder: plain('The category’s desk'),
          options: deskOptions,
          ...(initialDesk ? { initial_option: initialDesk } : {}),
        },
      },
      ...requester,
      {
        type: 'input',
        block_id: CREATE_INPUT.attachments,
        optional: true,
        label: plain('Attachments'),
        element: { type: 'file_input', action_id: CREATE_INPUT.attachments, max_files: MAX_ATTACHMENTS },
      },
      ...fromMessage,
    ],
  };
}

export interface CreateTicketForm {
  subject: string;
  description: string;
  categoryId: number | null;
  deskKey: string | null;
  priority: Priority;
  /** Only in a modal made from a message. */
  requesterId: string | undefined;
  files: FileRef[];
}

/** What a form reads; `errors` (keyed by block_id) is empty when the shape is right. */
export interface FormResult<Value> {
  value: Value;
  errors: Record<string, string>;
}

/**
 * Reads a submission. Shape problems (no category chosen, an option the modal never offered) come
 * back as errors keyed by block_id, for `response_action: 'errors'`; the ticket's own rules (subject
 * length, a category or desk that no longer exists) are createTicket's to enforce.
 */
export function readCreateTicketForm(values: StateValues): FormResult<CreateTicketForm> {
  const errors: Record<string, string> = {};
  const subject = textOf(values, CREATE_INPUT.subject);
  const description = textOf(values, CREATE_INPUT.description);
  const categoryValue = selectedOf(values, CREATE_INPUT.category);
  const categoryId = categoryValue === undefined ? null : Number(categoryValue);
  if (categoryId === null) errors[CREATE_INPUT.category] = 'Choose a category.';
  else if (!Number.isSafeInteger(categoryId) || categoryId <= 0) {
    errors[CREATE_INPUT.category] = 'Choose one of the categories offered.';
  }
  const priorityValue = selectedOf(values, CREATE_INPUT.priority) ?? DEFAULT_PRIORITY;
  const priority = asPriority(priorityValue);
  if (!priority) errors[CREATE_INPUT.priority] = 'Choose one of the priorities offered.';
  const deskKey = selectedOf(values, CREATE_INPUT.desk) ?? null;
  const { files, unreadable } = readSlackFiles(filesOf(values, CREATE_INPUT.attachments));
  if (unreadable > 0) {
    errors[CREATE_INPUT.attachments] = 'One of the files could not be read. Remove it and add it again.';
  }
  const requesterId = userOf(values, CREATE_INPUT.requester);

  return {
    value: {
      subject,
      description,
      categoryId: errors[CREATE_INPUT.category] ? null : categoryId,
      deskKey,
      priority: priority ?? DEFAULT_PRIORITY,
      requesterId,
      files,
    },
    errors,
  };
}
