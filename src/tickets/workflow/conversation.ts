import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client.js';
import { type CommentRow, comments, type TicketRow, tickets } from '../../db/schema/index.js';
import { transaction } from '../../db/tx.js';
import { FolioError } from '../../domain/errors.js';
import type { FileRef } from '../../domain/files.js';
import { isActive, type Status } from '../../domain/status.js';
import { normalizeText } from '../../domain/text.js';
import { enqueue, type OutboxMessage } from '../../outbox/messages.js';
import type { Services } from '../../services.js';
import { MESSAGE_MAX_LENGTH } from '../limits.js';
import {
  type HeldFile,
  holdFiles,
  linkMailToComment,
  type ReceivedMail,
  recordReceivedMail,
} from '../mailIntake.js';
import type { Permission } from '../rights.js';
import {
  type ChangeContext,
  type ChangePlan,
  type ChangeResult,
  changeTicket,
  firstDelivery,
} from './change.js';
import { excerpt, findCommentBySlack, insertComment } from './comments.js';
import { movePath, woken } from './moves.js';

/**
 * The conversation around a ticket, as it happens in Slack: the requester's messages in their DM
 * thread (public comments, mirrored to the desk), the desk's messages in the card's thread (internal
 * notes, never sent to the requester), edits and deletions, and the requester's answers to a
 * resolution. Each Slack message makes at most one comment, whatever Slack redelivers.
 */

export interface SlackMessageRef {
  channel: string;
  ts: string;
  eventId?: string;
}

/** Which ticket a thread belongs to, and on which side of the conversation. */
export async function ticketForThread(
  db: Queryable,
  channel: string,
  threadTs: string,
): Promise<{ ticket: TicketRow; side: 'desk' | 'requester' } | undefined> {
  const [card] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.cardChannelId, channel), eq(tickets.cardTs, threadTs)));
  if (card) return { ticket: card, side: 'desk' };
  const [dm] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.requesterChannelId, channel), eq(tickets.requesterThreadTs, threadTs)));
  return dm ? { ticket: dm, side: 'requester' } : undefined;
}

/** What the requester's words do to the ticket's status (docs/design.md "Status rules"). */
function requesterReopens(ctx: ChangeContext): ReturnType<typeof movePath> {
  const reopen: Partial<Record<Status, Status>> = { waiting: 'open', resolved: 'open', closed: 'open' };
  const to = reopen[ctx.ticket.status];
  return to ? movePath(ctx, [to], 'requester') : { set: {}, events: [] };
}

/** A snoozed ticket wakes early when the requester writes. */
function wakesOnReply(ctx: ChangeContext): Pick<ChangePlan, 'set' | 'events'> {
  return ctx.ticket.snoozedUntil ? woken('requester_replied') : { set: {}, events: [] };
}

function combine(...parts: Pick<ChangePlan, 'set' | 'events' | 'messages'>[]): ChangePlan {
  return {
    set: Object.assign({}, ...parts.map((part) => part.set ?? {})),
    events: parts.flatMap((part) => part.events ?? []),
    messages: parts.flatMap((part) => part.messages ?? []),
  };
}

type SlackComment = {
  ticketId: number;
  actorId: string;
  body: string;
  files: FileRef[];
  slack: SlackMessageRef;
};

/**
 * A message written in Slack becomes a comment of the ticket, once: the same message again (under
 * another event id) changes nothing. Its text is stored normalized (domain/text.ts). `then` plans what
 * the comment (its id and the body stored) brings about.
 */
function commentFromSlack(
  services: Services,
  message: SlackComment,
  kind: { permission: Permission; visibility: 'public' | 'internal' },
  then: (ctx: ChangeContext, comment: { id: number; body: string }) => ChangePlan,
): Promise<ChangeResult> {
  const body = normalizeText(message.body);
  return changeTicket(services, {
    ticketId: message.ticketId,
    actorId: message.actorId,
    permission: kind.permission,
    ...(message.slack.eventId ? { slackEventId: message.slack.eventId } : {}),
    plan: async (ctx) => {
      const commentId = await insertComment(ctx.tx, {
        ticketId: ctx.ticket.id,
        authorId: message.actorId,
        body,
        visibility: kind.visibility,
        files: message.files,
        slack: message.slack,
        at: ctx.now,
      });
      return commentId === undefined ? {} : then(ctx, { id: commentId, body });
    },
  });
}

