import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { looksLikeFolio } from '../../domain/folio.js';
import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import { searchText } from '../../tickets/search.js';
import { folioPrefixes } from '../../tickets/show.js';
import type { SlackServices } from '../context.js';
import { openCreateTicketModal } from '../intake/openCreateTicket.js';
import { type KnownBlock, notice } from '../kit/elements.js';
import { parseTicketCommand, type TicketCommand } from './commandText.js';
import { helpMessage } from './help.js';
import { answerQuickly } from './quick.js';
import { showTicketAnswer } from './showTicket.js';
import { statsAnswer } from './stats.js';
import { listAnswer, queueAnswer } from './ticketLists.js';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type Message = { text: string; blocks: KnownBlock[] };

const FAILURE = notice('Sorry, Folio could not answer just now. Please try again in a moment.');
const SEARCH_HELP = 'Type the words to look for after `search`, e.g. `/ticket search printer jam`.';

/**
 * `/ticket …`: opens the create modal (with the typed words as subject), or answers a subcommand
 * ephemerally. See commandText.ts for how the text is read.
 */
export const ticketCommand =
  (services: SlackServices) =>
  async ({ ack, command, client, respond }: Args): Promise<void> => {
    // Only a lone folio-shaped word needs the prefixes in use: everything else is acked without a query.
    const prefixes = looksLikeFolio(command.text) ? await folioPrefixes(services.db) : [];
    const parsed = parseTicketCommand(command.text, prefixes);
    if (parsed.kind === 'create') {
      await ack();
      try {
        await openCreateTicketModal(services, client, command.trigger_id, {
          initial: parsed.subject ? { subject: parsed.subject } : {},
          metadata: { source: 'slash_command', channelId: command.channel_id },
        });
      } catch (error) {
        await respond({
          response_type: 'ephemeral',
          text: 'Sorry, the ticket form could not be opened. Please try `/ticket` again.',
        });
        throw error;
      }
      return;
    }
    const ephemeral = (message: Message) => ({ response_type: 'ephemeral' as const, ...message });
    await answerQuickly({
      work: answer(services, command.user_id, parsed),
      ack: (message) => (message ? ack(ephemeral(message)) : ack()),
      respond: (message) => respond(ephemeral(message)),
      failure: FAILURE,
      background: services.background,
    });
  };

function answer(
  services: SlackServices,
  viewer: string,
  parsed: Exclude<TicketCommand, { kind: 'create' }>,
): Promise<Message> {
  switch (parsed.kind) {
    case 'help':
      return Promise.resolve(helpMessage());
    case 'unknown':
      return Promise.resolve(
        helpMessage(
          parsed.suggestion
            ? `\`${escapeMrkdwn(parsed.word)}\` is not something \`/ticket\` knows. Did you mean \`/ticket ${parsed.suggestion}\`?`
            : parsed.word === 'search'
              ? SEARCH_HELP
              : undefined,
        ),
      );
    case 'list':
      return listAnswer(services, viewer, { l: 'list', p: 0 });
    case 'mine':
      return listAnswer(services, viewer, { l: 'mine', p: 0 });
    case 'queue':
      return queueAnswer(services, viewer, parsed.desk);
    case 'search': {
      const query = searchText(parsed.words);
      return query
        ? listAnswer(services, viewer, { l: 'search', p: 0, q: query })
        : Promise.resolve(helpMessage(SEARCH_HELP));
    }
    case 'show':
      return showTicketAnswer(services, viewer, parsed.folio);
    case 'stats':
      return statsAnswer(services, viewer);
  }
}
