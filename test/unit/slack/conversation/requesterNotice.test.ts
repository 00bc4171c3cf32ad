import { describe, expect, it } from 'vitest';
import { requesterEscalateAction } from '../../../../src/slack/card/ticketActions.js';
import { requesterNotice } from '../../../../src/slack/conversation/requesterNotice.js';
import { makeDetails } from '../../fixtures.js';

const OPENED = '<!date^1772442900^{date_short_pretty} at {time}|2026-03-02 09:15 UTC>';

describe('requesterNotice', () => {
  it('uses the default template when the desk has none, promising the SLA due and offering escalation', () => {
    const due = new Date('2026-11-23T12:00:00Z');
    const details = makeDetails({ ticket: { folio: 'TKT007' }, slaDue: due });
    const notice = requesterNotice(details, 'created');
    const text =
      'Thanks! Your request *TKT007* is with the IT desk: Printer on the 3rd floor is jammed\n' +
      'Reply in this thread to add details or files; the desk’s answers will appear here.';
    const promise = `:stopwatch: The desk aims to answer by <!date^${due.getTime() / 1000}^{date_short_pretty} at {time}|2026-11-23 12:00 UTC>.`;
    expect(notice).toEqual({
      text,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `TKT007 · Open · opened ${OPENED}` }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: promise }] },
        { type: 'actions', elements: [requesterEscalateAction(details.ticket)] },
      ],
    });
  });

  it("uses the desk's own template", () => {
    const notice = requesterNotice(
      makeDetails({
        ticket: { folio: 'TKT042', priority: 'high', assigneeId: 'U_AGENT_BEN' },
        desk: { templates: { created: '{requester}: *{folio}* ({priority}, {status}) is with {assignee}.' } },
      }),
      'created',
    );
    expect(notice.text).toBe('<@U_REQ_RITA>: *TKT042* (High, Open) is with <@U_AGENT_BEN>.');
  });

  it('says nobody yet when the ticket has no assignee', () => {
    const notice = requesterNotice(
      makeDetails({ desk: { templates: { created: 'Assignee: {assignee}' } } }),
      'created',
    );
    expect(notice.text).toBe('Assignee: nobody yet');
  });

  it('escapes the subject, the desk name and extra plain values', () => {
    const notice = requesterNotice(
      makeDetails({
        ticket: { subject: '<!channel> help & <https://evil.example|login>' },
        desk: { name: 'People & HR' },
      }),
      'publicReply',
      { author: '<!here> Ana', comment: 'See <https://evil.example|this>' },
    );
    expect(notice.text).toBe(
      '*&lt;!here&gt; Ana* replied on *TKT001*:\nSee &lt;https://evil.example|this&gt;',
    );

    const created = requesterNotice(
      makeDetails({
        ticket: { subject: '<!channel> help & <https://evil.example|login>' },
        desk: { name: 'People & HR' },
      }),
      'created',
    );
    expect(created.text).toBe(
      'Thanks! Your request *TKT001* is with the People &amp; HR desk: ' +
        '&lt;!channel&gt; help &amp; &lt;https://evil.example|login&gt;\n' +
        'Reply in this thread to add details or files; the desk’s answers will appear here.',
    );
  });

  it('fills the resolution note and the auto-close delay', () => {
    const resolved = requesterNotice(
      makeDetails({ ticket: { status: 'resolved', resolutionNote: 'Replaced the fuser <3' } }),
      'resolved',
    );
    expect(resolved.text).toBe(
      '*TKT001* is resolved. Replaced the fuser &lt;3\nIs everything working again?',
    );
    expect(resolved.blocks[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `TKT001 · Resolved · opened ${OPENED}` }],
    });

    const closed = requesterNotice(
      makeDetails({ ticket: { status: 'closed' }, desk: { autoCloseAfterDays: 5 } }),
      'autoClosed',
    );
    expect(closed.text).toBe(
      '*TKT001* is now closed: nobody answered within 5 business days of it being resolved.',
    );
  });

  it('lets extra values replace the ticket’s own, as given', () => {
    const notice = requesterNotice(
      makeDetails({ desk: { templates: { publicReply: '{author}: {comment}' } } }),
      'publicReply',
      { author: { mrkdwn: '<@U_AGENT_ANA>' }, comment: 'Try *turning it off*' },
    );
    expect(notice.text).toBe('<@U_AGENT_ANA>: Try *turning it off*');
  });
});
