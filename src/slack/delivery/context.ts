import type { WebClient } from '@slack/web-api';
import type { Db } from '../../db/client.js';
import type { DeskDirectory } from '../../desks/directory.js';
import type { FolioLogger } from '../../lib/logger.js';
import { type Delivery, PermanentDeliveryError } from '../../outbox/deliverer.js';
import { loadTicketDetails, type TicketDetails } from '../../tickets/details.js';
import { type CommentWithFiles, loadCommentWithFiles } from '../../tickets/messageRefs.js';

/** What the Slack deliverer works with. */
export interface SlackDeliveryDeps {
  db: Db;
  /** Desks for rendering. */
  directory: DeskDirectory;
  /** A Web API client that does not retry on its own: the relay retries (honouring Retry-After). */
  slack: WebClient;
  log: FolioLogger;
}

/** The same, with the outbox row being delivered. */
export interface DeliveryContext extends SlackDeliveryDeps {
  delivery: Delivery;
}

/** The ticket as it is now, rendered by every kind about a ticket. */
export async function ticketDetails(ctx: DeliveryContext, ticketId: number): Promise<TicketDetails> {
  const details = await loadTicketDetails(ctx.db, ctx.directory, ticketId);
  if (!details) throw new PermanentDeliveryError(`ticket ${ticketId} does not exist`);
  return details;
}

export async function commentWithFiles(ctx: DeliveryContext, commentId: number): Promise<CommentWithFiles> {
  const comment = await loadCommentWithFiles(ctx.db, commentId);
  if (!comment) throw new PermanentDeliveryError(`comment ${commentId} does not exist`);
  return comment;
}
