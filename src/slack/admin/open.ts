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
export type FormBuilder = (
  services: SlackServices,
  actor: AdminActor,
  value: string,
) => Promise<types.ModalView>;

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
  (services: SlackServices, build: FormBuilder, refreshHome: RefreshHome) =>
  async ({ ack, action, body, client }: Args): Promise<void> => {
    await ack();
    services.background.run('opening an administration form', async () => {
      const view = (async () => {
        const { actor, certain } = await resolveActor(client, body.user.id, services.log);
        try {
          return await build(services, actor, clickedValue(action));
        } catch (error) {
          if (!isFolioError(error)) throw error;
          return refusalModal(error.code === 'forbidden' && !certain ? UNCERTAIN_REFUSAL : error.message);
        }
      })();
      await openModal(client, body.trigger_id, view);
      if (body.view?.type === 'home') await refreshHome(client, body.user.id, body.view.private_metadata);
    });
  };

export const buildNewDesk: FormBuilder = async (services, actor) => {
  await checkMayCreateDesk(services.db, actor);
  const models = (await listDesks(services.db)).map((desk) => ({ key: desk.key, name: desk.name }));
  return deskSettingsModal({
    desk: undefined,
    version: undefined,
    mayChangePrivacy: true,
    mayChangeMailbox: true,
    models,
  });
};

export const buildDeskSettings: FormBuilder = async (services, actor, deskKey) => {
  const edited = await deskToEdit(services.db, actor, deskKey);
  return deskSettingsModal({
    desk: edited.desk,
    version: edited.version,
    mayChangePrivacy: edited.mayChangePrivacy,
    mayChangeMailbox: edited.mayChangeMailbox,
  });
};

export const buildDeskSla: FormBuilder = async (services, actor, deskKey) => {
  const edited = await deskToEdit(services.db, actor, deskKey);
  return deskSlaModal(edited.desk, edited.version);
};

export const buildDeskHours: FormBuilder = async (services, actor, deskKey) => {
  const edited = await deskToEdit(services.db, actor, deskKey);
  return deskHoursModal(edited.desk, edited.version);
};

export const buildDeskTemplates: FormBuilder = async (services, actor, deskKey) => {
  const edited = await deskToEdit(services.db, actor, deskKey);
  return deskTemplatesModal(edited.desk, edited.version);
};

export const buildNewCategory: FormBuilder = async (services, actor) =>
  categoryModal(await categoryToEdit(services.db, actor, undefined));

export const buildCategory: FormBuilder = async (services, actor, id) => {
  const categoryId = Number(id);
  return categoryModal(
    await categoryToEdit(
      services.db,
      actor,
      Number.isInteger(categoryId) && categoryId > 0 ? categoryId : -1,
    ),
  );
};
