import { describe, expect, it } from 'vitest';
import { mayAct, type Permission } from '../../../src/tickets/rights.js';

/** Who may act on a ticket: one rule for every channel, and the refusal each person reads. */

const ANA = 'U_ANA'; // a member of the desk
const RITA = 'U_RITA'; // the requester
const OTTO = 'U_OTTO'; // anyone else

const ticket = { folio: 'TKT042', requesterId: RITA };
const publicDesk = { name: 'IT', private: false, members: [ANA] };
const privateDesk = { name: 'People & HR', private: true, members: [ANA] };

const NOT_MEMBER = { code: 'forbidden', message: 'Only members of the IT desk can change TKT042.' };
const NOT_REQUESTER = { code: 'forbidden', message: 'Only the requester of TKT042 can do that.' };
const MISSING = { code: 'not_found', message: 'That ticket no longer exists.' };

describe('mayAct', () => {
  it.each<[string, Permission, typeof publicDesk, { code: string; message: string } | undefined]>([
    [ANA, 'desk', publicDesk, undefined],
    [ANA, 'desk_or_requester', publicDesk, undefined],
    [ANA, 'anyone', publicDesk, undefined],
    [ANA, 'requester', publicDesk, NOT_REQUESTER],
    [RITA, 'requester', publicDesk, undefined],
    [RITA, 'desk_or_requester', publicDesk, undefined],
    [RITA, 'desk', publicDesk, NOT_MEMBER],
    [OTTO, 'anyone', publicDesk, undefined],
    [OTTO, 'desk', publicDesk, NOT_MEMBER],
    [OTTO, 'desk_or_requester', publicDesk, NOT_MEMBER],
    [OTTO, 'requester', publicDesk, NOT_REQUESTER],
    [ANA, 'desk', privateDesk, undefined],
    [RITA, 'requester', privateDesk, undefined],
    [
      RITA,
      'desk',
      privateDesk,
      { code: 'forbidden', message: 'Only members of the People & HR desk can change TKT042.' },
    ],
    [OTTO, 'anyone', privateDesk, MISSING],
    [OTTO, 'desk', privateDesk, MISSING],
    [OTTO, 'requester', privateDesk, MISSING],
    [OTTO, 'desk_or_requester', privateDesk, MISSING],
  ])('%s acting as %s on a ticket of %o', (viewer, who, desk, refusal) => {
    const answer = mayAct(viewer, ticket, desk, who);
    if (refusal === undefined) expect(answer).toBeUndefined();
    else expect(answer).toMatchObject(refusal);
  });

  it('names neither the folio nor the desk to someone who may not see the ticket', () => {
    const refusal = mayAct(OTTO, ticket, privateDesk, 'desk');
    expect(refusal?.message).not.toContain('TKT042');
    expect(refusal?.message).not.toContain('People & HR');
  });
});
