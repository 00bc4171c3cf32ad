import { describe, expect, it } from 'vitest';
import { parseHelpdeskConfig } from '../../../src/config/desks.js';
import { refusedData } from '../../../src/db/tx.js';
import { normalizeText } from '../../../src/domain/text.js';

describe('normalizeText', () => {
  it.each<[string, string, string]>([
    ['plain text', 'Printer jammed on the 3rd floor', 'Printer jammed on the 3rd floor'],
    ['a NUL byte', 'Print\u0000er', 'Printer'],
    ['only NUL bytes', '\u0000\u0000', ''],
    ['a lone high surrogate', 'a\ud800b', 'a\ufffdb'],
    ['a lone low surrogate', 'a\udc00b', 'a\ufffdb'],
    ['a lone surrogate at the end', 'cut here \ud83d', 'cut here \ufffd'],
    ['a pair split by a NUL byte', '\ud83d\u0000\ude00', '\ud83d\ude00'],
    ['emoji and accents', 'Café ☕ 😀 ñ', 'Café ☕ 😀 ñ'],
    ['other control characters and whitespace', 'tab\there\nnew line\r\u0007', 'tab\there\nnew line\r\u0007'],
  ])('keeps %s storable', (_what, input, output) => {
    expect(normalizeText(input)).toBe(output);
  });

  it('is idempotent', () => {
    const once = normalizeText('x\u0000\ud800y\udfff');
    expect(normalizeText(once)).toBe(once);
  });
});

describe('refusedData', () => {
  const dbError = (code: string) => Object.assign(new Error(`SQLSTATE ${code}`), { code });

  it.each([
    ['22021', 'a character the encoding cannot hold'],
    ['22P05', 'an untranslatable character'],
    ['22003', 'a number out of range'],
    ['22001', 'a value too long'],
    ['23514', 'a check violation'],
  ])('is true for %s (%s), seen through the wrapping query error', (code) => {
    expect(refusedData(dbError(code))).toBe(true);
    expect(refusedData(new Error('Failed query: insert …', { cause: dbError(code) }))).toBe(true);
  });

  it.each([
    ['23505', 'a unique violation'],
    ['40001', 'a serialization failure'],
    ['40P01', 'a deadlock'],
    ['57P01', 'the server shutting down'],
    ['08006', 'a lost connection'],
  ])('is false for %s (%s): trying again may succeed', (code) => {
    expect(refusedData(new Error('Failed query', { cause: dbError(code) }))).toBe(false);
  });

  it('is false for errors that are not the database’s', () => {
    expect(refusedData(new Error('boom'))).toBe(false);
    expect(refusedData(Object.assign(new Error('socket'), { code: 'ECONNRESET' }))).toBe(false);
    expect(refusedData('22021')).toBe(false);
  });
});

describe('desk texts from the configuration file and the admin forms', () => {
  it('stores desk and category names and templates normalized', () => {
    const config = parseHelpdeskConfig({
      desks: [
        {
          key: 'it',
          name: 'I\u0000T \ud800',
          templates: { created: 'Got it\u0000: {folio}' },
        },
      ],
      categories: [{ name: 'Hard\u0000ware', desk: 'it' }],
    });
    expect(config.desks[0]).toMatchObject({ name: 'IT \ufffd', templates: { created: 'Got it: {folio}' } });
    expect(config.categories[0]?.name).toBe('Hardware');
  });
});
