import type { types } from '@slack/bolt';
import type { Desk } from '../../../desks/directory.js';
import { TEMPLATE_NAMES, type TemplateName } from '../../../desks/model.js';
import { escapeMrkdwn } from '../../../lib/mrkdwn.js';
import { DEFAULT_TEMPLATES } from '../../../tickets/templates.js';
import { ADMIN_VIEW, templateInput } from '../../ids.js';
import { context } from '../../kit/elements.js';
import { adminModal, input, text } from './common.js';

/** The messages a desk sends its requesters; an empty one uses Folio's default text. */

export const TEMPLATE_LABEL: Record<TemplateName, string> = {
  created: 'Ticket received',
  publicReply: 'A reply from the desk',
  resolved: 'Ticket resolved',
  autoClosed: 'Ticket closed without an answer',
};

export function deskTemplatesModal(desk: Desk, version: string): types.ModalView {
  const blocks: types.KnownBlock[] = [
    context([
      `*${escapeMrkdwn(desk.name)}*: Slack formatting (mrkdwn). Placeholders: {folio} {subject} {desk} {requester} ` +
        '{assignee} {status} {priority} {author} {comment} {resolution} {days}. Leave a message empty for the default.',
    ]),
    ...TEMPLATE_NAMES.map((name) =>
      input(
        templateInput(name),
        TEMPLATE_LABEL[name],
        text(templateInput(name), desk.templates[name], {
          multiline: true,
          max: 2000,
          placeholder: DEFAULT_TEMPLATES[name],
        }),
        { optional: true },
      ),
    ),
  ];
  return adminModal({
    callbackId: ADMIN_VIEW.templates,
    title: 'Templates',
    submit: 'Save',
    metadata: { d: desk.key, v: version },
    blocks,
  });
}
