import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { isFolioError } from '../../domain/errors.js';
import { parseJsonAs } from '../../lib/json.js';
import { checkNewTicket, createTicket, type NewTicket } from '../../tickets/createTicket.js';
import { deleteDraft, findDraft, ticketFields } from '../../tickets/drafts.js';
import { visibleTicketById } from '../../tickets/show.js';
import type { SlackServices } from '../context.js';
import { CREATE_INPUT } from '../ids.js';
import { inputBlockIds, parseStateValues } from '../kit/state.js';
import { alreadyTicketModal } from './alreadyTicket.js';
import { createTicketMetadataSchema, readCreateTicketForm } from './createTicketModal.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const OUT_OF_DATE = 'This form is out of date. Close it and open a new ticket again.';
const REQUESTER_NOT_OFFERED =
  'This form does not choose who the ticket is for: it files it for you. Nothing was saved. ' +
  'To open a ticket for someone else, use “Create ticket” on their message.';
const SAVE_FAILED = 'Folio could not save the ticket just now. Please submit again in a moment.';
const BLOCK_OF_FIELD: Record<string, string> = { ...CREATE_INPUT };

/** Field errors from the use case, keyed by the modal's block ids (unknown fields go by the subject). */
function toBlockErrors(fields: Readonly<Record<string, string>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    const block = BLOCK_OF_FIELD[field] ?? CREATE_INPUT.subject;
    errors[block] ??= message;
  }
  return errors;
}

/**
 * Submission of the create modal: validate (errors shown beside the fields), create the ticket, close
 * the modal. The card, the requester's DM and the reply under a source message follow from the
 * outbox. The view id is the submission's idempotency key: Slack delivering it twice makes one ticket.
 * Only a modal that offered a requester field (one made from a message) names the requester; a
 * submission naming one its modal did not offer is refused, and the ticket is otherwise the
 * submitter's own.
 */
export const createTicketSubmission =
  (services: SlackServices) =>
  async ({ ack, body, view }: Args): Promise<void> => {
    const metadata = parseJsonAs(createTicketMetadataSchema, view.private_metadata);
    const draft = metadata?.draftId
      ? await findDraft(services.db, metadata.draftId, services.clock.now())
      : undefined;
    if (!metadata || (metadata.draftId && !draft)) {
      await ack({ response_action: 'errors', errors: { [CREATE_INPUT.subject]: OUT_OF_DATE } });
      return;
    }
    const form = readCreateTicketForm(parseStateValues(view.state.values));
    const offersRequester = inputBlockIds(view.blocks).includes(CREATE_INPUT.requester);
    if (form.value.requesterId !== undefined && !offersRequester) {
      await ack({ response_action: 'errors', errors: { [CREATE_INPUT.subject]: REQUESTER_NOT_OFFERED } });
      return;
    }
    const input: NewTicket = {
      ...ticketFields(form.value, draft),
      createdBy: body.user.id,
      requesterId: form.value.requesterId ?? body.user.id,
      source: metadata.source,
      idempotencyKey: view.id,
    };
    const errors = { ...toBlockErrors(checkNewTicket(input)), ...form.errors };
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    let result: Awaited<ReturnType<typeof createTicket>>;
    try {
      result = await createTicket(services, input);
    } catch (error) {
      if (isFolioError(error)) {
        // A refusal: submitting the same again cannot succeed, so the modal says what to change.
        const fields = Object.keys(error.fields).length > 0 ? error.fields : { subject: error.message };
        if (error.code === 'unstorable') {
          services.log.warn('The database refused a new ticket', { user: body.user.id }, error);
        }
        await ack({ response_action: 'errors', errors: toBlockErrors(fields) });
        return;
      }
      // Keep the person's text in the open modal and say so; the error itself goes to the log.
      await ack({ response_action: 'errors', errors: { [CREATE_INPUT.subject]: SAVE_FAILED } });
      throw error;
    }
    if (!result.created && result.reason === 'same_message') {
      const visible = await visibleTicketById(services, body.user.id, result.ticket.id);
      await ack({ response_action: 'update', view: alreadyTicketModal(visible?.ticket) });
    } else {
      await ack();
    }
    if (draft) await deleteDraft(services.db, draft.id);
  };
