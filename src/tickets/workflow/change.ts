import { and, asc, eq, gt } from 'drizzle-orm';
import { type AuditEntry, recordEvents } from '../../audit/record.js';
import type { Tx } from '../../db/client.js';
import {
  type NewTicketRow,
  slackEvents,
  type TicketRow,
  ticketEvents,
  tickets,
} from '../../db/schema/index.js';
import { transaction } from '../../db/tx.js';
import type { Desk } from '../../desks/directory.js';
import { FolioError } from '../../domain/errors.js';
import { isActive } from '../../domain/status.js';
import { enqueue, type OutboxMessage } from '../../outbox/messages.js';
import type { Services } from '../../services.js';
import { followTicket } from '../../sla/clocks.js';
import { toRequester } from '../requesterChannel.js';
import { mayAct, type Permission } from '../rights.js';
import { noSuchTicket } from '../visibility.js';
import { describeEvent } from './describe.js';

/**
 * The one way a ticket changes. In one transaction: lock the ticket, check who acts, refuse a change
 * made on an out-of-date view (saying what changed since), let the use case plan the change, then
 * write it with its audit events, bump the version, and queue what Slack must hear: the card
 * re-rendered, the Home tabs of the people it concerns, and the use case's own messages.
 */

export interface ChangeContext {
  tx: Tx;
  ticket: TicketRow;
  desk: Desk;
  now: Date;
}

export interface ChangePlan {
  /** Ticket fields to change; the version is bumped when there are any. */
  set?: Partial<NewTicketRow>;
  events?: { type: string; data?: Record<string, unknown> }[];
  messages?: OutboxMessage[];
  /** Whether this counts as activity on the ticket (most changes do). */
  activity?: boolean;
}

export interface ChangeRequest {
  ticketId: number;
  /** The version the person's view showed; a different current version refuses the change. */
  expectedVersion?: number;
  actorId: string | null;
  permission: Permission;
  /** A Slack event id: recorded in the same transaction, so a redelivered event changes nothing. */
  slackEventId?: string;
  plan(ctx: ChangeContext): ChangePlan | Promise<ChangePlan>;
}

export interface ChangeResult {
  ticket: TicketRow;
  changed: boolean;
}

export async function changeTicket(services: Services, request: ChangeRequest): Promise<ChangeResult> {
  return transaction(services.db, async (tx, afterCommit) => {
    const [before] = await tx.select().from(tickets).where(eq(tickets.id, request.ticketId)).for('update');
    if (!before) throw noSuchTicket();
    if (request.slackEventId && !(await firstDelivery(tx, request.slackEventId)))
      return { ticket: before, changed: false };
    const desk = await services.directory.desk(tx, before.deskKey);
    if (!desk) throw new Error(`ticket ${before.folio} refers to a missing desk`);
    checkPermission(request, before, desk);
    if (request.expectedVersion !== undefined && request.expectedVersion !== before.version) {
      throw new FolioError('stale', await whatChanged(tx, before, request.expectedVersion));
    }

    const now = services.clock.now();
    const plan = await request.plan({ tx, ticket: before, desk, now });
    const set = plan.set ?? {};
    const events = plan.events ?? [];
    const hasFields = Object.keys(set).length > 0;
    if (!hasFields && events.length === 0 && (plan.messages ?? []).length === 0) {
      return { ticket: before, changed: false };
    }

    const activity = plan.activity ?? true;
    const updates: Partial<NewTicketRow> = {
      ...set,
      ...(hasFields ? { version: before.version + 1, updatedAt: now } : {}),
      ...(activity ? { lastActivityAt: now } : {}),
    };
    // A change that only records something (an edited comment) leaves the ticket's row alone.
    const [after] =
      Object.keys(updates).length > 0
        ? await tx.update(tickets).set(updates).where(eq(tickets.id, before.id)).returning()
        : [before];
    if (!after) throw new Error('ticket update returned no row');
    // The SLA clocks follow the ticket's status and priority, in the same transaction.
    await followTicket(tx, before, after, desk, now, events);

    await recordEvents(
      tx,
      events.map(
        (event): AuditEntry => ({
          ticketId: after.id,
          actorId: request.actorId,
          ticketVersion: after.version,
          type: event.type,
          data: event.data ?? {},
          at: now,
        }),
      ),
    );
    const messages: OutboxMessage[] = toRequester(after, plan.messages ?? []);
    if (hasFields || activity) messages.push({ kind: 'card.update', ticketId: after.id });
    for (const userId of concerned(before, after, desk)) messages.push({ kind: 'home.publish', userId });
    await enqueue(tx, afterCommit, services.outbox, messages);
    return { ticket: after, changed: true };
  });
}

/** Records a Slack event id; false when it was already recorded (Slack delivered it again). */
export async function firstDelivery(tx: Tx, eventId: string): Promise<boolean> {
  const rows = await tx
    .insert(slackEvents)
    .values({ eventId })
    .onConflictDoNothing()
    .returning({ id: slackEvents.eventId });
  return rows.length > 0;
}

/** Refuses a change the actor may not make (see rights.ts); Folio itself (a job: no actor) may make any. */
function checkPermission(request: ChangeRequest, ticket: TicketRow, desk: Desk): void {
  if (request.actorId === null) return;
  const refusal = mayAct(request.actorId, ticket, desk, request.permission);
  if (refusal) throw refusal;
}

/** "Since you opened this: Ana took it; Ben changed the priority to High." */
async function whatChanged(tx: Tx, ticket: TicketRow, seenVersion: number): Promise<string> {
  const since = await tx
    .select()
    .from(ticketEvents)
    .where(and(eq(ticketEvents.ticketId, ticket.id), gt(ticketEvents.ticketVersion, seenVersion)))
    .orderBy(asc(ticketEvents.id))
    .limit(5);
  const changes = since.map((event) => describeEvent(event)).filter(Boolean);
  const list = changes.length > 0 ? ` ${changes.join('; ')}.` : '';
  return `${ticket.folio} changed after you opened this, so nothing was saved.${list} Look at it again and retry.`;
}

/** Whose App Home shows this ticket differently after the change. */
function concerned(before: TicketRow, after: TicketRow, desk: Desk): string[] {
  const people = new Set<string>(after.requesterId ? [after.requesterId] : []);
  for (const assignee of [before.assigneeId, after.assigneeId]) if (assignee) people.add(assignee);
  const inQueue = (ticket: TicketRow) => isActive(ticket.status) && ticket.assigneeId === null;
  const deskListsChanged =
    inQueue(before) !== inQueue(after) ||
    before.snoozedUntil?.getTime() !== after.snoozedUntil?.getTime() ||
    isActive(before.status) !== isActive(after.status) ||
    before.priority !== after.priority;
  if (deskListsChanged) for (const member of desk.members) people.add(member);
  return [...people];
}
