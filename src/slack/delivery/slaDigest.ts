import type { SlaKind } from '../../db/schema/index.js';
import { formatMinutes } from '../../domain/duration.js';
import { escapeMrkdwn, mentionUser, truncate } from '../../lib/mrkdwn.js';
import type { SlaDigestLine } from '../../outbox/messages.js';
import { context, type KnownBlock, section, slackDate } from '../kit/elements.js';

/**
 * One message per recipient and sweep (outbox kind `sla.digest`), listing every SLA reminder or breach
 * that concerns them, so a busy desk gets a digest instead of a message per ticket.
 */

/** Lines per digest; the rest is counted ("and 12 more"). */
export const DIGEST_MAX_LINES = 40;

const CLOCK_LABEL: Record<SlaKind, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
};

function thresholdText(threshold: SlaDigestLine['threshold']): string {
  if (!threshold) return '';
  return threshold.kind === 'elapsed_percent'
    ? ` (${threshold.value}% of the time used)`
    : ` (${formatMinutes(threshold.value)} left)`;
}

export function alertLine(alert: SlaDigestLine): string {
  const due = alert.dueAt ? slackDate(alert.dueAt) : 'now';
  const who = alert.assigneeId ? `, ${mentionUser(alert.assigneeId)}` : ', unassigned';
  const what =
    alert.kind === 'breach'
      ? `${CLOCK_LABEL[alert.clock]} overdue since ${due}`
      : `${CLOCK_LABEL[alert.clock]} due ${due}${thresholdText(alert.threshold)}`;
  return `• *${alert.folio}* ${escapeMrkdwn(truncate(alert.subject, 80))} · ${escapeMrkdwn(alert.deskName)}: ${what}${who}`;
}

export function slaDigest(lines: readonly SlaDigestLine[]): { text: string; blocks: KnownBlock[] } {
  const breaches = lines.filter((line) => line.kind === 'breach');
  const reminders = lines.filter((line) => line.kind === 'reminder');
  const blocks: KnownBlock[] = [];
  const parts: string[] = [];
  let shown = 0;
  for (const [title, group] of [
    [`:rotating_light: *SLA breached* (${breaches.length})`, breaches],
    [`:alarm_clock: *SLA due soon* (${reminders.length})`, reminders],
  ] as const) {
    if (group.length === 0) continue;
    parts.push(
      title
        .replace(/[:*]/g, '')
        .replace(/^\w+\s/, '')
        .trim(),
    );
    const room = Math.max(0, DIGEST_MAX_LINES - shown);
    const listed = group.slice(0, room);
    shown += listed.length;
    blocks.push(section(title));
    // Sections hold 3000 characters: a few lines each.
    for (let i = 0; i < listed.length; i += 10)
      blocks.push(
        section(
          listed
            .slice(i, i + 10)
            .map(alertLine)
            .join('\n'),
        ),
      );
    if (group.length > listed.length) blocks.push(context([`and ${group.length - listed.length} more`]));
  }
  return { text: `Folio: ${parts.join(', ')}`, blocks };
}
