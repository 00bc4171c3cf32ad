import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { parseJsonAs } from '../../lib/json.js';
import type { SlackServices } from '../context.js';
import { notice } from '../kit/elements.js';
import { listRequestSchema } from './ticketList.js';
import { listAnswer } from './ticketLists.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** "Previous" / "Next" under a list: replaces the list with the page asked for. */
export const listPage =
  (services: SlackServices) =>
  async ({ ack, action, body, respond }: Args): Promise<void> => {
    await ack();
    services.background.run('a list page', async () => {
      const request = parseJsonAs(listRequestSchema, action.value);
      const message = request
        ? await listAnswer(services, body.user.id, request)
        : notice('This list is out of date. Run the `/ticket` command again.');
      await respond({ response_type: 'ephemeral', replace_original: true, ...message });
    });
  };
