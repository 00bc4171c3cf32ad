import type { types } from '@slack/bolt';
import type { AdminScope } from '../../desks/admin/read.js';
import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import { ADMIN_ACTION, adminAreaBlock } from '../ids.js';
import { context, type KnownBlock, option, plain } from '../kit/elements.js';

/**
 * The Home tab's administration area (3 blocks, whatever the number of desks): who may change what,
 * and one control per form — a select of desks for each desk form, a select of categories, and the
 * "New" buttons for those allowed. Choosing opens the form as a modal.
 */
export function adminArea(scope: AdminScope, nonce: string): KnownBlock[] {
  const who = scope.workspaceAdmin
    ? 'You are a workspace admin: you can create desks and change every desk and category.'
    : `You lead ${scope.desks.map((desk) => `*${escapeMrkdwn(desk.name)}*`).join(', ')}: you can change ${
        scope.desks.length === 1 ? 'this desk' : 'these desks'
      } and ${scope.desks.length === 1 ? 'its' : 'their'} categories.`;
  const deskOptions = scope.desks.map((desk) => option(desk.name, desk.key));
  const deskSelect = (actionId: string, placeholder: string): types.StaticSelect => ({
    type: 'static_select',
    action_id: actionId,
    placeholder: plain(placeholder, 150),
    options: deskOptions,
  });
  const elements: types.ActionsBlockElement[] = [];
  if (scope.mayCreateDesk) {
    elements.push({
      type: 'button',
      action_id: ADMIN_ACTION.newDesk,
      text: plain('New desk', 75),
      value: 'new',
    });
  }
  if (deskOptions.length > 0) {
    elements.push(
      deskSelect(ADMIN_ACTION.deskSettings, 'Desk settings…'),
      deskSelect(ADMIN_ACTION.deskSla, 'SLA targets…'),
      deskSelect(ADMIN_ACTION.deskHours, 'Hours & holidays…'),
      deskSelect(ADMIN_ACTION.deskTemplates, 'Templates…'),
      { type: 'button', action_id: ADMIN_ACTION.newCategory, text: plain('New category', 75), value: 'new' },
    );
  }
  if (scope.categories.length > 0) {
    elements.push({
      type: 'static_select',
      action_id: ADMIN_ACTION.category,
      placeholder: plain('Category…', 150),
      options: scope.categories
        .slice(0, 100)
        .map((category) => option(`${category.name} (${category.deskName})`, String(category.id))),
    });
  }
  return [
    { type: 'header', text: plain('Administration', 150) },
    context([who]),
    { type: 'actions', block_id: adminAreaBlock(nonce), elements },
  ];
}
