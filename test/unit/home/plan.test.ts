import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOME_STATE,
  type HomeState,
  LIST_KINDS,
  listKey,
  MAX_LIST_SIZE,
} from '../../../src/home/state.js';
import {
  HOME_MAX_BLOCKS,
  type HomeCounts,
  MAX_EXPANDED_DESKS,
  planBlocks,
  planHome,
} from '../../../src/slack/home/plan.js';

const desk = (key: string, n: number) => ({
  key,
  name: key.toUpperCase(),
  toAssign: n,
  breaching: n,
  snoozed: n,
});

const counts = (o: Partial<HomeCounts> = {}): HomeCounts => ({
  admin: false,
  requests: 0,
  assigned: 0,
  desks: [],
  ...o,
});

/** Every list of every desk asks for the most there is. */
function greedy(c: HomeCounts): HomeState {
  const keys = [
    'requests',
    'assigned',
    ...c.desks.flatMap((d) => LIST_KINDS.slice(2).map((k) => listKey(k, d.key))),
  ];
  return { listSizes: Object.fromEntries(keys.map((k) => [k, MAX_LIST_SIZE])) };
}

const shown = (plan: ReturnType<typeof planHome>) =>
  [...plan.mine, ...plan.desks.flatMap((d) => d.lists)].map((l) => [l.key, l.shown, l.footer]);

describe('planHome', () => {
  it('shows small lists whole, without footers', () => {
    const plan = planHome(counts({ requests: 2, assigned: 1, desks: [desk('it', 3)] }), DEFAULT_HOME_STATE);
    expect(shown(plan)).toEqual([
      ['requests', 2, 'none'],
      ['assigned', 1, 'none'],
      ['toAssign:it', 3, 'none'],
      ['breaching:it', 3, 'none'],
      ['snoozed:it', 3, 'none'],
    ]);
    // 2 top + "Your tickets" + 2 titles + 3 lines (1 block each) … + desk header + 3 titles + 3×2 + 3×2 + 3×1
    expect(planBlocks(plan)).toBe(2 + 1 + 2 + 2 + 1 * 2 + 1 + 3 + 6 + 6 + 3);
  });

  it('shows five of a long list with "Show more", and what was asked for when it grew', () => {
    const c = counts({ requests: 30, desks: [desk('it', 12)] });
    expect(shown(planHome(c, DEFAULT_HOME_STATE))).toEqual([
      ['requests', 5, 'more'],
      ['assigned', 0, 'none'],
      ['toAssign:it', 5, 'more'],
      ['breaching:it', 5, 'more'],
      ['snoozed:it', 5, 'more'],
    ]);
    const grown = planHome(c, { listSizes: { requests: 40, 'snoozed:it': 15 } });
    expect(shown(grown)).toEqual([
      ['requests', 30, 'fewer'],
      ['assigned', 0, 'none'],
      ['toAssign:it', 5, 'more'],
      ['breaching:it', 5, 'more'],
      ['snoozed:it', 12, 'fewer'],
    ]);
  });

  it('never exceeds 100 blocks, whatever the counts and the sizes asked for', () => {
    for (const desks of [0, 1, 2, 3, 4, 20, 50]) {
      for (const n of [0, 1, 6, 500, 100_000]) {
        for (const admin of [false, true]) {
          const c = counts({
            admin,
            requests: n,
            assigned: n,
            desks: Array.from({ length: desks }, (_, i) => desk(`d${i}`, n)),
          });
          for (const state of [DEFAULT_HOME_STATE, greedy(c)]) {
            expect(planBlocks(planHome(c, state))).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
          }
        }
      }
    }
  });

  it('deals a tight budget by urgency and says where lists are cut', () => {
    const c = counts({
      admin: true,
      requests: 500,
      assigned: 500,
      desks: [desk('it', 500), desk('hr', 500), desk('fac', 500)],
    });
    const plan = planHome(c, greedy(c));
    expect(planBlocks(plan)).toBe(HOME_MAX_BLOCKS);
    const byKind = Object.fromEntries(shown(plan).map(([key, n, footer]) => [key, `${n} ${footer}`]));
    expect(byKind).toEqual({
      requests: '4 capped',
      assigned: '4 capped',
      'toAssign:it': '4 capped',
      'breaching:it': '4 capped',
      'snoozed:it': '3 capped',
      'toAssign:hr': '4 capped',
      'breaching:hr': '4 capped',
      'snoozed:hr': '3 capped',
      'toAssign:fac': '4 capped',
      'breaching:fac': '4 capped',
      'snoozed:fac': '3 capped',
    });
  });

  it('folds desks beyond the first three, the focused desk first', () => {
    const c = counts({ desks: ['a', 'b', 'c', 'd', 'e'].map((k) => desk(k, 1)) });
    const plan = planHome(c, { listSizes: {}, focusedDesk: 'e' });
    expect(plan.desks.map((d) => d.key)).toEqual(['e', 'a', 'b']);
    expect(plan.folded.map((d) => d.key)).toEqual(['c', 'd']);
    expect(plan.desks).toHaveLength(MAX_EXPANDED_DESKS);
    // A focus on a desk the person is not in is ignored.
    expect(planHome(c, { listSizes: {}, focusedDesk: 'zz' }).desks.map((d) => d.key)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});