/** The requester wrote in their DM thread with the app: a public comment, copied to the desk. */
export function addRequesterComment(services: Services, message: SlackComment): Promise<ChangeResult> {
  return commentFromSlack(
    services,
    message,
    { permission: 'requester', visibility: 'public' },
    (ctx, comment) => {
      const reopened = requesterReopens(ctx);
      const event = ctx.ticket.status === 'closed' ? 'ticket.reopened' : 'ticket.requester_commented';
      return combine(
        { events: [{ type: event, data: { commentId: comment.id, excerpt: excerpt(comment.body) } }] },
        reopened,
        wakesOnReply(ctx),
        { messages: [{ kind: 'comment.mirror', ticketId: ctx.ticket.id, commentId: comment.id }] },
      );
    },
  );
}

/**
 * Someone wrote in the card's thread: an internal note, which stays with the desk. The thread lives in
 * the desk's channel: whoever can write there is talking to the desk.
 */
export function addDeskNote(services: Services, message: SlackComment): Promise<ChangeResult> {
  return commentFromSlack(
    services,
    message,
    { permission: 'anyone', visibility: 'internal' },
    (_ctx, comment) => ({
      events: [{ type: 'ticket.note_added', data: { commentId: comment.id } }],
    }),
  );
}

/**
 * A change Slack reports on a synced message (an edit, a deletion): applied to its comment, and to
 * Folio's copy of a public comment in the card's thread. Messages that are no comment are ignored.
 */
async function changeSyncedComment(
  services: Services,
  message: { channel: string; ts: string; eventId?: string | undefined },
  change: {
    applies(comment: CommentRow): boolean;
    /** Who makes the change: Slack names the editor, not who deleted; only an author can do either. */
    actorId(comment: CommentRow): string;
    set(now: Date): Partial<CommentRow>;
    event: 'comment.edited' | 'comment.deleted';
    copy: 'comment.edit' | 'comment.delete';
  },
): Promise<ChangeResult | undefined> {
  const comment = await findCommentBySlack(services.db, message.channel, message.ts);
  if (!comment || !change.applies(comment)) return undefined;
  return changeTicket(services, {
    ticketId: comment.ticketId,
    actorId: change.actorId(comment),
    permission: 'anyone',
    ...(message.eventId ? { slackEventId: message.eventId } : {}),
    plan: async (ctx) => {
      await ctx.tx.update(comments).set(change.set(ctx.now)).where(eq(comments.id, comment.id));
      const messages: OutboxMessage[] =
        comment.visibility === 'public'
          ? [{ kind: change.copy, ticketId: comment.ticketId, commentId: comment.id }]
          : [];
      return { events: [{ type: change.event, data: { commentId: comment.id } }], messages, activity: false };
    },
  });
}

/** A synced message was edited in Slack by its author. */
export function editCommentFromSlack(
  services: Services,
  edit: { actorId: string; channel: string; ts: string; body: string; eventId?: string },
): Promise<ChangeResult | undefined> {
  const body = normalizeText(edit.body);
  return changeSyncedComment(services, edit, {
    applies: (comment) => comment.authorId === edit.actorId && comment.body !== body,
    actorId: () => edit.actorId,
    set: (now) => ({ body, editedAt: now }),
    event: 'comment.edited',
    copy: 'comment.edit',
  });
}

/** A synced message was deleted in Slack. */
export function deleteCommentFromSlack(
  services: Services,
  message: { channel: string; ts: string; eventId?: string },
): Promise<ChangeResult | undefined> {
  return changeSyncedComment(services, message, {
    // Only a Slack message is deleted in Slack: a comment that came by mail has no author there.
    applies: (comment) => !comment.deletedAt && comment.authorId !== null,
    actorId: (comment) => comment.authorId ?? '',
    set: (now) => ({ deletedAt: now }),
    event: 'comment.deleted',
    copy: 'comment.delete',
  });
}

/** The requester confirms a resolved ticket is fixed: it closes. */
export function confirmFix(
  services: Services,
  request: { ticketId: number; actorId: string; version?: number },
): Promise<ChangeResult> {
  return changeTicket(services, {
    ticketId: request.ticketId,
    actorId: request.actorId,
    permission: 'requester',
    ...(request.version !== undefined ? { expectedVersion: request.version } : {}),
    plan: (ctx) => {
      if (ctx.ticket.status !== 'resolved') {
        throw new FolioError(
          'illegal_transition',
          `${ctx.ticket.folio} is not waiting for your confirmation any more.`,
        );
      }
      const closed = movePath(ctx, ['closed'], 'requester');
      return { set: closed.set, events: [...closed.events, { type: 'ticket.confirmed' }] };
    },
  });
}

