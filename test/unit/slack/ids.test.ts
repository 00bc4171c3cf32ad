import { describe, expect, it } from 'vitest';
import type { SlackServices } from '../../../src/slack/context.js';
import { ACTION, ADMIN_ACTION, HOME_ACTION } from '../../../src/slack/ids.js';
import { listeners } from '../../../src/slack/listeners.js';

/**
 * `action()` (src/slack/registry.ts) matches an action id and the id followed by `_suffix`,
 * so that several buttons of one kind share a listener. Two registered ids where one is the other
 * followed by `_` would both match the longer one's clicks: every pair is checked here.
 */

/** The pairs of ids that clash: equal, or one the other followed by `_`. */
function prefixClashes(ids: readonly string[]): string[] {
  const clashes: string[] = [];
  ids.forEach((id, i) => {
    ids.forEach((other, j) => {
      if (i === j) return;
      if (other === id && i < j) clashes.push(`${id} is registered twice`);
      if (other.startsWith(`${id}_`)) clashes.push(`${other} is ${id} followed by _`);
    });
  });
  return clashes;
}

const registeredActions = listeners({} as SlackServices)
  .filter((registration) => registration.surface === 'action')
  .map((registration) => registration.id);

describe('action ids', () => {
  it('are never another registered id, nor another followed by "_" (listeners match by prefix)', () => {
    expect(registeredActions.length).toBeGreaterThan(0);
    expect(prefixClashes(registeredActions)).toEqual([]);
  });

  it('of ids.ts are all registered: the check above covers every one', () => {
    const declared = [
      ...Object.values(ACTION),
      ...Object.values(HOME_ACTION),
      ...Object.values(ADMIN_ACTION),
    ];
    expect(registeredActions).toEqual(expect.arrayContaining(declared));
  });

  it('of the Home and administration are never another id followed by "_"', () => {
    const all = [...Object.values(ACTION), ...Object.values(HOME_ACTION), ...Object.values(ADMIN_ACTION)];
    for (const id of all)
      for (const other of all) if (id !== other) expect(other.startsWith(`${id}_`)).toBe(false);
    expect(new Set(all).size).toBe(all.length);
  });

  it('clash when one equals another or extends it with "_", not when they only share a start', () => {
    expect(prefixClashes(['folio_take', 'folio_take_over', 'folio_more', 'folio_more'])).toEqual([
      'folio_take_over is folio_take followed by _',
      'folio_more is registered twice',
    ]);
    expect(prefixClashes(['folio_page', 'folio_page_next'])).toEqual([
      'folio_page_next is folio_page followed by _',
    ]);
    expect(prefixClashes(['folio_page', 'folio_pager', 'folio_home_page'])).toEqual([]);
  });
});
