import { describe, expect, it } from 'vitest';
import { ADMIN_ACTION } from '../../../src/slack/admin/ids.js';
import { HOME_ACTION } from '../../../src/slack/home/ids.js';
import { ACTION } from '../../../src/slack/ids.js';

describe('action ids of the Home and administration', () => {
  it('are never another id followed by "_" (listeners match by prefix)', () => {
    const all = [...Object.values(ACTION), ...Object.values(HOME_ACTION), ...Object.values(ADMIN_ACTION)];
    for (const a of all) for (const b of all) if (a !== b) expect(b.startsWith(`${a}_`)).toBe(false);
    expect(new Set(all).size).toBe(all.length);
  });
});
