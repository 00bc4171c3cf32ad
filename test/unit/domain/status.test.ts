import { describe, expect, it } from 'vitest';
import {
  type Actor,
  allowedTargets,
  checkMove,
  isActive,
  parseStatus,
  STATUSES,
  type Status,
} from '../../../src/domain/status.js';

/**
 * The lifecycle of docs/design.md "Status rules", written out for every (from, to, actor): 5 × 5 × 3.
 * `OK` is an allowed move; a string is a refused one, and the refusal's reason must contain it.
 *
 * Read from the design table:
 *   Open → In progress                     a responder
 *   any active → Waiting on requester      a responder
 *   Waiting on requester → Open            the requester (their reply)
 *   In progress / Waiting → Resolved       a responder
 *   Resolved → Closed                      the requester, or nobody within the auto-close delay (system)
 *   Resolved → Open                        the requester
 *   Closed → Open                          the requester
 * Everything else is refused.
 */
const OK = 'OK';
type Cell = typeof OK | string;
interface Row {
  from: Status;
  to: Status;
  responder: Cell;
  requester: Cell;
  system: Cell;
}

const ONLY_DESK = 'Only the desk';
const ONLY_REQUESTER = 'Only the requester';

const TABLE: Row[] = [
  { from: 'open', to: 'open', responder: 'already Open', requester: 'already Open', system: 'already Open' },
  { from: 'open', to: 'in_progress', responder: OK, requester: ONLY_DESK, system: ONLY_DESK },
  { from: 'open', to: 'waiting', responder: OK, requester: ONLY_DESK, system: ONLY_DESK },
  { from: 'open', to: 'resolved', responder: 'In progress', requester: 'In progress', system: 'In progress' },
  { from: 'open', to: 'closed', responder: 'Resolved', requester: 'Resolved', system: 'Resolved' },

  { from: 'in_progress', to: 'open', responder: 'requester', requester: 'requester', system: 'requester' },
  {
    from: 'in_progress',
    to: 'in_progress',
    responder: 'already In progress',
    requester: 'already In progress',
    system: 'already In progress',
  },
  { from: 'in_progress', to: 'waiting', responder: OK, requester: ONLY_DESK, system: ONLY_DESK },
  { from: 'in_progress', to: 'resolved', responder: OK, requester: ONLY_DESK, system: ONLY_DESK },
  { from: 'in_progress', to: 'closed', responder: 'Resolved', requester: 'Resolved', system: 'Resolved' },

  { from: 'waiting', to: 'open', responder: ONLY_REQUESTER, requester: OK, system: ONLY_REQUESTER },
  { from: 'waiting', to: 'in_progress', responder: 'reply', requester: 'reply', system: 'reply' },
  {
    from: 'waiting',
    to: 'waiting',
    responder: 'already Waiting on requester',
    requester: 'already Waiting on requester',
    system: 'already Waiting on requester',
  },
  { from: 'waiting', to: 'resolved', responder: OK, requester: ONLY_DESK, system: ONLY_DESK },
  { from: 'waiting', to: 'closed', responder: 'Resolved', requester: 'Resolved', system: 'Resolved' },

  { from: 'resolved', to: 'open', responder: ONLY_REQUESTER, requester: OK, system: ONLY_REQUESTER },
  { from: 'resolved', to: 'in_progress', responder: 'reopen', requester: 'reopen', system: 'reopen' },
  {
    from: 'resolved',
    to: 'waiting',
    responder: 'nothing to ask',
    requester: 'nothing to ask',
    system: 'nothing to ask',
  },
  {
    from: 'resolved',
    to: 'resolved',
    responder: 'already Resolved',
    requester: 'already Resolved',
    system: 'already Resolved',
  },
  // The card's Close button: a responder may close a Resolved ticket without waiting for confirmation.
  { from: 'resolved', to: 'closed', responder: OK, requester: OK, system: OK },

  { from: 'closed', to: 'open', responder: ONLY_REQUESTER, requester: OK, system: ONLY_REQUESTER },
  { from: 'closed', to: 'in_progress', responder: 'reopen', requester: 'reopen', system: 'reopen' },
  {
    from: 'closed',
    to: 'waiting',
    responder: 'nothing to ask',
    requester: 'nothing to ask',
    system: 'nothing to ask',
  },
  { from: 'closed', to: 'resolved', responder: 'reopen', requester: 'reopen', system: 'reopen' },
  {
    from: 'closed',
    to: 'closed',
    responder: 'already Closed',
    requester: 'already Closed',
    system: 'already Closed',
  },
];

