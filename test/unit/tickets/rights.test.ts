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

type Refusal = { code: string; message: string };
type Desk = typeof publicDesk;

/** The cases of `viewer` acting on a ticket of `desk`: each permission with the refusal they read (undefined: none). */
function answers(
  viewer: string,
  desk: Desk,
  refusals: Partial<Record<Permission, Refusal | undefined>>,
): [string, Permission, Desk, Refusal | undefined][] {
  return Object.entries(refusals).map(([who, refusal]) => [viewer, who as Permission, desk, refusal]);
}

describe('mayAct', () => {
  it.each([
    ...answers(ANA, publicDesk, {
      desk: undefined,
      desk_or_requester: undefined,
      anyone: undefined,
      requester: NOT_REQUESTER,
    }),
    ...answers(RITA, publicDesk, { requester: undefined, desk_or_requester: undefined, desk: NOT_MEMBER }),
    ...answers(OTTO, publicDesk, {
      anyone: undefined,
      desk: NOT_MEMBER,
      desk_or_requester: NOT_MEMBER,
      requester: NOT_REQUESTER,
    }),
    ...answers(ANA, privateDesk, { desk: undefined }),
    ...answers(RITA, privateDesk, {
      requester: undefined,
      desk: { code: 'forbidden', message: 'Only members of the People & HR desk can change TKT042.' },
    }),
    ...answers(OTTO, privateDesk, {
      anyone: MISSING,
      desk: MISSING,
      requester: MISSING,
      desk_or_requester: MISSING,
    }),
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
