import { describe, expect, it } from 'vitest';
import { formatMinutes, parseDurationMinutes } from '../../../src/domain/duration.js';

describe('parseDurationMinutes', () => {
  it.each<[string, number | undefined]>([
    ['30m', 30],
    ['4h', 240],
    ['1h30m', 90],
    ['1h 30m', 90],
    ['  2H15M ', 135],
    ['40h', 2400],
    ['90m', 90],
    ['30 m', 30],
    ['0m', 0],
    ['', undefined],
    ['   ', undefined],
    // Days are refused on purpose: a business day depends on the desk's hours.
    ['1d', undefined],
    ['1d4h', undefined],
    ['h', undefined],
    ['m', undefined],
    ['90', undefined],
    ['1h30', undefined],
    ['1.5h', undefined],
    ['-30m', undefined],
    ['30 minutes', undefined],
    ['4h and 30m', undefined],
  ])('%j → %s', (input, minutes) => {
    expect(parseDurationMinutes(input)).toBe(minutes);
  });

  it('gives the same answer when called again (no state left between calls)', () => {
    expect(parseDurationMinutes('1h30')).toBeUndefined();
    expect(parseDurationMinutes('45m')).toBe(45);
    expect(parseDurationMinutes('45m')).toBe(45);
  });
});

describe('formatMinutes', () => {
  it.each<[number, string]>([
    [0, '0m'],
    [30, '30m'],
    [60, '1h'],
    [90, '1h30m'],
    [2400, '40h'],
  ])('%i → %s', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
    expect(parseDurationMinutes(text)).toBe(minutes);
  });
});
