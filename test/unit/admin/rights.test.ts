import { describe, expect, it } from 'vitest';
import {
  type AdminRights,
  mayAdminister,
  mayChangeMailbox,
  mayChangePrivacy,
  mayCreateDesk,
  mayEditCategoriesOf,
  mayEditDesk,
  mayMoveCategory,
} from '../../../src/desks/admin/rights.js';

const admin: AdminRights = { userId: 'U_ADA', workspaceAdmin: true, leadOf: new Set() };
const lead: AdminRights = { userId: 'U_LIA', workspaceAdmin: false, leadOf: new Set(['it', 'fac']) };
const member: AdminRights = { userId: 'U_ANA', workspaceAdmin: false, leadOf: new Set() };

describe('administration rights', () => {
  it.each([
    ['administer at all', (r: AdminRights) => mayAdminister(r), [true, true, false]],
    ['create a desk', (r: AdminRights) => mayCreateDesk(r), [true, false, false]],
    ['edit the IT desk', (r: AdminRights) => mayEditDesk(r, 'it'), [true, true, false]],
    ['edit the HR desk', (r: AdminRights) => mayEditDesk(r, 'hr'), [true, false, false]],
    ['make a desk private or public', (r: AdminRights) => mayChangePrivacy(r), [true, false, false]],
    ['change a desk’s mailbox', (r: AdminRights) => mayChangeMailbox(r), [true, false, false]],
    ['edit IT’s categories', (r: AdminRights) => mayEditCategoriesOf(r, 'it'), [true, true, false]],
    ['edit HR’s categories', (r: AdminRights) => mayEditCategoriesOf(r, 'hr'), [true, false, false]],
    [
      'move a category from IT to Facilities',
      (r: AdminRights) => mayMoveCategory(r, 'it', 'fac'),
      [true, true, false],
    ],
    [
      'move a category from IT to HR',
      (r: AdminRights) => mayMoveCategory(r, 'it', 'hr'),
      [true, false, false],
    ],
  ] as const)('%s: admin, lead of IT and Facilities, member', (_what, may, expected) => {
    expect([admin, lead, member].map(may)).toEqual(expected);
  });
});
