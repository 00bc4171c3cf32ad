import { describe, expect, it } from 'vitest';
import { type NamedDeskStats, statsMessage } from '../../../src/slack/command/stats.js';
import { formatDuration, formatShare } from '../../../src/stats/format.js';

describe('statistics formatting', () => {
  it.each([
    [0, '0s'],
    [42.4, '42s'],
    [60, '1m'],
    [25 * 60 + 59, '25m'],
    [3600, '1h'],
    [3 * 3600 + 20 * 60, '3h 20m'],
    [24 * 3600, '1d'],
    [2 * 86400 + 4 * 3600 + 59 * 60, '2d 4h'],
  ])('%s seconds read %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([
    [4, 6, '67%'],
    [0, 5, '0%'],
    [5, 5, '100%'],
    [199, 200, '99%'],
    [1, 300, '1%'],
    [0, 0, '–'],
  ])('%s of %s reads %s', (part, whole, text) => {
    expect(formatShare(part, whole)).toBe(text);
  });

  it('keeps the message within 50 blocks for 50 desks', () => {
    const window = {
      created: 1,
      responded: 1,
      medianFirstResponse: 60,
      resolved: 1,
      medianResolution: 3600,
      slaSettled: 2,
      slaMet: 1,
    };
    const desks: NamedDeskStats[] = Array.from({ length: 50 }, (_, i) => ({
      deskKey: `d${i}`,
      name: `Desk number ${i} with a rather long name for its kind`,
      private: i % 2 === 0,
      byStatus: { open: 1, in_progress: 2, waiting: 3, resolved: 4, closed: 5 },
      windows: { 7: window, 30: window },
    }));
    const message = statsMessage(desks);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const text = JSON.stringify(message.blocks);
    for (let i = 0; i < 50; i++) expect(text).toContain(`Desk number ${i} with`);
    for (const b of message.blocks) expect(JSON.stringify(b).length).toBeLessThan(3200);
  });
});
