import type { types } from '@slack/bolt';
import type { CategoryToEdit } from '../../../desks/admin/read.js';
import { ADMIN_INPUT, ADMIN_VIEW } from '../../ids.js';
import { option } from '../../kit/elements.js';
import { adminModal, input, text } from './common.js';

/** A category: its name, the desk its tickets go to, and who gets them automatically. */
export function categoryModal({ category, desks }: CategoryToEdit): types.ModalView {
  const deskOptions = desks.map((desk) => option(desk.name, desk.key));
  const initialDesk = deskOptions.find((offered) => offered.value === category?.desk);
  return adminModal({
    callbackId: ADMIN_VIEW.category,
    title: category ? 'Category' : 'New category',
    submit: category ? 'Save' : 'Create',
    metadata: category ? { c: category.id, v: category.version } : {},
    blocks: [
      input(ADMIN_INPUT.name, 'Name', text(ADMIN_INPUT.name, category?.name, { max: 75 }), {
        hint: 'A category defined in the configuration file keeps the name the file gives it.',
      }),
      input(ADMIN_INPUT.desk, 'Desk', {
        type: 'static_select',
        action_id: ADMIN_INPUT.desk,
        options: deskOptions,
        ...(initialDesk ? { initial_option: initialDesk } : {}),
      }),
      input(
        ADMIN_INPUT.owner,
        'Owner',
        {
          type: 'users_select',
          action_id: ADMIN_INPUT.owner,
          ...(category?.owner ? { initial_user: category.owner } : {}),
        },
        {
          optional: true,
          hint: 'Gets this category’s new tickets; otherwise the desk’s automatic assignment decides.',
        },
      ),
    ],
  });
}
