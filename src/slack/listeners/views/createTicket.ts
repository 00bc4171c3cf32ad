import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { isFolioError } from '../../../domain/errors.js';
import type { Services } from '../../../services.js';
import { checkNewTicket, createTicket, type NewTicket } from '../../../tickets/createTicket.js';
import { createTicketMetadataSchema, readCreateTicketForm } from '../../blocks/createTicketModal.js';
import { CREATE_INPUT } from '../../ids.js';
import { parseStateValues } from '../../state.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

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
 * the modal. The card and the requester's DM follow from the outbox. The view id is the submission's
 * idempotency key: Slack delivering it twice makes one ticket.
 */
export const createTicketSubmission =
  (services: Services) =>
  async ({ ack, body, view }: Args): Promise<void> => {
    const metadata = createTicketMetadataSchema.safeParse(safeJson(view.private_metadata));
    if (!metadata.success) {
      await ack({
        response_action: 'errors',
        errors: { [CREATE_INPUT.subject]: 'This form is out of date. Close it and open a new ticket again.' },
      });
      return;
    }
    const form = readCreateTicketForm(parseStateValues(view.state.values));
    const input: NewTicket = {
      ...form.value,
      requesterId: body.user.id,
      createdBy: body.user.id,
      source: metadata.data.source,
      idempotencyKey: view.id,
    };
    const errors = { ...toBlockErrors(checkNewTicket(input)), ...form.errors };
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    try {
      await createTicket(services, input);
    } catch (error) {
      if (isFolioError(error) && error.code === 'invalid_input') {
        await ack({ response_action: 'errors', errors: toBlockErrors(error.fields) });
        return;
      }
      // Keep the person's text in the open modal and say so; the error itself goes to the log.
      await ack({
        response_action: 'errors',
        errors: {
          [CREATE_INPUT.subject]:
            'Folio could not save the ticket just now. Please submit again in a moment.',
        },
      });
      throw error;
    }
    await ack();
  };

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
