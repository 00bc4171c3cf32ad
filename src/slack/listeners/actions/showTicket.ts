import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { showTicketAnswer } from '../../answers/showTicket.js';
import type { SlackServices } from '../../context.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** "View" beside a ticket: shows it to the person who clicked (ephemeral, below the list). */
export const showTicket =
  (s: SlackServices) =>
  async ({ ack, action, body, respond }: Args): Promise<void> => {
    await ack();
    s.background.run('showing a ticket', async () => {
      const message = await showTicketAnswer(s, body.user.id, action.value ?? '');
      await respond({ response_type: 'ephemeral', replace_original: false, ...message });
    });
  };
