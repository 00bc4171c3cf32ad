import type { TicketEventRow } from '../../db/schema/index.js';
import { describeEvent } from '../../tickets/workflow/describe.js';
import { context, type KnownBlock, section, slackDate } from '../kit/elements.js';

/** A ticket's history from its audit events: who, what, when; the latest last. */
export const TIMELINE_MAX = 15;

/** `history`: the latest TIMELINE_MAX events, oldest first, and how many the ticket has in all. */
export function timelineBlocks(history: { events: readonly TicketEventRow[]; total: number }): KnownBlock[] {
  const { events: shown, total } = history;
  if (shown.length === 0) return [];
  const lines = shown.map(
    (event) => `${slackDate(event.createdAt, '{date_short} {time}')} · ${describeEvent(event)}`,
  );
  const earlier =
    total > shown.length ? [context([`${total - shown.length} earlier changes not shown`])] : [];
  return [...earlier, section(`*History*\n${lines.join('\n')}`)];
}
