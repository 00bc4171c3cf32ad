import { and, asc, eq, lte } from 'drizzle-orm';
import { tickets } from '../db/schema/index.js';
import { addBusinessDays, deskCalendar } from '../sla/calendar.js';
import { changeTicket } from '../tickets/workflow/change.js';
import { movePath } from '../tickets/workflow/moves.js';
import type { Job } from './job.js';
import { jobServices } from './services.js';

export const AUTO_CLOSE_BATCH = 500;
const DAY_MS = 86_400_000;

/**
 * A Resolved ticket nobody answered within its desk's auto-close delay (business days in the desk's
 * calendar) is closed, and the requester told. Business days are at least as long as calendar days,
 * so candidates are first narrowed by calendar time through the index of resolved tickets, then each
 * is checked against the calendar.
 */
export const autoClose: Job = {
  name: 'autoClose',
  defaultSchedule: '*/10 * * * *',
  description:
    'closes Resolved tickets nobody answered within their desk’s auto-close delay, telling the requester',
  async run(ctx, now) {
    let candidates = 0;
    let closed = 0;
    const services = jobServices(ctx, now);
    for (const desk of await services.directory.desks(ctx.db, { includeArchived: true })) {
      const cal = deskCalendar(desk);
      const rows = await ctx.db
        .select({ id: tickets.id, resolvedAt: tickets.resolvedAt })
        .from(tickets)
        .where(
          and(
            eq(tickets.status, 'resolved'),
            eq(tickets.deskKey, desk.key),
            lte(tickets.resolvedAt, new Date(now.getTime() - desk.autoCloseAfterDays * DAY_MS)),
          ),
        )
        .orderBy(asc(tickets.resolvedAt))
        .limit(AUTO_CLOSE_BATCH);
      candidates += rows.length;
      for (const row of rows) {
        if (!row.resolvedAt || addBusinessDays(cal, row.resolvedAt, desk.autoCloseAfterDays) > now) continue;
        const result = await changeTicket(services, {
          ticketId: row.id,
          actorId: null,
          permission: 'desk',
          plan: (ctx) => {
            // Answered or reopened since it was read: nothing to close.
            if (
              ctx.ticket.status !== 'resolved' ||
              ctx.ticket.resolvedAt?.getTime() !== row.resolvedAt?.getTime()
            )
              return {};
            const moved = movePath(ctx, ['closed'], 'system');
            return {
              set: moved.set,
              events: [
                ...moved.events,
                { type: 'ticket.auto_closed', data: { afterBusinessDays: desk.autoCloseAfterDays } },
              ],
              messages: [{ kind: 'requester.notify', ticketId: ctx.ticket.id, template: 'autoClosed' }],
            };
          },
        });
        if (result.changed) closed++;
      }
    }
    return { candidates, closed };
  },
};
