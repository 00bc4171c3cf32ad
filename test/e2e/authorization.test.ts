import { describe, expect, it } from 'vitest';
import { fileTicket } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

const t = useTestFolio();

describe('authorization', () => {
  it('reads the bot’s identity with one auth.test, not one per request', async () => {
    for (const text of ['help', 'mine', 'help']) {
      expect((await t.slack.command({ text, user: 'U_REQ_RITA' })).status).toBe(200);
    }
    await fileTicket(t, { user: 'U_REQ_RITA', subject: 'Printer jammed', category: 'IT' });
    expect(t.fake.callsTo('auth.test')).toHaveLength(1);
  });
});
