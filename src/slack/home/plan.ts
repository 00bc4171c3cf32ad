import type { DeskQueues } from '../../home/lists.js';
import {
  DEFAULT_LIST_SIZE,
  type HomeState,
  type ListKind,
  listKey,
  MAX_LIST_SIZE,
  sizeOf,
} from '../../home/state.js';

/**
 * How much of each list the Home tab shows, so that the view never exceeds Slack's 100 blocks however
 * many tickets and desks there are. Pure: it works from counts, before any ticket is read.
 *
 * Layout and cost in blocks (view.ts builds exactly this):
 * - top: a header and a context line (2); the administration area for admins and leads (3);
 * - "Your tickets": a header (1), then My requests and Assigned to me;
 * - the person's desks, up to MAX_EXPANDED_DESKS, each a header (1) and its To assign, Breaching soon
 *   and Snoozed lists; the desk chosen with the focus select comes first;
 * - the other desks folded: a header (1), one section per FOLDED_PER_SECTION desks with their counts,
 *   and a select to bring one to the front (1);
 * - a list: its title (1), its tickets (ITEM_BLOCKS each), and a footer (1) when there is more to
 *   show or it was enlarged.
 *
 * Each list asks for its size (5 by default, "Show more" adds 5 up to MAX_LIST_SIZE). The blocks left
 * after the fixed parts and one footer per non-empty list are dealt one ticket at a time to the lists
 * in order of urgency (breaching, assigned, to assign, requests, snoozed) until each has what it asked
 * for or the budget is spent; a list cut short says so and points to the command that lists it all.
 */
export const HOME_MAX_BLOCKS = 100;
export const MAX_EXPANDED_DESKS = 3;
export const FOLDED_PER_SECTION = 15;

/** A ticket line is a section; lists whose tickets offer several actions add an actions block. */
export const ITEM_BLOCKS: Record<ListKind, number> = {
  requests: 1,
  assigned: 2,
  toAssign: 2,
  breaching: 2,
  snoozed: 1,
};
const URGENCY: readonly ListKind[] = ['breaching', 'assigned', 'toAssign', 'requests', 'snoozed'];
export const TOP_BLOCKS = 2;
export const ADMIN_BLOCKS = 3;

/** A desk and how many tickets each of its lists holds (src/home/lists.ts). */
export type DeskCounts = DeskQueues;

export interface HomeCounts {
  /** Whether the administration area is shown. */
  admin: boolean;
  requests: number;
  assigned: number;
  /** The desks the person belongs to, in display order. */
  desks: DeskCounts[];
}

/**
 * `more`: an actions block with Show more (and Show fewer when enlarged); `fewer`: Show fewer alone;
 * `capped`: a section saying how many are shown of how many (with Show fewer when enlarged).
 */
export type Footer = 'none' | 'more' | 'fewer' | 'capped';

export interface PlannedList {
  key: string;
  kind: ListKind;
  deskKey: string | undefined;
  total: number;
  requested: number;
  shown: number;
  footer: Footer;
}

export interface PlannedDesk {
  key: string;
  name: string;
  lists: [PlannedList, PlannedList, PlannedList];
}

export interface HomePlan {
  admin: boolean;
  mine: [PlannedList, PlannedList];
  desks: PlannedDesk[];
  folded: DeskCounts[];
}

function list(state: HomeState, kind: ListKind, total: number, deskKey?: string): PlannedList {
  const key = listKey(kind, deskKey);
  return {
    key,
    kind,
    deskKey,
    total,
    requested: Math.min(sizeOf(state, key), MAX_LIST_SIZE),
    shown: 0,
    footer: 'none',
  };
}

function footerOf(planned: PlannedList): Footer {
  const enlarged = planned.requested > DEFAULT_LIST_SIZE;
  if (planned.shown < planned.total)
    return planned.shown === planned.requested && planned.requested < MAX_LIST_SIZE ? 'more' : 'capped';
  return enlarged && planned.total > DEFAULT_LIST_SIZE ? 'fewer' : 'none';
}

export const foldedBlocks = (deskCount: number): number =>
  deskCount === 0 ? 0 : 2 + Math.ceil(deskCount / FOLDED_PER_SECTION);

const listBlocks = (planned: PlannedList): number =>
  1 + planned.shown * ITEM_BLOCKS[planned.kind] + (planned.footer === 'none' ? 0 : 1);

/** What the view built from `plan` costs in blocks. */
export function planBlocks(plan: HomePlan): number {
  const lists = [...plan.mine, ...plan.desks.flatMap((desk) => desk.lists)];
  return (
    TOP_BLOCKS +
    (plan.admin ? ADMIN_BLOCKS : 0) +
    1 +
    plan.desks.length +
    lists.reduce((sum, planned) => sum + listBlocks(planned), 0) +
    foldedBlocks(plan.folded.length)
  );
}

export function planHome(counts: HomeCounts, state: HomeState): HomePlan {
  const focus = counts.desks.find((desk) => desk.key === state.focusedDesk);
  const ordered = focus ? [focus, ...counts.desks.filter((desk) => desk !== focus)] : counts.desks;
  const expanded = ordered.slice(0, MAX_EXPANDED_DESKS);
  const plan: HomePlan = {
    admin: counts.admin,
    mine: [list(state, 'requests', counts.requests), list(state, 'assigned', counts.assigned)],
    desks: expanded.map((desk) => ({
      key: desk.key,
      name: desk.name,
      lists: [
        list(state, 'toAssign', desk.toAssign, desk.key),
        list(state, 'breaching', desk.breaching, desk.key),
        list(state, 'snoozed', desk.snoozed, desk.key),
      ],
    })),
    folded: ordered.slice(MAX_EXPANDED_DESKS),
  };
  const lists = [...plan.mine, ...plan.desks.flatMap((desk) => desk.lists)];
  // Fixed parts, with a footer reserved for every list that has something (it may go unused).
  let left = HOME_MAX_BLOCKS - planBlocks(plan) - lists.filter((planned) => planned.total > 0).length;
  const byUrgency = URGENCY.flatMap((kind) => lists.filter((planned) => planned.kind === kind));
  for (let dealt = true; dealt; ) {
    dealt = false;
    for (const planned of byUrgency) {
      if (planned.shown < Math.min(planned.requested, planned.total) && ITEM_BLOCKS[planned.kind] <= left) {
        planned.shown += 1;
        left -= ITEM_BLOCKS[planned.kind];
        dealt = true;
      }
    }
  }
  for (const planned of lists) planned.footer = footerOf(planned);
  return plan;
}
