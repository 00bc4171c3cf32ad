import type { types } from '@slack/bolt';
import { formatReminder } from '../../../desks/admin/deskInput.js';
import type { Desk } from '../../../desks/directory.js';
import { formatMinutes } from '../../../domain/duration.js';
import { PRIORITIES, PRIORITY_LABEL, type Priority } from '../../../domain/priority.js';
import { escapeMrkdwn } from '../../../lib/mrkdwn.js';
import { ADMIN_INPUT, ADMIN_VIEW, slaInput } from '../../ids.js';
import { context } from '../../kit/elements.js';
import { adminModal, input, text } from './common.js';

/** A desk's SLA targets per priority, and the reminders sent before a breach. */

/** Most urgent first, as people read them. */
export const SLA_PRIORITIES: readonly Priority[] = [...PRIORITIES].reverse();

export function deskSlaModal(desk: Desk, version: string): types.ModalView {
  const blocks: types.KnownBlock[] = [
    context([
      `*${escapeMrkdwn(desk.name)}*: targets in business hours (${escapeMrkdwn(desk.timezone)}), written like \`30m\`, \`4h\` or \`1h30m\`. ` +
        'A change applies to tickets created from now on.',
    ]),
  ];
  for (const priority of SLA_PRIORITIES) {
    const targets = desk.sla[priority];
    const label = PRIORITY_LABEL[priority];
    blocks.push(
      input(
        slaInput(priority, 'firstResponse'),
        `${label}: first response`,
        text(slaInput(priority, 'firstResponse'), formatMinutes(targets.firstResponse), { max: 20 }),
      ),
      input(
        slaInput(priority, 'resolution'),
        `${label}: resolution`,
        text(slaInput(priority, 'resolution'), formatMinutes(targets.resolution), { max: 20 }),
      ),
      input(
        slaInput(priority, 'nextResponse'),
        `${label}: next response`,
        text(
          slaInput(priority, 'nextResponse'),
          targets.nextResponse === undefined ? undefined : formatMinutes(targets.nextResponse),
          { max: 20 },
        ),
        { optional: true, hint: 'After each reply from the requester; none when empty.' },
      ),
    );
  }
  blocks.push(
    input(
      ADMIN_INPUT.reminders,
      'Reminders before a breach',
      text(ADMIN_INPUT.reminders, desk.reminders.map(formatReminder).join(', '), { max: 100 }),
      {
        optional: true,
        hint: 'Up to 5, separated by commas: a share of the target elapsed (75%) or a time left (30m).',
      },
    ),
  );
  return adminModal({
    callbackId: ADMIN_VIEW.sla,
    title: 'SLA targets',
    submit: 'Save',
    metadata: { d: desk.key, v: version },
    blocks,
  });
}
