import { type DeliveryResult, PermanentDeliveryError } from '../../outbox/deliverer.js';
import type { OutboxMessage } from '../../outbox/messages.js';
import type { TicketDetails } from '../../tickets/details.js';
import {
  type CommentWithFiles,
  type MessageRef,
  recordCommentPosted,
  recordRequesterThread,
} from '../../tickets/messageRefs.js';
import { requesterNotice } from '../conversation/requesterNotice.js';
import type { KnownBlock } from '../kit/elements.js';
import { authorMrkdwn } from '../kit/requester.js';
import type { DeliveryContext } from './context.js';
import { fileLinks } from './fileLinks.js';
import { postOnce } from './postOnce.js';

/**
 * Posts in the requester's thread with the app; the first message to the requester becomes the root
 * of their conversation with the desk.
 */
export async function postToRequester(
  ctx: DeliveryContext,
  ticket: TicketDetails['ticket'],
  message: { text: string; blocks: KnownBlock[] },
): Promise<MessageRef> {
  const channel = ticket.requesterChannelId ?? ticket.requesterId;
  // Messages to an external requester are enqueued as mail (tickets/requesterChannel.ts).
  if (!channel) throw new PermanentDeliveryError(`${ticket.folio} has no requester in Slack`);
  const posted = await postOnce(ctx, {
    channel,
    ...(ticket.requesterThreadTs ? { thread_ts: ticket.requesterThreadTs } : {}),
    ...message,
  });
  if (!ticket.requesterThreadTs) await recordRequesterThread(ctx.db, ticket.id, posted);
  return posted;
}

/** A message to the requester from one of the desk's templates (`requester.notify`). */
export async function notifyRequester(
  ctx: DeliveryContext,
  details: TicketDetails,
  template: Extract<OutboxMessage, { kind: 'requester.notify' }>['template'],
): Promise<DeliveryResult> {
  return postToRequester(ctx, details.ticket, requesterNotice(details, template));
}

/** The requester sees a desk member's public reply in their DM thread, from the desk's template. */
export async function postReplyToRequester(
  ctx: DeliveryContext,
  details: TicketDetails,
  comment: CommentWithFiles,
): Promise<DeliveryResult> {
  if (comment.deletedAt) return { skipped: 'comment deleted' };
  if (comment.slackTs) return { skipped: 'already posted', ts: comment.slackTs };
  const notice = requesterNotice(details, 'publicReply', {
    author: { mrkdwn: authorMrkdwn(comment) },
    comment: comment.body,
  });
  const posted = await postToRequester(ctx, details.ticket, {
    text: notice.text,
    blocks: [...notice.blocks, ...fileLinks(comment.files)],
  });
  await recordCommentPosted(ctx.db, comment.id, posted);
  return posted;
}
