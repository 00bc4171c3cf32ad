import { describe, expect, it } from 'vitest';
import { renderTemplate, templateFor } from '../../../src/tickets/templates.js';

describe('renderTemplate', () => {
  it('fills placeholders with escaped plain values', () => {
    expect(
      renderTemplate('*{folio}*: {subject} ({desk})', {
        folio: 'TKT042',
        subject: '<!channel> printer & scanner <https://evil.example|click>',
        desk: 'People & HR',
      }),
    ).toBe(
      '*TKT042*: &lt;!channel&gt; printer &amp; scanner &lt;https://evil.example|click&gt; (People &amp; HR)',
    );
  });

  it('keeps mrkdwn values raw, so mentions still ping the right person', () => {
    expect(renderTemplate('Assigned to {assignee}', { assignee: { mrkdwn: '<@U_ANA>' } })).toBe(
      'Assigned to <@U_ANA>',
    );
  });

  it('leaves unknown placeholders as written', () => {
    expect(renderTemplate('{folio} {unknown} {Folio} {folio-x}', { folio: 'TKT001' })).toBe(
      'TKT001 {unknown} {Folio} {folio-x}',
    );
  });

  it('does not expand placeholders that appear inside a value', () => {
    expect(renderTemplate('{subject} / {folio}', { subject: 'about {folio}', folio: 'TKT001' })).toBe(
      'about {folio} / TKT001',
    );
  });

  it('fills every occurrence of a placeholder', () => {
    expect(renderTemplate('{folio}, {folio}', { folio: 'TKT001' })).toBe('TKT001, TKT001');
  });

  it('renders an empty value as nothing', () => {
    expect(renderTemplate('Resolved. {resolution}!', { resolution: '' })).toBe('Resolved. !');
  });
});

describe('templateFor', () => {
  it("uses the desk's override when there is one", () => {
    expect(templateFor({ created: 'Got it: {folio}' }, 'created')).toBe('Got it: {folio}');
  });

  it('falls back to the default for templates the desk did not override', () => {
    expect(templateFor({ created: 'Got it: {folio}' }, 'resolved')).toBe(
      '*{folio}* is resolved. {resolution}\nIs everything working again?',
    );
    expect(templateFor({}, 'autoClosed')).toBe(
      '*{folio}* is now closed: nobody answered within {days} business days of it being resolved.',
    );
  });
});
