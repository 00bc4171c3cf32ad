import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../../services.js';
import { helpMessage } from '../../blocks/help.js';
import { openCreateTicketModal } from '../../modals/openCreateTicket.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/ticket [subject] | help`. The answer to `help` rides on the ack itself; anything else opens the
 * create modal, with the words typed as its subject.
 */
export const ticketCommand =
  (services: Services) =>
  async ({ ack, command, client, respond, logger }: Args): Promise<void> => {
    const text = command.text.trim();
    if (text.toLowerCase() === 'help') {
      await ack({ response_type: 'ephemeral', ...helpMessage() });
      return;
    }
    await ack();
    try {
      await openCreateTicketModal(services, client, command.trigger_id, {
        initial: text ? { subject: text } : {},
        metadata: { source: 'slash_command', channelId: command.channel_id },
      });
    } catch (error) {
      logger.error('Could not open the create-ticket modal', error);
      await respond({
        response_type: 'ephemeral',
        text: 'Sorry, the ticket form could not be opened just now. Please try `/ticket` again in a moment.',
      });
    }
  };
