import { describe, expect, it } from 'vitest';
import { type AssignmentInput, chooseAssignee } from '../../../src/domain/assignment.js';

const ANA = 'U_ANA';
const BEN = 'U_BEN';
const LIA = 'U_LIA';
const OWNER = 'U_OWNER';

const input = (o: Partial<AssignmentInput>): AssignmentInput => ({
  categoryOwner: null,
  strategy: 'round_robin',
  members: [ANA, BEN, LIA],
  lastAssigned: null,
  openCounts: new Map(),
  ...o,
});

describe('chooseAssignee', () => {
  describe('category owner', () => {
    it.each(['round_robin', 'fewest_open', 'none'] as const)('wins over the %s strategy', (strategy) => {
      expect(chooseAssignee(input({ categoryOwner: OWNER, strategy, lastAssigned: ANA }))).toEqual({
        assignee: OWNER,
        rule: 'category_owner',
      });
    });

    it('wins even when the desk has no members', () => {
      expect(chooseAssignee(input({ categoryOwner: OWNER, members: [] }))).toEqual({
        assignee: OWNER,
        rule: 'category_owner',
      });
    });
  });

  describe('round robin', () => {
    it.each<[string | null, string]>([
      [null, ANA],
      [ANA, BEN],
      [BEN, LIA],
      [LIA, ANA],
      ['U_GONE', ANA],
    ])('after %s comes %s', (last, next) => {
      expect(chooseAssignee(input({ lastAssigned: last }))).toEqual({ assignee: next, rule: 'round_robin' });
    });

    it('cycles through every member in order over successive tickets', () => {
      const picked: (string | null)[] = [];
      let last: string | null = null;
      for (let i = 0; i < 7; i++) {
        last = chooseAssignee(input({ lastAssigned: last })).assignee;
        picked.push(last);
      }
      expect(picked).toEqual([ANA, BEN, LIA, ANA, BEN, LIA, ANA]);
    });

    it('keeps giving tickets to a desk of one', () => {
      expect(chooseAssignee(input({ members: [BEN], lastAssigned: BEN }))).toEqual({
        assignee: BEN,
        rule: 'round_robin',
      });
    });
  });

  describe('fewest open', () => {
    it('picks the least loaded member', () => {
      const openCounts = new Map([
        [ANA, 4],
        [BEN, 1],
        [LIA, 2],
      ]);
      expect(chooseAssignee(input({ strategy: 'fewest_open', openCounts }))).toEqual({
        assignee: BEN,
        rule: 'fewest_open',
      });
    });

    it('breaks a tie in favour of the member listed first', () => {
      const openCounts = new Map([
        [ANA, 3],
        [BEN, 2],
        [LIA, 2],
      ]);
      expect(chooseAssignee(input({ strategy: 'fewest_open', openCounts })).assignee).toBe(BEN);
      expect(
        chooseAssignee(input({ strategy: 'fewest_open', members: [LIA, BEN, ANA], openCounts })).assignee,
      ).toBe(LIA);
    });

    it('counts a member absent from the map as having no open tickets', () => {
      const openCounts = new Map([
        [ANA, 1],
        [BEN, 1],
      ]);
      expect(chooseAssignee(input({ strategy: 'fewest_open', openCounts })).assignee).toBe(LIA);
    });

    it('ignores counts of people who are not members', () => {
      const openCounts = new Map([
        ['U_GONE', 0],
        [ANA, 2],
        [BEN, 1],
        [LIA, 3],
      ]);
      expect(chooseAssignee(input({ strategy: 'fewest_open', openCounts })).assignee).toBe(BEN);
    });

    it('gives the first member the ticket when nobody has any', () => {
      expect(chooseAssignee(input({ strategy: 'fewest_open' }))).toEqual({
        assignee: ANA,
        rule: 'fewest_open',
      });
    });
  });

  describe('nobody', () => {
    it("'none' leaves the ticket in To assign", () => {
      expect(chooseAssignee(input({ strategy: 'none', lastAssigned: ANA }))).toEqual({
        assignee: null,
        rule: 'none',
      });
    });

    it.each(['round_robin', 'fewest_open'] as const)(
      'a desk without members gets nobody (%s)',
      (strategy) => {
        expect(chooseAssignee(input({ strategy, members: [], lastAssigned: ANA }))).toEqual({
          assignee: null,
          rule: 'no_members',
        });
      },
    );
  });
});
