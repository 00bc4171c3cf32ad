import type { TicketEventRow } from '../../db/schema/index.js';
import { describeEvent } from '../../tickets/workflow/describe.js';
import { context, type KnownBlock, section, slackDate } from './elements.js';

/** A ticket's history from its audit events: who, what, when; the latest last. */
export const TIMELINE_MAX = 15;

export function timelineBlocks(events: readonly TicketEventRow[]): KnownBlock[] {
  if (events.length === 0) return [];
  const shown = events.slice(-TIMELINE_MAX);
  const lines = shown.map((e) => `${slackDate(e.createdAt, '{date_short} {time}')} · ${describeEvent(e)}`);
  const earlier =
    events.length > shown.length
      ? [context([`${events.length - shown.length} earlier changes not shown`])]
      : [];
  return [...earlier, section(`*History*\n${lines.join('\n')}`)];
}
