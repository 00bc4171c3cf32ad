import { escapeTruncated } from '../../lib/mrkdwn.js';
import type { DeliveryResult } from '../../outbox/deliverer.js';
import type { TicketDetails } from '../../tickets/details.js';
import { type CommentWithFiles, recordCommentMirrored } from '../../tickets/messageRefs.js';
import { type KnownBlock, section } from '../kit/elements.js';
import { authorMrkdwn } from '../kit/requester.js';
import { platformErrorCode } from '../kit/webErrors.js';
import { type DeliveryContext, ticketDetails } from './context.js';
import { fileLinks } from './fileLinks.js';
import { postOnce } from './postOnce.js';

/**
 * A public comment's copy in the card's thread (`comment.mirror`): what the requester wrote, or what
 * the desk answered, so the desk sees the conversation.
 */
export async function mirrorInDeskThread(
  ctx: DeliveryContext,
  details: TicketDetails,
  comment: CommentWithFiles,
): Promise<DeliveryResult> {
  const { cardChannelId: channel, cardTs } = details.ticket;
  if (!channel || !cardTs) return { skipped: 'no card to reply under' };
  if (comment.deletedAt) return { skipped: 'comment deleted' };
  if (comment.mirrorTs) return { skipped: 'already mirrored', ts: comment.mirrorTs };
  const posted = await postOnce(ctx, { channel, thread_ts: cardTs, ...mirrorMessage(details, comment) });
  await recordCommentMirrored(ctx.db, comment.id, posted);
  return posted;
}

/** The requester edited a comment: its copy says so (`comment.edit`). */
export async function editMirror(ctx: DeliveryContext, comment: CommentWithFiles): Promise<DeliveryResult> {
  if (!comment.mirrorChannelId || !comment.mirrorTs) return { skipped: 'no copy to edit' };
  const details = await ticketDetails(ctx, comment.ticketId);
  await ctx.slack.chat.update({
    channel: comment.mirrorChannelId,
    ts: comment.mirrorTs,
    ...mirrorMessage(details, comment),
  });
  return { channel: comment.mirrorChannelId, ts: comment.mirrorTs };
}

/** The requester deleted a comment: so goes its copy (`comment.delete`). */
export async function deleteMirror(ctx: DeliveryContext, comment: CommentWithFiles): Promise<DeliveryResult> {
  if (!comment.mirrorChannelId || !comment.mirrorTs) return { skipped: 'no copy to delete' };
  try {
    await ctx.slack.chat.delete({ channel: comment.mirrorChannelId, ts: comment.mirrorTs });
  } catch (error) {
    if (platformErrorCode(error) === 'message_not_found') return { skipped: 'copy already gone' };
    throw error;
  }
  return { deleted: comment.mirrorTs };
}

function mirrorMessage(
  details: TicketDetails,
  comment: CommentWithFiles,
): { text: string; blocks: KnownBlock[] } {
  const text = mirrorText(details, comment);
  return { text, blocks: [section(text), ...fileLinks(comment.files)] };
}

function mirrorText(details: TicketDetails, comment: CommentWithFiles): string {
  const body = escapeTruncated(comment.body, 2800);
  const edited = comment.editedAt ? ' _(edited)_' : '';
  if (byRequester(details.ticket, comment))
    return `:speech_balloon: *${authorMrkdwn(comment)} (requester) wrote:*\n${body}${edited}`;
  // A mail from an address that is not the requester's (someone in copy): it reached the ticket, but
  // nobody at the desk wrote it.
  if (!comment.authorId) return `:email: *${authorMrkdwn(comment)} wrote:*\n${body}${edited}`;
  return `:leftwards_arrow_with_hook: *${authorMrkdwn(comment)} replied to the requester:*\n${body}${edited}`;
}

/** Whether the requester wrote it: the same member, or, for mail from outside Slack, the same address. */
function byRequester(
  ticket: TicketDetails['ticket'],
  comment: Pick<CommentWithFiles, 'authorId' | 'authorEmail'>,
): boolean {
  if (comment.authorId) return comment.authorId === ticket.requesterId;
  return (
    comment.authorEmail !== null &&
    ticket.requesterEmail !== null &&
    comment.authorEmail.toLowerCase() === ticket.requesterEmail.toLowerCase()
  );
}
