import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema/index.js';
import { ManualClock } from '../../src/lib/clock.js';
import { ACTION } from '../../src/slack/ids.js';
import { ModalForm } from '../harness/modalForm.js';
import { fileTicket, settle } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

/**
 * The snooze modal suggests the desk's next open morning. The IT desk of the test configuration keeps
 * the default hours (Monday to Friday, 09:00–17:00) in Europe/Madrid; it is Friday evening there.
 */

const FRIDAY_EVENING = new Date('2030-01-18T18:30:00+01:00');
const MONDAY_OPENING = new Date('2030-01-21T09:00:00+01:00');
const REQUESTER = 'U_REQ_RITA';
const ANA = 'U_AGENT_ANA';
const DESK = 'C_IT_DESK';

const t = useTestFolio({ clock: new ManualClock(FRIDAY_EVENING) });

describe('the snooze modal', () => {
  it('suggests the desk’s next open morning: Monday’s opening on a Friday evening', async () => {
    const folio = await fileTicket(t, { user: REQUESTER, subject: 'New laptop order', category: 'IT' });
    await settle(t);
    const card = t.fake.messagesIn(DESK).find((m) => String(m.text).startsWith(`${folio}:`));
    if (!card) throw new Error(`no card for ${folio}`);

    const click = await t.slack.blockActions({
      user: ANA,
      channel: DESK,
      message: card,
      actions: [{ action_id: ACTION.snooze }],
    });
    expect(click.status).toBe(200);
    await t.folio.services.background.idle();
    const form = ModalForm.from(t.fake.lastView() ?? {});
    expect(form.title).toBe(`Snooze ${folio}`);
    expect(JSON.stringify(t.fake.lastView())).toContain(
      `"initial_date_time":${MONDAY_OPENING.getTime() / 1000}`,
    );

    // Submitted as suggested, it snoozes the ticket until then.
    await form.fill('Reason', 'Back on Monday').submit(t.slack, ANA);
    await settle(t);
    const [row] = await t.folio.services.db.select().from(tickets).where(eq(tickets.folio, folio));
    expect(row?.snoozedUntil).toEqual(MONDAY_OPENING);
  });
});
