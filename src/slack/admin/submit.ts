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
  s: SlackServices,
  actor: AdminActor,
  values: StateValues,
  m: AdminMetadata,
) => Promise<unknown>;

const SAVE_FAILED = 'Folio could not save this just now. Please submit again in a moment.';

/**
 * Submission of an administration modal: who is acting (rights are checked by the use case, whatever
 * the modal was), one use case, then close the modal — or keep it open with the errors beside the
 * fields. A refused or forged submission changes nothing.
 */
export const submitAdminForm =
  (s: SlackServices, run: FormRunner) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const inputs = inputBlockIds(view.blocks);
    const first = inputs[0] ?? 'name';
    const metadata = readAdminMetadata(view.private_metadata);
    if (!metadata) {
      await ack({ response_action: 'errors', errors: { [first]: STALE_MESSAGE } });
      return;
    }
    const { actor, certain } = await resolveActor(client, body.user.id, s.log);
    try {
      await run(s, actor, parseStateValues(view.state.values), metadata);
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

function editedDesk(m: AdminMetadata): { deskKey: string; version: string } {
  if (!m.d || !m.v) throw new FolioError('stale', STALE_MESSAGE);
  return { deskKey: m.d, version: m.v };
}

const deskForm =
  (form: DeskForm, read: (values: StateValues) => DeskFormValues): FormRunner =>
  (s, actor, values, m) =>
    editDesk(s, { actor, ...editedDesk(m), form, values: read(values) });

export const runNewDesk: FormRunner = (s, actor, values) =>
  createDesk(s, { actor, values: readNewDesk(values), like: readLikeDesk(values) });
export const runDeskSettings = deskForm('settings', readDeskSettings);
export const runDeskSla = deskForm('sla', readDeskSla);
export const runDeskHours = deskForm('hours', readDeskHours);
export const runDeskTemplates = deskForm('templates', readDeskTemplates);

export const runCategory: FormRunner = (s, actor, values, m) => {
  const input = readCategory(values);
  if (m.c === undefined) return createCategory(s, { actor, values: input });
  if (!m.v) throw new FolioError('stale', STALE_MESSAGE);
  return editCategory(s, { actor, categoryId: m.c, version: m.v, values: input });
};
