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
  (s: SlackServices) =>
  async ({ ack, command, client, respond }: Args): Promise<void> => {
    // Only a lone folio-shaped word needs the prefixes in use: everything else is acked without a query.
    const prefixes = looksLikeFolio(command.text) ? await folioPrefixes(s.db) : [];
    const parsed = parseTicketCommand(command.text, prefixes);
    if (parsed.kind === 'create') {
      await ack();
      try {
        await openCreateTicketModal(s, client, command.trigger_id, {
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
    const ephemeral = (m: Message) => ({ response_type: 'ephemeral' as const, ...m });
    await answerQuickly({
      work: answer(s, command.user_id, parsed),
      ack: (m) => (m ? ack(ephemeral(m)) : ack()),
      respond: (m) => respond(ephemeral(m)),
      failure: FAILURE,
      background: s.background,
    });
  };

function answer(
  s: SlackServices,
  viewer: string,
  c: Exclude<TicketCommand, { kind: 'create' }>,
): Promise<Message> {
  switch (c.kind) {
    case 'help':
      return Promise.resolve(helpMessage());
    case 'unknown':
      return Promise.resolve(
        helpMessage(
          c.suggestion
            ? `\`${escapeMrkdwn(c.word)}\` is not something \`/ticket\` knows. Did you mean \`/ticket ${c.suggestion}\`?`
            : c.word === 'search'
              ? SEARCH_HELP
              : undefined,
        ),
      );
    case 'list':
      return listAnswer(s, viewer, { l: 'list', p: 0 });
    case 'mine':
      return listAnswer(s, viewer, { l: 'mine', p: 0 });
    case 'queue':
      return queueAnswer(s, viewer, c.desk);
    case 'search': {
      const q = searchText(c.words);
      return q ? listAnswer(s, viewer, { l: 'search', p: 0, q }) : Promise.resolve(helpMessage(SEARCH_HELP));
    }
    case 'show':
      return showTicketAnswer(s, viewer, c.folio);
    case 'stats':
      return statsAnswer(s, viewer);
  }
}
