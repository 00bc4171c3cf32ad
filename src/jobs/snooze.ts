import { asc, lte } from 'drizzle-orm';
import { tickets } from '../db/schema/index.js';
import { isActive } from '../domain/status.js';
import { mentionUser } from '../lib/mrkdwn.js';
import { changeTicket } from '../tickets/workflow/change.js';
import { woken } from '../tickets/workflow/moves.js';
import type { Job } from './job.js';
import { jobServices } from './services.js';

/** How many snoozed tickets one run wakes at most; the next run takes the rest. */
export const SNOOZE_BATCH = 500;

/**
 * Snoozed tickets whose time has come are woken: the snooze is cleared (the status is kept, so a
 * ticket resolved meanwhile stays resolved), the assignee is told in the card's thread, and the card,
 * the lists and the Home tabs update. Reads only due rows, through the snoozed_until index.
 */
export const snoozeReturn: Job = {
  name: 'snooze',
  defaultSchedule: '* * * * *',
  description: 'wakes snoozed tickets whose time has come and tells their assignee in the card’s thread',
  async run(ctx, now) {
    const due = await ctx.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(lte(tickets.snoozedUntil, now))
      .orderBy(asc(tickets.snoozedUntil))
      .limit(SNOOZE_BATCH);
    const services = jobServices(ctx, now);
    let wokenCount = 0;
    for (const { id } of due) {
      const result = await changeTicket(services, {
        ticketId: id,
        actorId: null,
        permission: 'desk',
        plan: ({ ticket }) => {
          // Woken meanwhile (by hand, or by the requester's reply): nothing left to do.
          if (!ticket.snoozedUntil || ticket.snoozedUntil > now) return {};
          const who = ticket.assigneeId ? `${mentionUser(ticket.assigneeId)}, ` : '';
          const reason = ticket.snoozeReason ? ` (snoozed for: ${ticket.snoozeReason})` : '';
          return {
            ...woken('due', { snoozeReason: ticket.snoozeReason }),
            messages: isActive(ticket.status)
              ? [
                  {
                    kind: 'desk.note',
                    ticketId: ticket.id,
                    text: `:alarm_clock: ${who}*${ticket.folio}* is back from snooze${reason}.`,
                  },
                ]
              : [],
          };
        },
      });
      if (result.changed) wokenCount++;
    }
    return { due: due.length, woken: wokenCount };
  },
};
