import { describe, expect, it } from 'vitest';
import { mrkdwnToText, renderTemplateAsText } from '../../../../src/mail/outbound/plainText.js';

describe('mrkdwnToText', () => {
  it.each([
    ['*bold* and _italic_ and ~struck~', 'bold and italic and struck'],
    ['*_both_*', 'both'],
    ['(*in brackets*).', '(in brackets).'],
    ['snake_case_name and 2*3*4 stay', 'snake_case_name and 2*3*4 stay'],
    ['a * lonely star', 'a * lonely star'],
    ['<https://status.example.com|the status page>', 'the status page (https://status.example.com)'],
    ['<https://status.example.com>', 'https://status.example.com'],
    ['<mailto:it@example.com|write to us>', 'write to us (it@example.com)'],
    ['<#C123|general>', '#general'],
    ['<!here> and <!channel>', '@here and @channel'],
    ['<!subteam^S1|@it-team>', '@it-team'],
    ['<!date^1772442900^{date_short}|2 Mar 2026>', '2 Mar 2026'],
    ['Fish &amp; chips &lt;3 &gt;', 'Fish & chips <3 >'],
  ])('%s → %s', (mrkdwn, text) => {
    expect(mrkdwnToText(mrkdwn)).toBe(text);
  });

  it("names a mentioned member when their name is known, else says 'the desk'", () => {
    const names = new Map([['U_AGENT_ANA', 'Ana Alves']]);
    expect(mrkdwnToText('<@U_AGENT_ANA> and <@U_AGENT_BEN> are on it', names)).toBe(
      'Ana Alves and the desk are on it',
    );
  });
});

describe('renderTemplateAsText', () => {
  it("turns the template's markup into text and puts values in as written", () => {
    const text = renderTemplateAsText('*{folio}* _{subject}_: {comment}', {
      folio: 'TKT042',
      subject: '<!channel> *urgent* _now_',
      comment: 'Use <https://evil.example|your bank> &amp; call me',
    });
    expect(text).toBe('TKT042 <!channel> *urgent* _now_: Use <https://evil.example|your bank> &amp; call me');
  });

  it('leaves unknown placeholders, and ignores the characters it marks values with', () => {
    expect(renderTemplateAsText('{folio} {nothing}\uE0000\uE001', { folio: 'TKT001' })).toBe(
      'TKT001 {nothing}0',
    );
  });
});
