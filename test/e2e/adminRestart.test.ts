import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaTimers, ticketEvents, tickets } from '../../src/db/schema/index.js';
import { findDesk } from '../../src/desks/directory.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { ADMIN_ACTION } from '../../src/slack/ids.js';
import type { ModalForm } from '../harness/modalForm.js';
import { modalOpenedOn } from '../support/flows.js';
import { startTestFolio, TEST_CONFIG, type TestFolio } from '../support/folio.js';

const ADA = 'U_ADMIN_ADA';
const RITA = 'U_REQ_RITA';

let first: TestFolio;
let current: TestFolio;
const running: TestFolio[] = [];

beforeAll(async () => {
  first = await startTestFolio();
  current = first;
});
afterAll(async () => {
  // The first instance owns the database and the fake: it goes last.
  for (const app of running.reverse()) await app.stop();
  await first?.stop();
});

/** Stops the app and starts a new one on the same database and fake Slack, with `config`. */
async function restart(config: HelpdeskConfigInput = TEST_CONFIG): Promise<void> {
  await current.folio.stop();
  current = await startTestFolio({ database: first.database, fake: first.fake, config });
  running.push(current);
  current.fake.setUser(ADA, { is_admin: true });
}

const openedBy = (res: { triggerId: string }): Promise<ModalForm> => modalOpenedOn(current, res.triggerId);

describe('an admin’s change made in Slack', () => {
  it('applies to the next ticket and survives a restart; a later change of that field in the file wins', async () => {
    current.fake.setUser(ADA, { is_admin: true });
    await current.slack.event({ type: 'app_home_opened', user: ADA, channel: 'D_ADA', tab: 'home' });
    await current.fake.waitForCall('views.publish', (a) => a.user_id === ADA);
    const home = current.fake.homeOf(ADA);
    if (!home) throw new Error('no Home');
    const click = await current.slack.blockActions({
      user: ADA,
      view: home,
      actions: [
        {
          action_id: ADMIN_ACTION.deskSla,
          selected_option: { text: { type: 'plain_text', text: 'IT' }, value: 'it' },
        },
      ],
    });
    const form = await openedBy(click);
    form.fill('High: first response', '45m').fill('High: resolution', '6h');
    expect((await form.submit(current.slack, ADA)).json).toBeUndefined();

    const db = () => current.folio.services.db;
    expect((await findDesk(db(), 'it'))?.sla.high).toEqual({ firstResponse: 45, resolution: 360 });
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.type, 'desk.updated'));
    expect(events.map((e) => [e.deskKey, e.actorId, e.data])).toEqual([
      [
        'it',
        ADA,
        {
          by: 'slack',
          form: 'sla',
          fields: ['sla'],
          from: { sla: expect.objectContaining({ high: { firstResponse: 60, resolution: 480 } }) },
          to: { sla: expect.objectContaining({ high: { firstResponse: 45, resolution: 360 } }) },
        },
      ],
    ]);

    await restart();
    expect((await findDesk(db(), 'it'))?.sla.high).toEqual({ firstResponse: 45, resolution: 360 });
    expect(
      current.logs.filter((l) => String(l.msg ?? l.message).includes('replacing the value an admin set')),
    ).toEqual([]);

    // The next ticket, through /ticket, goes to the desk with the new target.
    const command = await current.slack.command({ text: 'Server room too hot', user: RITA });
    const ticketForm = await openedBy(command);
    await ticketForm.fill('Category', 'IT').fill('Priority', 'High').submit(current.slack, RITA);
    const [ticket] = await db().select().from(tickets).orderBy(asc(tickets.id));
    expect(ticket).toMatchObject({ deskKey: 'it', priority: 'high' });
    // The next ticket's clocks run on the targets set above.
    const clocks = await db()
      .select()
      .from(slaTimers)
      .where(eq(slaTimers.ticketId, ticket?.id ?? 0));
    expect(clocks.map((c) => [c.kind, c.targetMinutes]).sort()).toEqual([
      ['first_response', 45],
      ['resolution', 360],
    ]);

    // The file changes that same field: the file wins, and says so.
    const [itDesk, ...otherDesks] = TEST_CONFIG.desks;
    if (!itDesk) throw new Error('TEST_CONFIG has the IT desk first');
    const sla = { high: { firstResponse: '20m', resolution: '8h' } };
    await restart({ ...TEST_CONFIG, desks: [{ ...itDesk, sla }, ...otherDesks] });
    expect((await findDesk(db(), 'it'))?.sla.high).toEqual({ firstResponse: 20, resolution: 480 });
    expect(
      current.logs.filter((l) => String(l.msg ?? l.message).includes('replacing the value an admin set')),
    ).toHaveLength(1);
  });
});
