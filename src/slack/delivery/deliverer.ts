import { type Deliverer, type DeliveryResult, PermanentDeliveryError } from '../../outbox/deliverer.js';
import { OUTBOX_KINDS } from '../../outbox/messages.js';
import { classifySlackError } from '../kit/webErrors.js';
import { postCard, updateCard } from './card.js';
import { commentWithFiles, type DeliveryContext, type SlackDeliveryDeps, ticketDetails } from './context.js';
import { noteInDeskThread } from './deskNote.js';
import { uploadHeldFile } from './fileUpload.js';
import { publishHome } from './homePublish.js';
import { deleteMirror, editMirror, mirrorInDeskThread } from './mirror.js';
import { postMessage, postSlaDigest } from './posts.js';
import { notifyRequester, postReplyToRequester } from './requester.js';
import { replyUnderSource } from './sourceReply.js';

/**
 * The Slack deliverer: how each kind of outbox message reaches Slack, rendered from the ticket as it
 * is when delivered. A failed Web API call is classified for the relay by its Slack error
 * (webErrors.ts): rate limited, worth a retry (perhaps after posting), or never deliverable.
 */
export function slackDeliverer(deps: SlackDeliveryDeps): Deliverer {
  return {
    // Mail goes by the mail channel's deliverer (src/mail/); every other kind reaches Slack.
    kinds: OUTBOX_KINDS.filter((kind) => !kind.startsWith('mail.')),
    deliver: (delivery) => deliver({ ...deps, delivery }),
    classify: classifySlackError,
  };
}

async function deliver(ctx: DeliveryContext): Promise<DeliveryResult> {
  const { message } = ctx.delivery;
  switch (message.kind) {
    case 'card.post':
      return postCard(ctx, await ticketDetails(ctx, message.ticketId));
    case 'card.update':
      return updateCard(ctx, await ticketDetails(ctx, message.ticketId));
    case 'requester.notify':
      return notifyRequester(ctx, await ticketDetails(ctx, message.ticketId), message.template);
    case 'source.reply':
      return replyUnderSource(ctx, await ticketDetails(ctx, message.ticketId), message.threadTs);
    case 'requester.reply':
      return postReplyToRequester(
        ctx,
        await ticketDetails(ctx, message.ticketId),
        await commentWithFiles(ctx, message.commentId),
      );
    case 'comment.mirror':
      return mirrorInDeskThread(
        ctx,
        await ticketDetails(ctx, message.ticketId),
        await commentWithFiles(ctx, message.commentId),
      );
    case 'comment.edit':
      return editMirror(ctx, await commentWithFiles(ctx, message.commentId));
    case 'comment.delete':
      return deleteMirror(ctx, await commentWithFiles(ctx, message.commentId));
    case 'desk.note':
      return noteInDeskThread(ctx, await ticketDetails(ctx, message.ticketId), message.text);
    case 'message.post':
      return postMessage(ctx, message);
    case 'sla.digest':
      return postSlaDigest(ctx, message);
    case 'home.publish':
      return publishHome(ctx, message.userId);
    case 'file.upload':
      return uploadHeldFile(ctx, message.ticketId, message.uploadId);
    case 'mail.notify':
    case 'mail.reply':
      throw new PermanentDeliveryError(`${message.kind} is the mail channel's`);
  }
}
