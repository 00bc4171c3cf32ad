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
export async function statsAnswer(services: SlackServices, viewer: string): Promise<Message> {
  const desks = (await listDesks(services.db)).filter((desk) => canSeeDesk(viewer, desk));
  if (desks.length === 0) return notice('There is no desk whose statistics you can see.');
  const stats = await deskStats(
    services.db,
    desks.map((desk) => desk.key),
    services.clock.now(),
  );
  const names = new Map(desks.map((desk) => [desk.key, { name: desk.name, private: desk.private }]));
  return statsMessage(
    stats.map((figures) => ({
      ...figures,
      ...(names.get(figures.deskKey) ?? { name: figures.deskKey, private: false }),
    })),
  );
}

export type NamedDeskStats = DeskStats & { name: string; private: boolean };

/** An ephemeral message holds 50 blocks: beyond this many desks, several share a section. */
const ONE_SECTION_PER_DESK_UP_TO = 45;
const SECTION_MAX = 3000;

function windowLine(days: number, figures: WindowStats): string {
  const response =
    figures.medianFirstResponse === null
      ? 'no first response yet'
      : `first response ${formatDuration(figures.medianFirstResponse)} (${figures.responded} of ${figures.created} answered)`;
  const resolution =
    figures.medianResolution === null
      ? 'none resolved'
      : `resolution ${formatDuration(figures.medianResolution)} (${figures.resolved} resolved)`;
  const sla =
    figures.slaSettled === 0
      ? 'no SLA deadline settled'
      : `SLA met ${formatShare(figures.slaMet, figures.slaSettled)} (${figures.slaMet} of ${figures.slaSettled})`;
  return `*${days} days:* ${figures.created} created · ${response} · ${resolution} · ${sla}`;
}

export function deskStatsText(desk: NamedDeskStats): string {
  const counts = STATUSES.map((status) => `${STATUS_LABEL[status]} ${desk.byStatus[status]}`).join(' · ');
  return [
    `*${escapeMrkdwn(desk.name)}*${desk.private ? ' :lock:' : ''}`,
    `*Now:* ${counts}`,
    ...STATS_WINDOWS_DAYS.map((days) => windowLine(days, desk.windows[days])),
  ].join('\n');
}

/** Pure: the statistics message, within Slack's 50 blocks whatever the number of desks (at most 50). */
export function statsMessage(desks: readonly NamedDeskStats[]): Message {
  const texts = desks.map(deskStatsText);
  const sections: string[] = [];
  if (texts.length <= ONE_SECTION_PER_DESK_UP_TO) sections.push(...texts);
  else {
    for (const text of texts) {
      const last = sections.at(-1);
      if (last !== undefined && last.length + text.length + 2 <= SECTION_MAX)
        sections[sections.length - 1] = `${last}\n\n${text}`;
      else sections.push(text);
    }
  }
  const title = 'Helpdesk statistics';
  return {
    text: title,
    blocks: [
      section(`*${title}*`),
      ...sections.map((text) => section(text)),
      context([
        'Windows end now; times are wall-clock medians. First response: tickets created in the window. ' +
          'Resolution: tickets resolved in it. SLA met: deadlines settled in the window (met, or passed unmet) that were met on time.',
      ]),
    ],
  };
}
