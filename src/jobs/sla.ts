import { asc, eq, lte } from 'drizzle-orm';
import { type AuditEntry, recordEvents } from '../audit/record.js';
import type { Tx } from '../db/client.js';
import { slaTimers, tickets } from '../db/schema/index.js';
import { transaction } from '../db/tx.js';
import { type Desk, listDesks } from '../desks/directory.js';
import { enqueue, type OutboxMessage, type SlaDigestLine } from '../outbox/messages.js';
import { dueAlert, nextAlertAt, recordAlert } from '../sla/alerts.js';
import { deskCalendar } from '../sla/calendar.js';
import type { SlaClock } from '../sla/slaClock.js';
import type { Job, JobContext } from './job.js';

/**
 * Clocks handled per transaction. One transaction is one digest per recipient, so it is large: a
 * sweep after an outage with thousands of breaches still sends each channel one message. A run
 * handles at most SLA_MAX_BATCHES of them; the next run takes what is left.
 */
export const SLA_BATCH = 5000;
export const SLA_MAX_BATCHES = 5;

/**
 * The SLA sweep: reads only the clocks whose `next_alert_at` has come (an index), decides for each
 * whether a reminder or a breach is due (src/sla/alerts.ts: after downtime only the nearest threshold,
 * each at most once per deadline), records it, and sends one digest per recipient and batch:
 * reminders to the assignee (the desk channel when nobody has the ticket), breaches to the desk's
 * escalation channel, the assignee and the desk's leads. Clocks are claimed with SKIP LOCKED, so two
 * runs at once never alert twice.
 */
export const slaSweep: Job = {
  name: 'sla',
  defaultSchedule: '* * * * *',
  description:
    'sends SLA reminders before a breach and escalates breaches, one digest per channel and person',
  async run(ctx, now) {
    const desks = new Map(
      (await listDesks(ctx.db, { includeArchived: true })).map((desk) => [desk.key, desk]),
    );
    let reminders = 0;
    let breaches = 0;
    let digests = 0;
    for (let batch = 0; batch < SLA_MAX_BATCHES; batch++) {
      const swept = await transaction(ctx.db, (tx, afterCommit) =>
        sweepBatch(ctx, tx, afterCommit, desks, now),
      );
      reminders += swept.reminders;
      breaches += swept.breaches;
      digests += swept.digests;
      if (swept.claimed < SLA_BATCH) break;
    }
    return { reminders, breaches, digests };
  },
};

async function sweepBatch(
  ctx: JobContext,
  tx: Tx,
  afterCommit: (effect: () => void) => void,
  desks: Map<string, Desk>,
  now: Date,
) {
  const rows = await tx
    .select({
      timer: slaTimers,
      ticket: {
        id: tickets.id,
        folio: tickets.folio,
        subject: tickets.subject,
        deskKey: tickets.deskKey,
        assigneeId: tickets.assigneeId,
      },
    })
    .from(slaTimers)
    .innerJoin(tickets, eq(tickets.id, slaTimers.ticketId))
    .where(lte(slaTimers.nextAlertAt, now))
    .orderBy(asc(slaTimers.nextAlertAt))
    .limit(SLA_BATCH)
    .for('update', { of: slaTimers, skipLocked: true });

  const byRecipient = new Map<string, SlaDigestLine[]>();
  const send = (to: string | null | undefined, line: SlaDigestLine) => {
    if (!to) return;
    const lines = byRecipient.get(to);
    if (lines) lines.push(line);
    else byRecipient.set(to, [line]);
  };
  const audit: AuditEntry[] = [];
  const cards: OutboxMessage[] = [];
  let reminders = 0;
  let breaches = 0;

  for (const { timer, ticket } of rows) {
    const desk = desks.get(ticket.deskKey);
    if (!desk) continue;
    const cal = deskCalendar(desk);
    const clock: SlaClock = timer;
    const alert = dueAlert(cal, clock, desk.reminders, now);
    let next: SlaClock;
    if (!alert) {
      // Nothing due after all (the clock moved): look again when something will be.
      const at = nextAlertAt(cal, clock, desk.reminders);
      next = { ...clock, nextAlertAt: at && at > now ? at : null };
    } else {
      next = recordAlert(cal, clock, desk.reminders, alert, now);
      const line: SlaDigestLine = {
        folio: ticket.folio,
        subject: ticket.subject,
        deskName: desk.name,
        kind: alert.kind,
        clock: timer.kind,
        dueAt: clock.dueAt,
        assigneeId: ticket.assigneeId,
        ...(alert.kind === 'reminder' ? { threshold: alert.threshold } : {}),
      };
      if (alert.kind === 'breach') {
        breaches++;
        send(desk.escalationChannel, line);
        send(ticket.assigneeId, line);
        for (const lead of desk.leads) if (lead !== ticket.assigneeId) send(lead, line);
        audit.push({
          ticketId: ticket.id,
          actorId: null,
          type: 'sla.breached',
          data: { clock: timer.kind, dueAt: clock.dueAt?.toISOString() },
          at: now,
        });
        cards.push({ kind: 'card.update', ticketId: ticket.id });
      } else {
        reminders++;
        send(ticket.assigneeId ?? desk.channel, line);
        audit.push({
          ticketId: ticket.id,
          actorId: null,
          type: 'sla.reminder',
          data: { clock: timer.kind, threshold: alert.threshold },
          at: now,
        });
      }
    }
    await tx
      .update(slaTimers)
      .set({
        breachedAt: next.breachedAt,
        remindersSent: next.remindersSent,
        nextAlertAt: next.nextAlertAt,
        updatedAt: now,
      })
      .where(eq(slaTimers.id, timer.id));
  }

  await recordEvents(tx, audit);
  const digests: OutboxMessage[] = [...byRecipient].map(([recipient, lines]) => ({
    kind: 'sla.digest',
    recipient,
    lines,
  }));
  await enqueue(tx, afterCommit, ctx.outbox, [...digests, ...cards]);
  return { claimed: rows.length, reminders, breaches, digests: digests.length };
}
