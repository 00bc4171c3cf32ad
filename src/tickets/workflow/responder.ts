import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { links, tickets } from '../../db/schema/index.js';
import { findDesk } from '../../desks/directory.js';
import { FolioError } from '../../domain/errors.js';
import type { FileRef } from '../../domain/files.js';
import { parseFolio } from '../../domain/folio.js';
import { PRIORITIES, PRIORITY_LABEL, type Priority } from '../../domain/priority.js';
import { allowedTargets, isActive, type Status } from '../../domain/status.js';
import { normalizeText } from '../../domain/text.js';
import type { Services } from '../../services.js';
import { LINK_TITLE_MAX_LENGTH, MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH } from '../limits.js';
import { canView } from '../visibility.js';
import { type ChangeContext, type ChangePlan, type ChangeResult, changeTicket } from './change.js';
import { excerpt, insertComment } from './comments.js';
import { movePath, startedByResponder, woken } from './moves.js';

/**
 * What a desk member does to a ticket: take it, assign it, change its status or priority, reply to
 * the requester, snooze it, link it, resolve or close it. Each is one changeTicket call; `version` is
 * what the person's card or modal showed.
 */

export interface By {
  ticketId: number;
  actorId: string;
  version?: number;
}

const change = (services: Services, by: By, plan: (ctx: ChangeContext) => ChangePlan | Promise<ChangePlan>) =>
  changeTicket(services, {
    ticketId: by.ticketId,
    actorId: by.actorId,
    permission: 'desk',
    plan,
    ...(by.version !== undefined ? { expectedVersion: by.version } : {}),
  });

const limits = {
  note: MESSAGE_MAX_LENGTH,
  reply: MESSAGE_MAX_LENGTH,
  reason: REASON_MAX_LENGTH,
  linkTitle: LINK_TITLE_MAX_LENGTH,
};

/** What a person typed, as stored (domain/text.ts), within its limit. */
function text(field: string, value: string | undefined, max: number, required: boolean): string {
  const cleaned = normalizeText(value ?? '').trim();
  if (required && cleaned === '') throw FolioError.field(field, 'This cannot be empty.');
  if (Array.from(cleaned).length > max) throw FolioError.field(field, `Keep it within ${max} characters.`);
  return cleaned;
}

export function takeTicket(services: Services, by: By): Promise<ChangeResult> {
  return change(services, by, (ctx) => {
    if (ctx.ticket.assigneeId === by.actorId)
      throw new FolioError('duplicate', `${ctx.ticket.folio} is already yours.`);
    if (!isActive(ctx.ticket.status)) {
      throw new FolioError(
        'illegal_transition',
        `${ctx.ticket.folio} is no longer active: there is nothing to take.`,
      );
    }
    const started = startedByResponder(ctx);
    return {
      set: { assigneeId: by.actorId, ...started.set },
      events: [
        { type: 'ticket.taken', data: { from: ctx.ticket.assigneeId, to: by.actorId } },
        ...started.events,
      ],
    };
  });
}

/** Assigns to a member of the desk, or to nobody (back to To assign). */
export function assignTicket(
  services: Services,
  by: By & { assigneeId: string | null },
): Promise<ChangeResult> {
  return change(services, by, (ctx) => {
    const to = by.assigneeId;
    if (to !== null && !ctx.desk.members.includes(to)) {
      throw FolioError.field('assignee', `Only members of the ${ctx.desk.name} desk can be assigned.`);
    }
    if (to === ctx.ticket.assigneeId)
      throw FolioError.field('assignee', 'It is already assigned to that person.');
    // Assigning oneself is taking it: work starts.
    const started = to === by.actorId ? startedByResponder(ctx) : { set: {}, events: [] };
    return {
      set: { assigneeId: to, ...started.set },
      events: [{ type: 'ticket.assigned', data: { from: ctx.ticket.assigneeId, to } }, ...started.events],
    };
  });
}

/** The statuses a responder may choose: the moves allowed, and Resolved straight from Open. */
export function responderStatusChoices(from: Status): Status[] {
  const targets = allowedTargets(from, 'responder');
  return from === 'open' ? [...targets, 'resolved'] : targets;
}

