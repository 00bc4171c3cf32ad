import { describe, expect, it } from 'vitest';
import { cleanSubject, folioInSubject } from '../../../src/tickets/mailIntake.js';
import { toRequester } from '../../../src/tickets/requesterChannel.js';

describe('a reply matched by the folio in its subject', () => {
  it.each([
    ['Re: [TKT042] Printer jammed', 'TKT042'],
    ['RE: AW: [tkt42] Printer', 'TKT042'],
    ['Fwd: [ HR-7 ] contract', 'HR007'],
    ['[#TKT1000] big numbers', 'TKT1000'],
  ])('%s → %s', (subject, folio) => {
    expect(folioInSubject(subject)).toBe(folio);
  });

  it.each(['TKT042 without brackets', 'Re: printer', '[not a folio] hello', ''])('%s → none', (subject) => {
    expect(folioInSubject(subject)).toBeUndefined();
  });
});

describe('the subject a mail gives its ticket', () => {
  it.each([
    ['Re: Fwd: RE: VPN is down', 'VPN is down'],
    ['Re: [TKT042] VPN   is\tdown', 'VPN is down'],
    ['AW[3]: Drucker', 'Drucker'],
    ['Reply all of this', 'Reply all of this'],
    ['Re:', ''],
  ])('%s → %s', (subject, cleaned) => {
    expect(cleanSubject(subject)).toBe(cleaned);
  });
});

describe('where the requester hears about a ticket', () => {
  const messages = [
    { kind: 'card.update', ticketId: 7 },
    { kind: 'requester.notify', ticketId: 7, template: 'resolved' },
    { kind: 'requester.reply', ticketId: 7, commentId: 3 },
    { kind: 'comment.mirror', ticketId: 7, commentId: 3 },
  ] as const;

  it('in Slack for a member', () => {
    expect(toRequester({ id: 7, requesterId: 'U_RITA' }, [...messages])).toEqual(messages);
  });

  it('by mail for an external requester, and the desk still in Slack', () => {
    expect(toRequester({ id: 7, requesterId: null }, [...messages])).toEqual([
      { kind: 'card.update', ticketId: 7 },
      { kind: 'mail.notify', ticketId: 7, template: 'resolved' },
      { kind: 'mail.reply', ticketId: 7, commentId: 3 },
      { kind: 'comment.mirror', ticketId: 7, commentId: 3 },
    ]);
  });
});
