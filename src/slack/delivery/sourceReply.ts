import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import type { DeliveryResult } from '../../outbox/deliverer.js';
import type { TicketDetails } from '../../tickets/details.js';
import { section } from '../kit/elements.js';
import { platformErrorCode } from '../kit/webErrors.js';
import type { DeliveryContext } from './context.js';
import { postOnce } from './postOnce.js';

/**
 * Where the app may not post (a private channel or DM it is not in, an archived channel), the reply
 * under the source message is skipped: the ticket exists, the person who made it saw it created.
 */
const SOURCE_REPLY_SKIPPED = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'user_not_in_channel',
  'cannot_reply_to_message',
  'thread_not_found',
  'ekm_access_denied',
]);

/**
 * Under the Slack message a ticket was made from (`source.reply`): a reply linking the ticket (public
 * desks), or a note only its creator sees (private desks).
 */
export async function replyUnderSource(
  ctx: DeliveryContext,
  details: TicketDetails,
  threadTs: string,
): Promise<DeliveryResult> {
  const ticket = details.ticket;
  if (!ticket.sourceChannelId) return { skipped: 'ticket has no source message' };
  const text = sourceReplyText(details);
  try {
    if (details.desk.private) {
      // A private desk's ticket is not announced in the channel: only the person who made it hears.
      await ctx.slack.chat.postEphemeral({
        channel: ticket.sourceChannelId,
        user: ticket.createdBy,
        thread_ts: threadTs,
        text,
      });
      return { ephemeral: true };
    }
    return await postOnce(ctx, {
      channel: ticket.sourceChannelId,
      thread_ts: threadTs,
      text,
      blocks: [section(text)],
    });
  } catch (error) {
    const code = platformErrorCode(error);
    if (code && SOURCE_REPLY_SKIPPED.has(code)) return { skipped: code };
    throw error;
  }
}

function sourceReplyText(details: TicketDetails): string {
  const { folio } = details.ticket;
  const desk = escapeMrkdwn(details.desk.name);
  return details.desk.private
    ? `:ticket: You turned this message into *${folio}* for the ${desk} desk. Only its requester and the desk can see it.`
    : `:ticket: This message is now ticket *${folio}* for the ${desk} desk. Follow it with \`/ticket ${folio}\`.`;
}
