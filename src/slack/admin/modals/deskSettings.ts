import type { types } from '@slack/bolt';
import type { Desk } from '../../../desks/directory.js';
import { ASSIGNMENT_STRATEGIES, type AssignmentStrategy } from '../../../domain/assignment.js';
import { ADMIN_INPUT, ADMIN_VIEW } from '../../ids.js';
import { context, option, plain } from '../../kit/elements.js';
import { adminModal, input, text } from './common.js';

/**
 * A desk's settings (people, channels, mailbox, assignment, auto-close): the edit form, or the
 * new-desk form.
 */

export const ASSIGNMENT_LABEL: Record<AssignmentStrategy, string> = {
  round_robin: 'Round robin among the members',
  fewest_open: 'The member with the fewest open tickets',
  none: 'Nobody: the desk assigns by hand',
};

const PRIVATE_OPTION = option(
  'Private: only a ticket’s requester and the desk’s members can see it',
  'private',
);

const conversation = (id: string, initial: string | null): types.ConversationsSelect => ({
  type: 'conversations_select',
  action_id: id,
  filter: { include: ['public', 'private'], exclude_bot_users: true, exclude_external_shared_channels: true },
  ...(initial ? { initial_conversation: initial } : {}),
});

const users = (id: string, initial: readonly string[]): types.MultiUsersSelect => ({
  type: 'multi_users_select',
  action_id: id,
  max_selected_items: 100,
  ...(initial.length > 0 ? { initial_users: [...initial] } : {}),
});

export interface DeskSettingsModalOptions {
  /** Undefined: a new desk. */
  desk: Desk | undefined;
  /** For a new desk: the desks whose calendar it may take (the first is proposed). */
  models?: readonly { key: string; name: string }[];
  version: string | undefined;
  /** Only workspace admins see (and may change) the private flag. */
  mayChangePrivacy: boolean;
  /** Only workspace admins see (and may change) the mailbox. */
  mayChangeMailbox: boolean;
}

const mailboxInput = (initial: string | null): types.EmailInput => ({
  type: 'email_text_input',
  action_id: ADMIN_INPUT.mailbox,
  ...(initial ? { initial_value: initial } : {}),
  placeholder: plain('it@example.com'),
});

export function deskSettingsModal(options: DeskSettingsModalOptions): types.ModalView {
  const desk = options.desk;
  const assignment = ASSIGNMENT_STRATEGIES.map((strategy) => option(ASSIGNMENT_LABEL[strategy], strategy));
  const blocks: types.KnownBlock[] = [];
  if (!desk) {
    blocks.push(
      input(
        ADMIN_INPUT.key,
        'Key',
        text(ADMIN_INPUT.key, undefined, { max: 30, placeholder: 'e.g. facilities' }),
        {
          hint: 'Lowercase letters, digits and dashes; `/ticket queue <key>` uses it. It cannot change later.',
        },
      ),
    );
  }
  blocks.push(
    input(ADMIN_INPUT.name, 'Name', text(ADMIN_INPUT.name, desk?.name, { max: 75 })),
    input(ADMIN_INPUT.channel, 'Desk channel', conversation(ADMIN_INPUT.channel, desk?.channel ?? null), {
      optional: true,
      hint: 'Where each ticket is posted as a card. Invite @Folio to it.',
    }),
    input(
      ADMIN_INPUT.escalationChannel,
      'Escalation channel',
      conversation(ADMIN_INPUT.escalationChannel, desk?.escalationChannel ?? null),
      { optional: true, hint: 'Where SLA warnings and breaches are announced; the desk channel when empty.' },
    ),
  );
  if (options.mayChangeMailbox) {
    blocks.push(
      input(ADMIN_INPUT.mailbox, 'Mailbox', mailboxInput(desk?.mailbox ?? null), {
        optional: true,
        hint: 'Mail to this address becomes this desk’s tickets; the desk’s mail to requesters goes from it.',
      }),
    );
  } else if (desk) {
    blocks.push(
      context([
        `${desk.mailbox ? `Mail to ${desk.mailbox} becomes this desk’s tickets.` : 'This desk has no mailbox.'} Only a workspace admin can change that.`,
      ]),
    );
  }
  if (options.mayChangePrivacy) {
    blocks.push(
      input(
        ADMIN_INPUT.private,
        'Visibility',
        {
          type: 'checkboxes',
          action_id: ADMIN_INPUT.private,
          options: [PRIVATE_OPTION],
          ...(desk?.private ? { initial_options: [PRIVATE_OPTION] } : {}),
        },
        { optional: true },
      ),
    );
  } else if (desk) {
    blocks.push(
      context([
        `${desk.private ? ':lock: This desk is private.' : 'This desk is public.'} Only a workspace admin can change that.`,
      ]),
    );
  }
  blocks.push(
    input(ADMIN_INPUT.members, 'Members', users(ADMIN_INPUT.members, desk?.members ?? []), {
      optional: true,
      hint: 'They work the desk’s tickets; automatic assignment follows this order.',
    }),
    input(ADMIN_INPUT.leads, 'Leads', users(ADMIN_INPUT.leads, desk?.leads ?? []), {
      optional: true,
      hint: 'Leads must be members too. They can change this desk’s settings and categories.',
    }),
    input(ADMIN_INPUT.assignment, 'Automatic assignment', {
      type: 'static_select',
      action_id: ADMIN_INPUT.assignment,
      options: assignment,
      initial_option:
        assignment.find((offered) => offered.value === (desk?.assignment ?? 'round_robin')) ?? assignment[0],
    }),
    input(
      ADMIN_INPUT.autoCloseAfterDays,
      'Close resolved tickets after (days)',
      {
        type: 'number_input',
        action_id: ADMIN_INPUT.autoCloseAfterDays,
        is_decimal_allowed: false,
        min_value: '1',
        max_value: '60',
        initial_value: String(desk?.autoCloseAfterDays ?? 3),
      },
      { hint: 'Business days without an answer from the requester.' },
    ),
  );
  const models = (options.models ?? []).map((model) => option(model.name, model.key));
  if (!desk && models.length > 0) {
    blocks.push(
      input(
        ADMIN_INPUT.like,
        'Calendar like',
        { type: 'static_select', action_id: ADMIN_INPUT.like, options: models, initial_option: models[0] },
        {
          hint: 'The new desk takes this desk’s time zone, business hours, holidays, reminders and folio prefix.',
        },
      ),
    );
  }
  return adminModal({
    callbackId: desk ? ADMIN_VIEW.settings : ADMIN_VIEW.newDesk,
    title: desk ? 'Desk settings' : 'New desk',
    submit: desk ? 'Save' : 'Create',
    metadata: desk ? { d: desk.key, ...(options.version ? { v: options.version } : {}) } : {},
    blocks,
  });
}
