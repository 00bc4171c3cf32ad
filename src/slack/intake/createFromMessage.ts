import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { slackMarkupToText, truncate } from '../../lib/mrkdwn.js';
import { deleteDraft, saveDraft, ticketFromMessage } from '../../tickets/drafts.js';
import { DESCRIPTION_INPUT_MAX_LENGTH, SUBJECT_MAX_LENGTH } from '../../tickets/limits.js';
import { visibleTicketById } from '../../tickets/show.js';
import type { SlackServices } from '../context.js';
import { readSlackFiles } from '../kit/files.js';
import { permalink } from '../kit/workspace.js';
import { alreadyTicketMessage } from './alreadyTicket.js';
import { openCreateTicketModal } from './openCreateTicket.js';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * Message shortcut "Create ticket": the create modal filled from the message (subject from its first
 * line, description from its text, its files attached), with the message's author as requester. A
 * message that is already a ticket gets "already TKT042" instead of a second ticket.
 */
export const createFromMessageShortcut =
  (services: SlackServices) =>
  async ({ ack, shortcut, client, respond }: Args): Promise<void> => {
    await ack();
    services.background.run('turning a message into a ticket', async () => {
      const viewer = shortcut.user.id;
      const channelId = shortcut.channel.id;
      const { message } = shortcut;
      const existing = await ticketFromMessage(services.db, channelId, message.ts);
      if (existing) {
        const visible = await visibleTicketById(services, viewer, existing.id);
        await respond({ response_type: 'ephemeral', ...alreadyTicketMessage(visible?.ticket) });
        return;
      }

      const text = slackMarkupToText(message.text ?? '');
      const { files } = readSlackFiles(message.files);
      const threadTs = typeof message.thread_ts === 'string' ? message.thread_ts : null;
      const url =
        (await services.workspace.tryGet())?.url ?? `https://${shortcut.team?.domain ?? 'app'}.slack.com/`;
      // A bot's message has no person behind it: whoever turns it into a ticket is asking.
      const author = typeof message.user === 'string' && !message.bot_id ? message.user : viewer;
      const draftId = await saveDraft(
        services.db,
        {
          channelId,
          messageTs: message.ts,
          threadTs,
          authorId: author,
          text,
          files,
          permalink: permalink(url, channelId, message.ts, threadTs),
        },
        services.clock.now(),
      );
      const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
      try {
        await openCreateTicketModal(services, client, shortcut.trigger_id, {
          initial: {
            subject: truncate(firstLine.replace(/\s+/g, ' ').trim(), SUBJECT_MAX_LENGTH),
            description: text,
          },
          metadata: { source: 'message_shortcut', channelId, draftId },
          fromMessage: {
            requester: author,
            files,
            truncated: Array.from(text).length > DESCRIPTION_INPUT_MAX_LENGTH,
          },
        });
      } catch (error) {
        await deleteDraft(services.db, draftId);
        await respond({
          response_type: 'ephemeral',
          text: 'Sorry, the ticket form could not be opened. Please try again.',
        });
        throw error;
      }
    });
  };
