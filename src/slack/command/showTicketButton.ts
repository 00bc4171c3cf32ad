import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { truncate } from '../../lib/mrkdwn.js';
import type { SlackServices } from '../context.js';
import { plain } from '../kit/elements.js';
import { showTicketAnswer } from './showTicket.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * "View" / "Open" beside a ticket: shows it to the person who clicked, below the list they clicked in
 * (ephemeral), or in a modal when they clicked in the App Home, where nothing can be posted.
 */
export const showTicketButton =
  (services: SlackServices) =>
  async ({ ack, action, body, client, respond }: Args): Promise<void> => {
    await ack();
    services.background.run('showing a ticket', async () => {
      const folio = action.value ?? '';
      const message = await showTicketAnswer(services, body.user.id, folio);
      if (body.response_url) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...message });
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          title: plain(truncate(folio || 'Ticket', 24), 24),
          close: plain('Close', 24),
          blocks: message.blocks.slice(0, 100),
        },
      });
    });
  };