/** The requester says a resolved ticket is still broken: it reopens, with their words as a comment. */
export function reportStillBroken(
  services: Services,
  request: { ticketId: number; actorId: string; details: string; version?: number },
): Promise<ChangeResult> {
  return changeTicket(services, {
    ticketId: request.ticketId,
    actorId: request.actorId,
    permission: 'requester',
    ...(request.version !== undefined ? { expectedVersion: request.version } : {}),
    plan: async (ctx) => {
      if (ctx.ticket.status !== 'resolved') {
        throw new FolioError(
          'illegal_transition',
          isActive(ctx.ticket.status)
            ? `${ctx.ticket.folio} is still open: just reply in its thread.`
            : `${ctx.ticket.folio} is closed: reply in its thread to reopen it.`,
        );
      }
      const details = normalizeText(request.details).trim();
      if (details === '') throw FolioError.field('details', 'Tell the desk what is still wrong.');
      if (Array.from(details).length > MESSAGE_MAX_LENGTH)
        throw FolioError.field('details', `Keep it within ${MESSAGE_MAX_LENGTH} characters.`);
      const commentId = await insertComment(ctx.tx, {
        ticketId: ctx.ticket.id,
        authorId: request.actorId,
        body: details,
        visibility: 'public',
        at: ctx.now,
      });
      if (commentId === undefined) throw new Error('a comment without a Slack message cannot be a duplicate');
      const reopened = movePath(ctx, ['open'], 'requester');
      return combine(reopened, {
        events: [{ type: 'ticket.reopened', data: { commentId, excerpt: excerpt(details) } }],
        messages: [{ kind: 'comment.mirror', ticketId: ctx.ticket.id, commentId }],
      });
    },
  });
}

/**
 * A message written straight in the DM with the app, outside any ticket's thread: the person is told
 * how to add to a request or open one (once per message, whatever Slack redelivers).
 */
export async function answerStrayDirectMessage(
  services: Services,
  message: { channel: string; eventId: string },
): Promise<boolean> {
  return transaction(services.db, async (tx, afterCommit) => {
    if (!(await firstDelivery(tx, message.eventId))) return false;
    await enqueue(tx, afterCommit, services.outbox, [
      {
        kind: 'message.post',
        channel: message.channel,
        text:
          'To add to one of your requests, reply in its thread above. ' +
          'To open a new one, type `/ticket` followed by what is wrong, e.g. `/ticket printer on fire`.',
      },
    ]);
    return true;
  });
}

/** An answer by mail from the ticket's requester (a member, or an external requester by address). */
export interface MailComment {
  ticketId: number;
  /** The member who wrote, or null for an external requester. */
  memberId: string | null;
  address: string;
  /** The answer without quoted history and signature; the whole mail is kept with `mail`. */
  body: string;
  mail: ReceivedMail;
  files: readonly HeldFile[];
}

/**
 * The requester answered by mail: a public comment, copied to the desk, with the usual rules (a
 * waiting ticket opens, a closed one reopens). The mail and its files are written in the same
 * transaction; the same Message-ID again changes nothing (`changed: false`).
 */
export function addMailComment(services: Services, mail: MailComment): Promise<ChangeResult> {
  const body = normalizeText(mail.body).trim() || '(an empty mail)';
  return changeTicket(services, {
    ticketId: mail.ticketId,
    actorId: mail.memberId ?? mail.address,
    permission: 'requester',
    plan: async (ctx) => {
      if (!(await recordReceivedMail(ctx.tx, ctx.ticket.id, null, mail.mail))) return {};
      const commentId = await insertComment(ctx.tx, {
        ticketId: ctx.ticket.id,
        authorId: mail.memberId,
        authorEmail: mail.address,
        body,
        visibility: 'public',
        at: ctx.now,
      });
      if (commentId === undefined) throw new Error('a comment without a Slack message cannot be a duplicate');
      await linkMailToComment(ctx.tx, mail.mail.messageId, commentId);
      const uploads = await holdFiles(ctx.tx, ctx.ticket.id, commentId, mail.files);
      const reopened = requesterReopens(ctx);
      const event = ctx.ticket.status === 'closed' ? 'ticket.reopened' : 'ticket.requester_commented';
      return combine(
        {
          events: [{ type: event, data: { commentId, excerpt: excerpt(body), via: 'email' } }],
        },
        reopened,
        wakesOnReply(ctx),
        { messages: [{ kind: 'comment.mirror', ticketId: ctx.ticket.id, commentId }, ...uploads] },
      );
    },
  });
}
