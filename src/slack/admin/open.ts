import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, types } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { categoryToEdit, checkMayCreateDesk, deskToEdit } from '../../desks/admin/read.js';
import type { AdminActor } from '../../desks/admin/rights.js';
import { listDesks } from '../../desks/directory.js';
import { isFolioError } from '../../domain/errors.js';
import type { SlackServices } from '../context.js';
import { openModal } from '../kit/openModal.js';
import { resolveActor, UNCERTAIN_REFUSAL } from './actor.js';
import { categoryModal } from './modals/category.js';
import { refusalModal } from './modals/common.js';
import { deskHoursModal } from './modals/deskHours.js';
import { deskSettingsModal } from './modals/deskSettings.js';
import { deskSlaModal } from './modals/deskSla.js';
import { deskTemplatesModal } from './modals/deskTemplates.js';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Builds a form for `actor` from the clicked value; throws a FolioError when they may not. */
export type FormBuilder = (s: SlackServices, actor: AdminActor, value: string) => Promise<types.ModalView>;

/**
 * Publishes again the Home tab a form was opened from, as the view's private_metadata says it was
 * shown. Given by src/slack/home: the Home composes the administration area, so administration does
 * not import the Home.
 */
export type RefreshHome = (client: WebClient, userId: string, privateMetadata: string) => Promise<void>;

/** The value a button or a select carries. */
function clickedValue(action: BlockAction['actions'][number]): string {
  if ('selected_option' in action && action.selected_option) return action.selected_option.value ?? '';
  if ('value' in action && typeof action.value === 'string') return action.value;
  return '';
}

/**
 * The Home's administration controls: ack, then open the form — or, for someone without the right
 * (whatever the Home showed them), a modal saying so. The rights are checked again on submission.
 * Afterwards the Home is published again, which clears the select that was used.
 */
export const openAdminForm =
  (s: SlackServices, build: FormBuilder, refreshHome: RefreshHome) =>
  async ({ ack, action, body, client }: Args): Promise<void> => {
    await ack();
    s.background.run('opening an administration form', async () => {
      const view = (async () => {
        const { actor, certain } = await resolveActor(client, body.user.id, s.log);
        try {
          return await build(s, actor, clickedValue(action));
        } catch (error) {
          if (!isFolioError(error)) throw error;
          return refusalModal(error.code === 'forbidden' && !certain ? UNCERTAIN_REFUSAL : error.message);
        }
      })();
      await openModal(client, body.trigger_id, view);
      if (body.view?.type === 'home') await refreshHome(client, body.user.id, body.view.private_metadata);
    });
  };

export const buildNewDesk: FormBuilder = async (s, actor) => {
  await checkMayCreateDesk(s.db, actor);
  const models = (await listDesks(s.db)).map((d) => ({ key: d.key, name: d.name }));
  return deskSettingsModal({ desk: undefined, version: undefined, mayChangePrivacy: true, models });
};

export const buildDeskSettings: FormBuilder = async (s, actor, deskKey) => {
  const e = await deskToEdit(s.db, actor, deskKey);
  return deskSettingsModal({ desk: e.desk, version: e.version, mayChangePrivacy: e.mayChangePrivacy });
};

export const buildDeskSla: FormBuilder = async (s, actor, deskKey) => {
  const e = await deskToEdit(s.db, actor, deskKey);
  return deskSlaModal(e.desk, e.version);
};

export const buildDeskHours: FormBuilder = async (s, actor, deskKey) => {
  const e = await deskToEdit(s.db, actor, deskKey);
  return deskHoursModal(e.desk, e.version);
};

export const buildDeskTemplates: FormBuilder = async (s, actor, deskKey) => {
  const e = await deskToEdit(s.db, actor, deskKey);
  return deskTemplatesModal(e.desk, e.version);
};

export const buildNewCategory: FormBuilder = async (s, actor) =>
  categoryModal(await categoryToEdit(s.db, actor, undefined));

export const buildCategory: FormBuilder = async (s, actor, id) => {
  const n = Number(id);
  return categoryModal(await categoryToEdit(s.db, actor, Number.isInteger(n) && n > 0 ? n : -1));
};
