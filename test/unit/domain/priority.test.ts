import { describe, expect, it } from 'vitest';
import { type Priority, parsePriority } from '../../../src/domain/priority.js';

describe('parsePriority', () => {
  it.each<[string, Priority | undefined]>([
    ['low', 'low'],
    ['medium', 'medium'],
    ['high', 'high'],
    ['urgent', 'urgent'],
    // The second seed's word for the middle priority.
    ['normal', 'medium'],
    ['Normal', 'medium'],
    ['  NORMAL ', 'medium'],
    ['High', 'high'],
    ['URGENT', 'urgent'],
    ['\tlow\n', 'low'],
    ['', undefined],
    ['   ', undefined],
    ['critical', undefined],
    ['hi', undefined],
    ['very high', undefined],
    ['2', undefined],
  ])('%j → %s', (input, priority) => {
    expect(parsePriority(input)).toBe(priority);
  });
});
