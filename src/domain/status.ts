import { assertNever } from '../lib/assertNever.js';

/**
 * The ticket lifecycle of docs/design.md "Status rules", as a pure state machine. Every change of a
 * ticket's status goes through `checkMove`, the one chokepoint; use cases decide who acts and record
 * the event.
 *
 *   (new) → open
 *   open → in_progress          a responder takes it, acts on it, or sends the first public reply
 *   open | in_progress → waiting  a responder asks the requester something (SLA clocks pause)
 *   waiting → open              the requester replies
 *   in_progress | waiting → resolved   a responder resolves it
 *   resolved → closed           the requester confirms, the auto-close job, or a responder closes it
 *   resolved → open             the requester says it is still broken, or replies
 *   closed → open               the requester comments on it
 */

export const STATUSES = ['open', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABEL: Record<Status, string> = {
  open: 'Open',
  in_progress: 'In progress',
  waiting: 'Waiting on requester',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** Statuses in which the desk still owes work: they appear in active lists and count as "open". */
export const ACTIVE_STATUSES = ['open', 'in_progress', 'waiting'] as const satisfies readonly Status[];
export const isActive = (status: Status): boolean => (ACTIVE_STATUSES as readonly Status[]).includes(status);

/**
 * Who causes a move: `responder`, a desk member acting; `requester`, the ticket's requester (their
 * replies, confirmations, reopenings); `system`, a scheduled job.
 */
export type Actor = 'responder' | 'requester' | 'system';

const MOVES: Record<Status, Partial<Record<Status, readonly Actor[]>>> = {
  open: { in_progress: ['responder'], waiting: ['responder'] },
  in_progress: { waiting: ['responder'], resolved: ['responder'] },
  waiting: { open: ['requester'], resolved: ['responder'] },
  resolved: { closed: ['requester', 'system', 'responder'], open: ['requester'] },
  closed: { open: ['requester'] },
};

export type MoveResult = { ok: true } | { ok: false; reason: string };

/** Whether `actor` may move a ticket from `from` to `to`; if not, a reason a person understands. */
export function checkMove(from: Status, to: Status, actor: Actor): MoveResult {
  if (from === to) return { ok: false, reason: `The ticket is already ${STATUS_LABEL[to]}.` };
  const actors = MOVES[from][to];
  if (!actors) return { ok: false, reason: whyNot(from, to) };
  if (!actors.includes(actor)) return { ok: false, reason: whoMay(from, to, actors) };
  return { ok: true };
}

/** The statuses `actor` may move a ticket to from `from` (for offering choices in a modal). */
export function allowedTargets(from: Status, actor: Actor): Status[] {
  return STATUSES.filter((to) => MOVES[from][to]?.includes(actor));
}

function whyNot(from: Status, to: Status): string {
  switch (to) {
    case 'closed':
      return 'Only a Resolved ticket can be closed.';
    case 'resolved':
      return from === 'open'
        ? 'Start work on the ticket (In progress) before resolving it.'
        : 'A closed ticket cannot be resolved again; the requester can reopen it by commenting.';
    case 'open':
      return from === 'in_progress'
        ? 'A ticket in progress goes back to Open only when the requester answers a question.'
        : `A ticket that is ${STATUS_LABEL[from]} cannot go back to Open.`;
    case 'in_progress':
      return from === 'waiting'
        ? 'The ticket is waiting on the requester: it goes back to Open when they reply.'
        : `The ticket is ${STATUS_LABEL[from]}: the requester can reopen it if it is still broken.`;
    case 'waiting':
      return `The ticket is ${STATUS_LABEL[from]}: there is nothing to ask the requester.`;
    default:
      return assertNever(to, 'status');
  }
}

function whoMay(from: Status, to: Status, actors: readonly Actor[]): string {
  const move = `move the ticket from ${STATUS_LABEL[from]} to ${STATUS_LABEL[to]}`;
  if (actors.includes('requester') && !actors.includes('responder')) return `Only the requester can ${move}.`;
  return `Only the desk can ${move}.`;
}

/** Parses a status typed by a person or carried in a payload ("in progress", "In progress", "in_progress"). */
export function parseStatus(input: string): Status | undefined {
  const text = input.trim().toLowerCase();
  const key = text.replace(/[\s-]+/g, '_');
  if ((STATUSES as readonly string[]).includes(key)) return key as Status;
  return STATUSES.find((status) => STATUS_LABEL[status].toLowerCase() === text);
}