/**
 * Moves the ticket to `to`. Waiting on requester needs a question, which the requester receives as a
 * public reply; a note stays internal. Resolving an Open ticket starts work on it first.
 */
export function setStatus(
  services: Services,
  by: By & { to: Status; note?: string; question?: string },
): Promise<ChangeResult> {
  return change(services, by, async (ctx) => {
    const note = text('note', by.note, limits.note, false);
    const question = text('question', by.question, limits.reply, by.to === 'waiting');
    const path: Status[] =
      by.to === 'resolved' && ctx.ticket.status === 'open' ? ['in_progress', 'resolved'] : [by.to];
    const moved = movePath(ctx, path, 'responder');
    const last = moved.events.at(-1);
    if (last)
      last.data = {
        ...last.data,
        ...(note ? { note } : {}),
        ...(question ? { question: excerpt(question) } : {}),
      };
    const plan: ChangePlan = { set: moved.set, events: moved.events, messages: [] };
    if (by.to === 'resolved') {
      plan.set = { ...plan.set, resolutionNote: note || null };
      plan.messages?.push({ kind: 'requester.notify', ticketId: ctx.ticket.id, template: 'resolved' });
    }
    if (question) {
      const reply = await publicReply(ctx, by.actorId, question, []);
      plan.set = { ...plan.set, ...reply.set };
      plan.events?.push(...reply.events);
      plan.messages?.push(...reply.messages);
    }
    if (note && by.to !== 'resolved')
      plan.messages?.push({ kind: 'desk.note', ticketId: ctx.ticket.id, text: `:memo: ${note}` });
    return plan;
  });
}

export function setPriority(
  services: Services,
  by: By & { priority: Priority; reason?: string },
): Promise<ChangeResult> {
  return change(services, by, (ctx) => {
    if (!PRIORITIES.includes(by.priority))
      throw FolioError.field('priority', 'Choose one of the priorities offered.');
    if (by.priority === ctx.ticket.priority) {
      throw FolioError.field('priority', `The priority is already ${PRIORITY_LABEL[by.priority]}.`);
    }
    const reason = text('reason', by.reason, limits.reason, false);
    return {
      set: { priority: by.priority },
      events: [
        {
          type: 'ticket.priority_changed',
          data: { from: ctx.ticket.priority, to: by.priority, ...(reason ? { reason } : {}) },
        },
      ],
    };
  });
}

/** A public reply: the requester sees it in their DM thread, the desk in the card's thread. */
export function replyToRequester(
  services: Services,
  by: By & { body: string; files?: FileRef[] },
): Promise<ChangeResult> {
  return change(services, by, async (ctx) => {
    const body = text('reply', by.body, limits.reply, true);
    const reply = await publicReply(ctx, by.actorId, body, by.files ?? []);
    const started = startedByResponder(ctx);
    return {
      set: { ...reply.set, ...started.set },
      events: [...reply.events, ...started.events],
      messages: reply.messages,
    };
  });
}

async function publicReply(ctx: ChangeContext, authorId: string, body: string, files: FileRef[]) {
  const commentId = await insertComment(ctx.tx, {
    ticketId: ctx.ticket.id,
    authorId,
    body,
    visibility: 'public',
    files,
    at: ctx.now,
  });
  if (commentId === undefined) throw new Error('a reply without a Slack message cannot be a duplicate');
  const ticket = ctx.ticket;
  return {
    set: ticket.firstRespondedAt ? {} : { firstRespondedAt: ctx.now },
    events: [{ type: 'ticket.replied', data: { commentId, excerpt: excerpt(body) } }],
    messages: [
      // Nobody is told of their own action: a member replying on their own ticket gets no DM.
      ...(authorId === ticket.requesterId
        ? []
        : [{ kind: 'requester.reply' as const, ticketId: ticket.id, commentId }]),
      { kind: 'comment.mirror' as const, ticketId: ticket.id, commentId },
    ],
  };
}

/** The furthest ahead a ticket can be snoozed. */
export const MAX_SNOOZE_DAYS = 365;

