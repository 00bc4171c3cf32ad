import type { WebClient } from '@slack/web-api';
import type { Services } from '../../services.js';
import { createTicketChoices } from '../../tickets/formOptions.js';
import { openModal } from '../kit/openModal.js';
import { type CreateTicketModalOptions, createTicketModal } from './createTicketModal.js';

/** Opens the create-ticket modal (through a loading view if its choices are slow to read). */
export async function openCreateTicketModal(
  services: Services,
  client: WebClient,
  triggerId: string,
  options: Pick<CreateTicketModalOptions, 'initial' | 'metadata' | 'fromMessage'>,
): Promise<void> {
  const view = createTicketChoices(services).then((choices) => createTicketModal({ ...choices, ...options }));
  await openModal(client, triggerId, view);
}
