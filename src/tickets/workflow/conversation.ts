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
  q: Queryable,
  channel: string,
  threadTs: string,
): Promise<{ ticket: TicketRow; side: 'desk' | 'requester' } | undefined> {
  const [card] = await q
    .select()
    .from(tickets)
    .where(and(eq(tickets.cardChannelId, channel), eq(tickets.cardTs, threadTs)));
  if (card) return { ticket: card, side: 'desk' };
  const [dm] = await q
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
    set: Object.assign({}, ...parts.map((p) => p.set ?? {})),
    events: parts.flatMap((p) => p.events ?? []),
    messages: parts.flatMap((p) => p.messages ?? []),
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
  s: Services,
  o: SlackComment,
  kind: { permission: Permission; visibility: 'public' | 'internal' },
  then: (ctx: ChangeContext, comment: { id: number; body: string }) => ChangePlan,
): Promise<ChangeResult> {
  const body = normalizeText(o.body);
  return changeTicket(s, {
    ticketId: o.ticketId,
    actorId: o.actorId,
    permission: kind.permission,
    ...(o.slack.eventId ? { slackEventId: o.slack.eventId } : {}),
    plan: async (ctx) => {
      const commentId = await insertComment(ctx.tx, {
        ticketId: ctx.ticket.id,
        authorId: o.actorId,
        body,
        visibility: kind.visibility,
        files: o.files,
        slack: o.slack,
        at: ctx.now,
      });
      return commentId === undefined ? {} : then(ctx, { id: commentId, body });
    },
  });
}

/** The requester wrote in their DM thread with the app: a public comment, copied to the desk. */
export function addRequesterComment(s: Services, o: SlackComment): Promise<ChangeResult> {
  return commentFromSlack(s, o, { permission: 'requester', visibility: 'public' }, (ctx, comment) => {
    const reopened = requesterReopens(ctx);
    const event = ctx.ticket.status === 'closed' ? 'ticket.reopened' : 'ticket.requester_commented';
    return combine(
      { events: [{ type: event, data: { commentId: comment.id, excerpt: excerpt(comment.body) } }] },
      reopened,
      wakesOnReply(ctx),
      { messages: [{ kind: 'comment.mirror', ticketId: ctx.ticket.id, commentId: comment.id }] },
    );
  });
}

/**
 * Someone wrote in the card's thread: an internal note, which stays with the desk. The thread lives in
 * the desk's channel: whoever can write there is talking to the desk.
 */
export function addDeskNote(s: Services, o: SlackComment): Promise<ChangeResult> {
  return commentFromSlack(s, o, { permission: 'anyone', visibility: 'internal' }, (_ctx, comment) => ({
    events: [{ type: 'ticket.note_added', data: { commentId: comment.id } }],
  }));
}

/**
 * A change Slack reports on a synced message (an edit, a deletion): applied to its comment, and to
 * Folio's copy of a public comment in the card's thread. Messages that are no comment are ignored.
 */
async function changeSyncedComment(
  s: Services,
  o: { channel: string; ts: string; eventId?: string | undefined },
  change: {
    applies(c: CommentRow): boolean;
    /** Who makes the change: Slack names the editor, not who deleted; only an author can do either. */
    actorId(c: CommentRow): string;
    set(now: Date): Partial<CommentRow>;
    event: 'comment.edited' | 'comment.deleted';
    copy: 'comment.edit' | 'comment.delete';
  },
): Promise<ChangeResult | undefined> {
  const c = await findCommentBySlack(s.db, o.channel, o.ts);
  if (!c || !change.applies(c)) return undefined;
  return changeTicket(s, {
    ticketId: c.ticketId,
    actorId: change.actorId(c),
    permission: 'anyone',
    ...(o.eventId ? { slackEventId: o.eventId } : {}),
    plan: async (ctx) => {
      await ctx.tx.update(comments).set(change.set(ctx.now)).where(eq(comments.id, c.id));
      const messages: OutboxMessage[] =
        c.visibility === 'public' ? [{ kind: change.copy, ticketId: c.ticketId, commentId: c.id }] : [];
      return { events: [{ type: change.event, data: { commentId: c.id } }], messages, activity: false };
    },
  });
}

/** A synced message was edited in Slack by its author. */
export function editCommentFromSlack(
  s: Services,
  o: { actorId: string; channel: string; ts: string; body: string; eventId?: string },
): Promise<ChangeResult | undefined> {
  const body = normalizeText(o.body);
  return changeSyncedComment(s, o, {
    applies: (c) => c.authorId === o.actorId && c.body !== body,
    actorId: () => o.actorId,
    set: (now) => ({ body, editedAt: now }),
    event: 'comment.edited',
    copy: 'comment.edit',
  });
}

/** A synced message was deleted in Slack. */
export function deleteCommentFromSlack(
  s: Services,
  o: { channel: string; ts: string; eventId?: string },
): Promise<ChangeResult | undefined> {
  return changeSyncedComment(s, o, {
    applies: (c) => !c.deletedAt,
    actorId: (c) => c.authorId,
    set: (now) => ({ deletedAt: now }),
    event: 'comment.deleted',
    copy: 'comment.delete',
  });
}

/** The requester confirms a resolved ticket is fixed: it closes. */
export function confirmFix(
  s: Services,
  o: { ticketId: number; actorId: string; version?: number },
): Promise<ChangeResult> {
  return changeTicket(s, {
    ticketId: o.ticketId,
    actorId: o.actorId,
    permission: 'requester',
    ...(o.version !== undefined ? { expectedVersion: o.version } : {}),
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
  s: Services,
  o: { ticketId: number; actorId: string; details: string; version?: number },
): Promise<ChangeResult> {
  return changeTicket(s, {
    ticketId: o.ticketId,
    actorId: o.actorId,
    permission: 'requester',
    ...(o.version !== undefined ? { expectedVersion: o.version } : {}),
    plan: async (ctx) => {
      if (ctx.ticket.status !== 'resolved') {
        throw new FolioError(
          'illegal_transition',
          isActive(ctx.ticket.status)
            ? `${ctx.ticket.folio} is still open: just reply in its thread.`
            : `${ctx.ticket.folio} is closed: reply in its thread to reopen it.`,
        );
      }
      const details = normalizeText(o.details).trim();
      if (details === '') throw FolioError.field('details', 'Tell the desk what is still wrong.');
      if (Array.from(details).length > MESSAGE_MAX_LENGTH)
        throw FolioError.field('details', `Keep it within ${MESSAGE_MAX_LENGTH} characters.`);
      const commentId = await insertComment(ctx.tx, {
        ticketId: ctx.ticket.id,
        authorId: o.actorId,
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
  s: Services,
  o: { channel: string; eventId: string },
): Promise<boolean> {
  return transaction(s.db, async (tx, afterCommit) => {
    if (!(await firstDelivery(tx, o.eventId))) return false;
    await enqueue(tx, afterCommit, s.outbox, [
      {
        kind: 'message.post',
        channel: o.channel,
        text:
          'To add to one of your requests, reply in its thread above. ' +
          'To open a new one, type `/ticket` followed by what is wrong, e.g. `/ticket printer on fire`.',
      },
    ]);
    return true;
  });
}