export function snoozeTicket(
  services: Services,
  by: By & { until: Date; reason: string },
): Promise<ChangeResult> {
  return change(services, by, (ctx) => {
    if (!isActive(ctx.ticket.status)) {
      throw new FolioError(
        'illegal_transition',
        `${ctx.ticket.folio} is not active: only open work can be snoozed.`,
      );
    }
    if (!(by.until > ctx.now)) throw FolioError.field('until', 'Choose a time in the future.');
    if (by.until.getTime() - ctx.now.getTime() > MAX_SNOOZE_DAYS * 86_400_000) {
      throw FolioError.field('until', `Snooze for at most ${MAX_SNOOZE_DAYS} days.`);
    }
    const reason = text('reason', by.reason, limits.reason, true);
    return {
      set: { snoozedUntil: by.until, snoozeReason: reason },
      events: [{ type: 'ticket.snoozed', data: { until: by.until.toISOString(), reason } }],
    };
  });
}

export function wakeTicket(services: Services, by: By): Promise<ChangeResult> {
  return change(services, by, (ctx) => {
    if (!ctx.ticket.snoozedUntil)
      throw new FolioError('illegal_transition', `${ctx.ticket.folio} is not snoozed.`);
    return woken('by_hand');
  });
}

const taskUrl = z.url({ protocol: /^https?$/, error: 'Give a web address starting with https://' });

export function linkTask(services: Services, by: By & { title: string; url: string }): Promise<ChangeResult> {
  return change(services, by, async (ctx) => {
    const url = taskUrl.safeParse(normalizeText(by.url).trim());
    if (!url.success) throw FolioError.field('url', 'Give a web address starting with https://');
    const title = text('title', by.title, limits.linkTitle, false) || url.data;
    const inserted = await ctx.tx
      .insert(links)
      .values({
        ticketId: ctx.ticket.id,
        kind: 'task',
        title,
        url: url.data,
        createdBy: by.actorId,
        createdAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning({ id: links.id });
    if (inserted.length === 0) throw FolioError.field('url', 'That task is already linked.');
    return { events: [{ type: 'ticket.linked', data: { kind: 'task', title, url: url.data } }] };
  });
}

export function linkTicket(services: Services, by: By & { folio: string }): Promise<ChangeResult> {
  return change(services, by, async (ctx) => {
    const parsed = parseFolio(by.folio);
    const [target] = parsed ? await ctx.tx.select().from(tickets).where(eq(tickets.folio, parsed.folio)) : [];
    const targetDesk = target ? await deskOf(ctx, target.deskKey) : undefined;
    if (
      !target ||
      !targetDesk ||
      !canView(by.actorId, { requesterId: target.requesterId, desk: targetDesk })
    ) {
      throw FolioError.field('folio', `There is no ticket ${by.folio.trim() || '(empty)'} that you can see.`);
    }
    if (target.id === ctx.ticket.id) throw FolioError.field('folio', 'A ticket cannot be linked to itself.');
    const existing = await ctx.tx
      .select({ id: links.id })
      .from(links)
      .where(and(eq(links.ticketId, ctx.ticket.id), eq(links.linkedTicketId, target.id)));
    if (existing.length > 0) throw FolioError.field('folio', `${target.folio} is already linked.`);
    await ctx.tx.insert(links).values({
      ticketId: ctx.ticket.id,
      kind: 'ticket',
      title: `${target.folio} · ${target.subject}`,
      linkedTicketId: target.id,
      createdBy: by.actorId,
      createdAt: ctx.now,
    });
    return { events: [{ type: 'ticket.linked', data: { kind: 'ticket', folio: target.folio } }] };
  });
}

async function deskOf(ctx: ChangeContext, key: string) {
  return key === ctx.desk.key ? ctx.desk : findDesk(ctx.tx, key);
}

export function resolveTicket(services: Services, by: By & { resolution?: string }): Promise<ChangeResult> {
  return setStatus(services, {
    ...by,
    to: 'resolved',
    ...(by.resolution !== undefined ? { note: by.resolution } : {}),
  });
}

/** Closes a Resolved ticket without waiting for the requester's confirmation. */
export function closeTicket(services: Services, by: By): Promise<ChangeResult> {
  return setStatus(services, { ...by, to: 'closed' });
}
