import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../../services.js';
import { openCreateTicketModal } from '../../modals/openCreateTicket.js';

type Args = SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs;

/** Global shortcut "New ticket": the same modal as `/ticket`. */
export const newTicketShortcut =
  (services: Services) =>
  async ({ ack, shortcut, client }: Args): Promise<void> => {
    await ack();
    await openCreateTicketModal(services, client, shortcut.trigger_id, {
      metadata: { source: 'global_shortcut' },
    });
  };
