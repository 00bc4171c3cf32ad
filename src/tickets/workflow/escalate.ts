import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { slaTimers, ticketEvents } from '../../db/schema/index.js';
import { FolioError } from '../../domain/errors.js';
import { isActive } from '../../domain/status.js';
import { mentionUser } from '../../lib/mrkdwn.js';
import type { OutboxMessage } from '../../outbox/messages.js';
import type { Services } from '../../services.js';
import { type ChangeResult, changeTicket } from './change.js';

/** A requester may escalate the same ticket again after this long. */
export const ESCALATION_COOLDOWN_MS = 60 * 60 * 1000;

/**
 * The requester escalates an overdue ticket (the seed: "if you don't get a response within the
 * promised time, escalate"): the desk's escalation channel and its leads are told, and the card's
 * thread says so. Refused while the desk's promise still holds, and more than once an hour.
 */
export function escalateTicket(
  services: Services,
  request: { ticketId: number; actorId: string },
): Promise<ChangeResult> {
  return changeTicket(services, {
    ticketId: request.ticketId,
    actorId: request.actorId,
    permission: 'requester',
    plan: async ({ tx, ticket, desk, now }) => {
      if (!isActive(ticket.status))
        throw new FolioError('illegal_transition', `${ticket.folio} is no longer open.`);
      const running = await tx
        .select({ dueAt: slaTimers.dueAt, breachedAt: slaTimers.breachedAt })
        .from(slaTimers)
        .where(and(eq(slaTimers.ticketId, ticket.id), isNull(slaTimers.metAt)));
      const overdue = running.some((timer) => timer.breachedAt || (timer.dueAt && timer.dueAt <= now));
      if (!overdue) {
        const next = running
          .flatMap((timer) => (timer.dueAt ? [timer.dueAt] : []))
          .sort((a, b) => a.getTime() - b.getTime())[0];
        throw new FolioError(
          'illegal_transition',
          next
            ? `${ticket.folio} is not overdue yet: the desk promised to act by <!date^${Math.floor(next.getTime() / 1000)}^{date_short_pretty} {time}|${next.toISOString()}>.`
            : `${ticket.folio} has no deadline running: it is waiting on you or already answered.`,
        );
      }
      const [recent] = await tx
        .select({ at: ticketEvents.createdAt })
        .from(ticketEvents)
        .where(
          and(
            eq(ticketEvents.ticketId, ticket.id),
            eq(ticketEvents.type, 'ticket.escalated'),
            gt(ticketEvents.createdAt, new Date(now.getTime() - ESCALATION_COOLDOWN_MS)),
          ),
        )
        .orderBy(desc(ticketEvents.id))
        .limit(1);
      if (recent)
        throw new FolioError(
          'duplicate',
          `${ticket.folio} was escalated less than an hour ago; the desk’s leads know.`,
        );

      const text = `:rotating_light: ${mentionUser(request.actorId)} escalated *${ticket.folio}*: the desk’s promise is overdue.`;
      const messages: OutboxMessage[] = [{ kind: 'desk.note', ticketId: ticket.id, text }];
      if (desk.escalationChannel)
        messages.push({ kind: 'message.post', channel: desk.escalationChannel, text });
      for (const lead of desk.leads) messages.push({ kind: 'message.post', channel: lead, text });
      return { events: [{ type: 'ticket.escalated' }], messages };
    },
  });
}
