import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { SlackServices } from '../context.js';
import { openCreateTicketModal } from './openCreateTicket.js';

type Args = SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs;

/** Global shortcut "New ticket": the same modal as `/ticket`. */
export const newTicketShortcut =
  (services: SlackServices) =>
  async ({ ack, shortcut, client }: Args): Promise<void> => {
    await ack();
    services.background.run('opening the create-ticket modal', () =>
      openCreateTicketModal(services, client, shortcut.trigger_id, {
        metadata: { source: 'global_shortcut' },
      }),
    );
  };
