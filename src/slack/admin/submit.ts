import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createCategory, editCategory } from '../../desks/admin/categories.js';
import { createDesk } from '../../desks/admin/createDesk.js';
import { type DeskForm, type DeskFormValues, editDesk } from '../../desks/admin/editDesk.js';
import { STALE_MESSAGE } from '../../desks/admin/errors.js';
import type { AdminActor } from '../../desks/admin/rights.js';
import { FolioError, isFolioError } from '../../domain/errors.js';
import type { SlackServices } from '../context.js';
import { inputBlockIds, parseStateValues, type StateValues } from '../kit/state.js';
import { resolveActor, UNCERTAIN_REFUSAL } from './actor.js';
import { blockErrors } from './errors.js';
import {
  readCategory,
  readDeskHours,
  readDeskSettings,
  readDeskSla,
  readDeskTemplates,
  readLikeDesk,
  readNewDesk,
} from './forms.js';
import { type AdminMetadata, readAdminMetadata } from './metadata.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Applies a submitted form for `actor`; throws a FolioError to refuse it. */
export type FormRunner = (
  services: SlackServices,
  actor: AdminActor,
  values: StateValues,
  metadata: AdminMetadata,
) => Promise<unknown>;

const SAVE_FAILED = 'Folio could not save this just now. Please submit again in a moment.';

/**
 * Submission of an administration modal: who is acting (rights are checked by the use case, whatever
 * the modal was), one use case, then close the modal — or keep it open with the errors beside the
 * fields. A refused or forged submission changes nothing.
 */
export const submitAdminForm =
  (services: SlackServices, run: FormRunner) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const inputs = inputBlockIds(view.blocks);
    const first = inputs[0] ?? 'name';
    const metadata = readAdminMetadata(view.private_metadata);
    if (!metadata) {
      await ack({ response_action: 'errors', errors: { [first]: STALE_MESSAGE } });
      return;
    }
    const { actor, certain } = await resolveActor(client, body.user.id, services.log);
    try {
      await run(services, actor, parseStateValues(view.state.values), metadata);
    } catch (error) {
      if (isFolioError(error)) {
        const message = error.code === 'forbidden' && !certain ? UNCERTAIN_REFUSAL : error.message;
        await ack({ response_action: 'errors', errors: blockErrors(error, inputs, message) });
        return;
      }
      await ack({ response_action: 'errors', errors: { [first]: SAVE_FAILED } });
      throw error;
    }
    await ack();
  };

function editedDesk(metadata: AdminMetadata): { deskKey: string; version: string } {
  if (!metadata.d || !metadata.v) throw new FolioError('stale', STALE_MESSAGE);
  return { deskKey: metadata.d, version: metadata.v };
}

const deskForm =
  (form: DeskForm, read: (values: StateValues) => DeskFormValues): FormRunner =>
  (services, actor, values, metadata) =>
    editDesk(services, { actor, ...editedDesk(metadata), form, values: read(values) });

export const runNewDesk: FormRunner = (services, actor, values) =>
  createDesk(services, { actor, values: readNewDesk(values), like: readLikeDesk(values) });
export const runDeskSettings = deskForm('settings', readDeskSettings);
export const runDeskSla = deskForm('sla', readDeskSla);
export const runDeskHours = deskForm('hours', readDeskHours);
export const runDeskTemplates = deskForm('templates', readDeskTemplates);

export const runCategory: FormRunner = (services, actor, values, metadata) => {
  const input = readCategory(values);
  if (metadata.c === undefined) return createCategory(services, { actor, values: input });
  if (!metadata.v) throw new FolioError('stale', STALE_MESSAGE);
  return editCategory(services, { actor, categoryId: metadata.c, version: metadata.v, values: input });
};
