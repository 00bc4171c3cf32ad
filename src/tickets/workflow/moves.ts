import type { NewTicketRow } from '../../db/schema/index.js';
import { FolioError } from '../../domain/errors.js';
import { type Actor, checkMove, type Status } from '../../domain/status.js';
import type { ChangeContext, ChangePlan } from './change.js';

/**
 * A status move as part of a change plan: checked by the state machine, with the timestamps each
 * status carries. Several moves compose (a responder resolving an Open ticket starts work on it first).
 */
export function moveTo(
  from: Status,
  to: Status,
  actor: Actor,
  now: Date,
): Required<Pick<ChangePlan, 'set' | 'events'>> {
  const check = checkMove(from, to, actor);
  if (!check.ok) throw new FolioError('illegal_transition', check.reason);
  const set: Partial<NewTicketRow> = { status: to };
  if (to === 'resolved') set.resolvedAt = now;
  if (to === 'closed') set.closedAt = now;
  if (to === 'open' && (from === 'resolved' || from === 'closed')) {
    set.resolvedAt = null;
    set.closedAt = null;
  }
  return { set, events: [{ type: 'ticket.status_changed', data: { from, to } }] };
}

/** Moves through `path` (each step checked), merging what each step sets. */
export function movePath(
  ctx: ChangeContext,
  path: Status[],
  actor: Actor,
): Required<Pick<ChangePlan, 'set' | 'events'>> {
  let from = ctx.ticket.status;
  const out: Required<Pick<ChangePlan, 'set' | 'events'>> = { set: {}, events: [] };
  for (const to of path) {
    const step = moveTo(from, to, actor, ctx.now);
    Object.assign(out.set, step.set);
    out.events.push(...step.events);
    from = to;
  }
  return out;
}

/** A responder acting on an Open ticket starts work on it (Open → In progress). */
export function startedByResponder(ctx: ChangeContext): Required<Pick<ChangePlan, 'set' | 'events'>> {
  return ctx.ticket.status === 'open' ? movePath(ctx, ['in_progress'], 'responder') : { set: {}, events: [] };
}

/** A snoozed ticket wakes: its snooze cleared, and a `ticket.woken` event saying why. */
export function woken(
  reason: 'by_hand' | 'due' | 'requester_replied',
  data: Record<string, unknown> = {},
): Required<Pick<ChangePlan, 'set' | 'events'>> {
  return {
    set: { snoozedUntil: null, snoozeReason: null },
    events: [{ type: 'ticket.woken', data: { reason, ...data } }],
  };
}
