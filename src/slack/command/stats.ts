import { listDesks } from '../../desks/directory.js';
import { STATUS_LABEL, STATUSES } from '../../domain/status.js';
import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import { type DeskStats, deskStats, STATS_WINDOWS_DAYS, type WindowStats } from '../../stats/deskStats.js';
import { formatDuration, formatShare } from '../../stats/format.js';
import { canSeeDesk } from '../../tickets/visibility.js';
import type { SlackServices } from '../context.js';
import { context, type KnownBlock, notice, section } from '../kit/elements.js';

type Message = { text: string; blocks: KnownBlock[] };

/**
 * `/ticket stats`: per desk the viewer may see (public desks, and the private desks they belong to),
 * counts by status, median first-response and resolution times and SLA attainment over the last 7 and
 * 30 days. The definitions are in src/stats/deskStats.ts and docs/administration.md.
 */
export async function statsAnswer(s: SlackServices, viewer: string): Promise<Message> {
  const desks = (await listDesks(s.db)).filter((d) => canSeeDesk(viewer, d));
  if (desks.length === 0) return notice('There is no desk whose statistics you can see.');
  const stats = await deskStats(
    s.db,
    desks.map((d) => d.key),
    s.clock.now(),
  );
  const names = new Map(desks.map((d) => [d.key, { name: d.name, private: d.private }]));
  return statsMessage(
    stats.map((st) => ({ ...st, ...(names.get(st.deskKey) ?? { name: st.deskKey, private: false }) })),
  );
}

export type NamedDeskStats = DeskStats & { name: string; private: boolean };

/** An ephemeral message holds 50 blocks: beyond this many desks, several share a section. */
const ONE_SECTION_PER_DESK_UP_TO = 45;
const SECTION_MAX = 3000;

function windowLine(days: number, w: WindowStats): string {
  const response =
    w.medianFirstResponse === null
      ? 'no first response yet'
      : `first response ${formatDuration(w.medianFirstResponse)} (${w.responded} of ${w.created} answered)`;
  const resolution =
    w.medianResolution === null
      ? 'none resolved'
      : `resolution ${formatDuration(w.medianResolution)} (${w.resolved} resolved)`;
  const sla =
    w.slaSettled === 0
      ? 'no SLA deadline settled'
      : `SLA met ${formatShare(w.slaMet, w.slaSettled)} (${w.slaMet} of ${w.slaSettled})`;
  return `*${days} days:* ${w.created} created · ${response} · ${resolution} · ${sla}`;
}

export function deskStatsText(d: NamedDeskStats): string {
  const counts = STATUSES.map((st) => `${STATUS_LABEL[st]} ${d.byStatus[st]}`).join(' · ');
  return [
    `*${escapeMrkdwn(d.name)}*${d.private ? ' :lock:' : ''}`,
    `*Now:* ${counts}`,
    ...STATS_WINDOWS_DAYS.map((days) => windowLine(days, d.windows[days])),
  ].join('\n');
}

/** Pure: the statistics message, within Slack's 50 blocks whatever the number of desks (at most 50). */
export function statsMessage(desks: readonly NamedDeskStats[]): Message {
  const texts = desks.map(deskStatsText);
  const sections: string[] = [];
  if (texts.length <= ONE_SECTION_PER_DESK_UP_TO) sections.push(...texts);
  else {
    for (const t of texts) {
      const last = sections.at(-1);
      if (last !== undefined && last.length + t.length + 2 <= SECTION_MAX)
        sections[sections.length - 1] = `${last}\n\n${t}`;
      else sections.push(t);
    }
  }
  const title = 'Helpdesk statistics';
  return {
    text: title,
    blocks: [
      section(`*${title}*`),
      ...sections.map((t) => section(t)),
      context([
        'Windows end now; times are wall-clock medians. First response: tickets created in the window. ' +
          'Resolution: tickets resolved in it. SLA met: deadlines settled in the window (met, or passed unmet) that were met on time.',
      ]),
    ],
  };
}
