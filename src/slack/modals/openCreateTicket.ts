import type { WebClient } from '@slack/web-api';
import type { Services } from '../../services.js';
import { createTicketChoices } from '../../tickets/formOptions.js';
import { type CreateTicketModalOptions, createTicketModal } from '../blocks/createTicketModal.js';

/** Opens the create-ticket modal on a fresh trigger (valid for 3 seconds, once). */
export async function openCreateTicketModal(
  services: Services,
  client: WebClient,
  triggerId: string,
  o: Pick<CreateTicketModalOptions, 'initial' | 'metadata'>,
): Promise<void> {
  const choices = await createTicketChoices(services.db);
  await client.views.open({ trigger_id: triggerId, view: createTicketModal({ ...choices, ...o }) });
}
