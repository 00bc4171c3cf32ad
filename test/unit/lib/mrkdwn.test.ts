import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mentionChannel, mentionUser, truncate } from '../../../src/lib/mrkdwn.js';

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here> please', '&lt;!here&gt; please'],
    ['<https://evil.example|Reset your password>', '&lt;https://evil.example|Reset your password&gt;'],
    ['<@U1>', '&lt;@U1&gt;'],
    ['<#C1>', '&lt;#C1&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    // Already-escaped text a person typed is shown as typed, not decoded.
    ['&lt;b&gt;', '&amp;lt;b&amp;gt;'],
    ['a < b > c', 'a &lt; b &gt; c'],
    ['*bold* _it_ `code` ~strike~', '*bold* _it_ `code` ~strike~'],
    ['', ''],
  ])('%j → %j', (input, escaped) => {
    expect(escapeMrkdwn(input)).toBe(escaped);
  });
});

describe('truncate', () => {
  it('leaves text within the limit untouched', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 3)).toBe('');
  });

  it('cuts to exactly the limit, the last character being an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(Array.from(truncate('x'.repeat(5000), 3000))).toHaveLength(3000);
  });

  it('counts emoji as one character each and never splits one', () => {
    expect(truncate('😀😀😀', 3)).toBe('😀😀😀');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    const cut = truncate(`${'a'.repeat(9)}😀😀`, 10);
    expect(cut).toBe(`${'a'.repeat(9)}…`);
    expect(/\p{Cs}/u.test(truncate('a😀'.repeat(100), 51))).toBe(false);
  });

  it('cuts to just the ellipsis when the limit is one', () => {
    expect(truncate('abc', 1)).toBe('…');
  });
});

describe('mentions', () => {
  it('writes user and channel mentions Slack renders', () => {
    expect(mentionUser('U123')).toBe('<@U123>');
    expect(mentionChannel('C123')).toBe('<#C123>');
  });
});
