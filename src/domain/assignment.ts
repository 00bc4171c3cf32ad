import { assertNever } from '../lib/assertNever.js';

/**
 * Automatic assignment at creation: the category's owner; else the desk's strategy over its members;
 * else nobody, and the ticket waits in the desk's "To assign" queue.
 */

export const ASSIGNMENT_STRATEGIES = ['round_robin', 'fewest_open', 'none'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export interface AssignmentInput {
  categoryOwner: string | null;
  strategy: AssignmentStrategy;
  /** Desk members able to take tickets, in the desk's configured order. */
  members: readonly string[];
  /** Round robin: who got the desk's previous automatic assignment. */
  lastAssigned: string | null;
  /** Fewest open: active tickets per member (members absent from the map have none). */
  openCounts: ReadonlyMap<string, number>;
}

export interface AssignmentDecision {
  assignee: string | null;
  rule: 'category_owner' | AssignmentStrategy | 'no_members';
}

export function chooseAssignee(input: AssignmentInput): AssignmentDecision {
  if (input.categoryOwner) return { assignee: input.categoryOwner, rule: 'category_owner' };
  const { members } = input;
  if (input.strategy === 'none') return { assignee: null, rule: 'none' };
  if (members.length === 0) return { assignee: null, rule: 'no_members' };
  switch (input.strategy) {
    case 'round_robin': {
      const last = input.lastAssigned === null ? -1 : members.indexOf(input.lastAssigned);
      return { assignee: members[(last + 1) % members.length] ?? null, rule: 'round_robin' };
    }
    case 'fewest_open': {
      // Ties go to the member listed first, so the result is deterministic.
      let best: string | null = null;
      let bestCount = Number.POSITIVE_INFINITY;
      for (const member of members) {
        const count = input.openCounts.get(member) ?? 0;
        if (count < bestCount) {
          best = member;
          bestCount = count;
        }
      }
      return { assignee: best, rule: 'fewest_open' };
    }
    default:
      return assertNever(input.strategy, 'assignment strategy');
  }
}
