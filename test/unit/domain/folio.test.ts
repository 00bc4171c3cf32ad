import { describe, expect, it } from 'vitest';
import { formatFolio, type ParsedFolio, parseFolio } from '../../../src/domain/folio.js';

describe('formatFolio', () => {
  it.each<[string, number, string]>([
    ['TKT', 1, 'TKT001'],
    ['TKT', 42, 'TKT042'],
    ['TKT', 999, 'TKT999'],
    ['TKT', 1000, 'TKT1000'],
    ['TKT', 12345, 'TKT12345'],
    ['HR', 7, 'HR007'],
  ])('%s + %i → %s', (prefix, n, folio) => {
    expect(formatFolio(prefix, n)).toBe(folio);
  });

  it.each([0, -1, -42, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects %d', (n) => {
    expect(() => formatFolio('TKT', n)).toThrow(RangeError);
    expect(() => formatFolio('TKT', n)).toThrow(`A folio number must be a positive integer, got ${n}`);
  });
});

describe('parseFolio', () => {
  it.each<[string, ParsedFolio]>([
    ['TKT042', { prefix: 'TKT', number: 42, folio: 'TKT042' }],
    ['tkt42', { prefix: 'TKT', number: 42, folio: 'TKT042' }],
    ['Tkt042', { prefix: 'TKT', number: 42, folio: 'TKT042' }],
    ['#TKT042', { prefix: 'TKT', number: 42, folio: 'TKT042' }],
    ['TKT-42', { prefix: 'TKT', number: 42, folio: 'TKT042' }],
    ['#tkt-0042', { prefix: 'TKT', number: 42, folio: 'TKT042' }],
    ['  TKT042  ', { prefix: 'TKT', number: 42, folio: 'TKT042' }],
    ['TKT1', { prefix: 'TKT', number: 1, folio: 'TKT001' }],
    ['TKT1000', { prefix: 'TKT', number: 1000, folio: 'TKT1000' }],
    ['hr7', { prefix: 'HR', number: 7, folio: 'HR007' }],
  ])('%j → %o', (input, parsed) => {
    expect(parseFolio(input)).toEqual(parsed);
  });

  it.each([
    'TKT0',
    'TKT000',
    '42',
    '#42',
    'TKT',
    '',
    '   ',
    'TKT 42',
    'T KT042',
    'TKT42a',
    'TKT--42',
    '##TKT42',
    'TKT-',
    'printer on fire',
    'ABCDEFGHIJK1',
    'TKT1234567890',
  ])('%j → undefined', (input) => {
    expect(parseFolio(input)).toBeUndefined();
  });
});