const ACTORS: Actor[] = ['responder', 'requester', 'system'];
const cases = TABLE.flatMap((row) => ACTORS.map((actor) => ({ ...row, actor, expected: row[actor] })));

describe('checkMove', () => {
  it('covers every (from, to, actor) combination exactly once', () => {
    const seen = new Set(cases.map((c) => `${c.from}→${c.to} by ${c.actor}`));
    expect(cases).toHaveLength(STATUSES.length * STATUSES.length * ACTORS.length);
    expect(seen.size).toBe(75);
  });

  for (const c of cases) {
    const name = `${c.from}→${c.to} by ${c.actor}`;
    if (c.expected === OK) {
      it(`${name}: allowed`, () => {
        expect(checkMove(c.from, c.to, c.actor)).toEqual({ ok: true });
      });
    } else {
      it(`${name}: refused, saying "…${c.expected}…"`, () => {
        const result = checkMove(c.from, c.to, c.actor);
        expect(result.ok).toBe(false);
        const reason = result.ok ? '' : result.reason;
        // A sentence a person reads: capitalised, ends with a full stop, and says why.
        expect(reason).toMatch(/^[A-Z].{10,}\.$/);
        expect(reason).toContain(c.expected);
      });
    }
  }

  it('names both statuses when the move exists but belongs to someone else', () => {
    expect(checkMove('open', 'in_progress', 'requester')).toEqual({
      ok: false,
      reason: 'Only the desk can move the ticket from Open to In progress.',
    });
    expect(checkMove('waiting', 'open', 'responder')).toEqual({
      ok: false,
      reason: 'Only the requester can move the ticket from Waiting on requester to Open.',
    });
  });

  it('refuses to close anything but a Resolved ticket, saying so', () => {
    expect(checkMove('in_progress', 'closed', 'responder')).toEqual({
      ok: false,
      reason: 'Only a Resolved ticket can be closed.',
    });
  });
});

describe('allowedTargets', () => {
  const expected: Record<Status, Record<Actor, Status[]>> = {
    open: { responder: ['in_progress', 'waiting'], requester: [], system: [] },
    in_progress: { responder: ['waiting', 'resolved'], requester: [], system: [] },
    waiting: { responder: ['resolved'], requester: ['open'], system: [] },
    resolved: { responder: ['closed'], requester: ['open', 'closed'], system: ['closed'] },
    closed: { responder: [], requester: ['open'], system: [] },
  };

  for (const from of STATUSES) {
    for (const actor of ACTORS) {
      it(`${from}, ${actor}: ${expected[from][actor].join(', ') || 'nothing'}`, () => {
        expect(allowedTargets(from, actor)).toEqual(expected[from][actor]);
      });
    }
  }

  it('offers exactly the moves checkMove allows, so a modal never offers a refused choice', () => {
    for (const from of STATUSES) {
      for (const actor of ACTORS) {
        const allowed = STATUSES.filter((to) => checkMove(from, to, actor).ok);
        expect(allowedTargets(from, actor), `${from} by ${actor}`).toEqual(allowed);
      }
    }
  });
});

describe('parseStatus', () => {
  it.each<[string, Status | undefined]>([
    ['in progress', 'in_progress'],
    ['In progress', 'in_progress'],
    ['in_progress', 'in_progress'],
    ['in-progress', 'in_progress'],
    ['IN PROGRESS', 'in_progress'],
    ['  open  ', 'open'],
    ['Open', 'open'],
    ['waiting', 'waiting'],
    ['waiting on requester', 'waiting'],
    ['Waiting on requester', 'waiting'],
    ['Resolved', 'resolved'],
    ['closed', 'closed'],
    ['', undefined],
    ['   ', undefined],
    ['done', undefined],
    ['in progres', undefined],
    ['open please', undefined],
    ['waiting on', undefined],
  ])('%j → %s', (input, status) => {
    expect(parseStatus(input)).toBe(status);
  });
});

describe('isActive', () => {
  it.each<[Status, boolean]>([
    ['open', true],
    ['in_progress', true],
    ['waiting', true],
    ['resolved', false],
    ['closed', false],
  ])('%s → %s', (status, active) => {
    expect(isActive(status)).toBe(active);
  });
});
