import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { homeViews, slaTimers, tickets } from '../../src/db/schema/index.js';
import { createDesk } from '../../src/desks/admin/createDesk.js';
import { enqueue } from '../../src/outbox/messages.js';
import { HOME_MAX_BLOCKS } from '../../src/slack/home/plan.js';
import { ACTION, HOME_ACTION } from '../../src/slack/ids.js';
import { createTicket } from '../../src/tickets/createTicket.js';
import { isRecord, recordsIn, type SlackView, stringAt } from '../harness/fakeSlack.js';
import { useTestFolio } from '../support/folio.js';

const RITA = 'U_REQ_RITA';
const OTTO = 'U_OTHER_OTTO';
const ANA = 'U_AGENT_ANA';
const BEN = 'U_AGENT_BEN';
const LIA = 'U_LEAD_LIA';
const HUGO = 'U_HR_HUGO';

const HOUR = 60 * 60 * 1000;

const t = useTestFolio();

const db = () => t.folio.services.db;

/** Opens the Home tab as Slack does and returns the view published in answer. */
async function openHome(user: string): Promise<SlackView> {
  const before = t.fake.callsTo('views.publish').length;
  const res = await t.slack.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
  expect(res.status).toBe(200);
  await t.fake.waitForCall(
    'views.publish',
    (a, call) => a.user_id === user && t.fake.callsTo('views.publish').indexOf(call) >= before,
  );
  const home = t.fake.homeOf(user);
  if (!home) throw new Error(`no Home published for ${user}`);
  return home;
}

const textOf = (block: Record<string, unknown>): string => stringAt(block.text, 'text') ?? '';

/**
 * The folios of each list of a Home tab, keyed `My requests`, `Assigned to me`, `IT desk / To assign`…
 * Only lists that are there appear.
 */
function listsOf(home: SlackView): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  let group = '';
  let current: string[] | undefined;
  for (const block of recordsIn(home.blocks)) {
    if (block.type === 'header') {
      group = textOf(block);
      current = undefined;
      continue;
    }
    if (block.type !== 'section') continue;
    const text = textOf(block);
    const title = /^\*(My requests|Assigned to me|To assign|Breaching soon|Snoozed)\*/.exec(text)?.[1];
    if (title) {
      current = [];
      lists[group === 'Your tickets' ? title : `${group} / ${title}`] = current;
      continue;
    }
    const folio = /^\*([A-Z]+\d+)\*/.exec(text)?.[1];
    if (folio && current) current.push(folio);
  }
  return lists;
}

/** A ticket made the real way, then put in the state the test needs (fixture: direct updates). */
async function ticket(
  o: { desk: 'it' | 'hr'; requester: string; subject: string },
  set: Partial<typeof tickets.$inferInsert> = {},
): Promise<{ id: number; folio: string }> {
  const created = await createTicket(t.folio.services, {
    subject: o.subject,
    deskKey: o.desk,
    requesterId: o.requester,
    createdBy: o.requester,
    source: 'api',
  });
  const { id, folio } = created.ticket;
  if (Object.keys(set).length > 0) await db().update(tickets).set(set).where(eq(tickets.id, id));
  return { id, folio };
}

/** Fixture: gives the ticket one running clock due at `dueAt` (call after deleting the real ones). */
async function clock(ticketId: number, dueAt: Date, extra: Partial<typeof slaTimers.$inferInsert> = {}) {
  await db()
    .insert(slaTimers)
    .values({ ticketId, kind: 'resolution', targetMinutes: 240, startedAt: new Date(), dueAt, ...extra });
}

describe('App Home lists', () => {
  it('shows each person exactly their requests, their assignments and their desks’ queues', async () => {
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);
    const t1 = await ticket(
      { desk: 'it', requester: RITA, subject: 'Printer jammed' },
      { lastActivityAt: at(5) },
    );
    const t2 = await ticket(
      { desk: 'it', requester: RITA, subject: 'VPN drops' },
      { assigneeId: ANA, status: 'in_progress', lastActivityAt: at(1) },
    );
    const t3 = await ticket({ desk: 'it', requester: OTTO, subject: 'Laptop broken' });
    const t4 = await ticket(
      { desk: 'it', requester: OTTO, subject: 'Monitor flickers' },
      { assigneeId: BEN },
    );
    const t5 = await ticket(
      { desk: 'it', requester: RITA, subject: 'New keyboard' },
      { snoozedUntil: new Date(now + 24 * HOUR), lastActivityAt: at(3) },
    );
    const t6 = await ticket(
      { desk: 'it', requester: RITA, subject: 'Old issue' },
      { assigneeId: ANA, status: 'resolved', lastActivityAt: at(0.5) },
    );
    const t7 = await ticket(
      { desk: 'hr', requester: RITA, subject: 'Payslip question' },
      { lastActivityAt: at(2) },
    );
    const t8 = await ticket({ desk: 'hr', requester: OTTO, subject: 'Leave request' }, { assigneeId: null });
    const t9 = await ticket({ desk: 'it', requester: OTTO, subject: 'Mouse missing' });
    const t10 = await ticket({ desk: 'it', requester: OTTO, subject: 'Already breached' });
    // Only the clocks below: whatever clocks createTicket started are replaced.
    await db().delete(slaTimers);
    await clock(t3.id, new Date(now + 1 * HOUR));
    await clock(t4.id, new Date(now + 2 * HOUR));
    await clock(t8.id, new Date(now + 0.5 * HOUR));
    await clock(t9.id, new Date(now + 5 * HOUR)); // beyond the 4 hours: not breaching soon
    await clock(t10.id, new Date(now + 1 * HOUR), { breachedAt: at(1) }); // breached already
    await clock(t5.id, new Date(now + 1 * HOUR)); // snoozed: in Snoozed only
    await clock(t6.id, new Date(now + 1 * HOUR)); // resolved: not active
    await t.folio.relay.drain();

    expect(listsOf(await openHome(RITA))).toEqual({
      'My requests': [t2.folio, t7.folio, t5.folio, t1.folio, t6.folio],
      'Assigned to me': [],
    });
    expect(listsOf(await openHome(ANA))).toEqual({
      'My requests': [],
      'Assigned to me': [t2.folio],
      'IT queues / To assign': [t1.folio, t3.folio, t9.folio, t10.folio],
      'IT queues / Breaching soon': [t3.folio, t4.folio],
      'IT queues / Snoozed': [t5.folio],
    });
    // HR is private: only its member sees its queues; its ticket is Hugo's by round robin.
    expect(listsOf(await openHome(HUGO))).toEqual({
      'My requests': [],
      'Assigned to me': [t7.folio],
      'People & HR queues / To assign': [t8.folio],
      'People & HR queues / Breaching soon': [t8.folio],
      'People & HR queues / Snoozed': [],
    });
    expect(listsOf(await openHome(OTTO))).toEqual({
      'My requests': [t3.folio, t4.folio, t8.folio, t9.folio, t10.folio].reverse(),
      'Assigned to me': [],
    });
  });

  it('offers take, assign and open on the queues, with the ticket and its version', async () => {
    const t1 = await ticket({ desk: 'it', requester: RITA, subject: 'Printer jammed' }, { version: 3 });
    const home = await openHome(ANA);
    const actions = recordsIn(home.blocks).find(
      (b) => b.type === 'actions' && JSON.stringify(b).includes(ACTION.take),
    );
    const buttons = recordsIn(actions?.elements).map((e) => [e.action_id, e.value]);
    expect(buttons).toEqual([
      [ACTION.take, JSON.stringify({ t: t1.id, v: 3 })],
      [ACTION.assign, JSON.stringify({ t: t1.id, v: 3 })],
      [ACTION.showTicket, t1.folio],
    ]);
    // The admin area is for admins and leads: Ana is neither.
    expect(JSON.stringify(home.blocks)).not.toContain('Administration');
  });
});

describe('App Home with a busy desk', () => {
  it('stays within 100 blocks with 500 tickets, however far the lists are enlarged', async () => {
    t.fake.setUser(LIA, { is_admin: true });
    // Fixture: 500 tickets written directly. Lia requested 50 (Ben has them), has 100 assigned; 100
    // are snoozed; 250 wait to be assigned, 150 of which are breaching soon.
    await db().execute(sql`
      insert into tickets (folio, subject, desk_key, priority, status, requester_id, assignee_id, created_by, source, snoozed_until)
      select 'LOAD' || g, 'Load ticket ' || g, 'it', 'medium', 'open',
        case when g <= 50 then ${LIA} else ${RITA} end,
        case when g <= 50 then ${BEN} when g <= 150 then ${LIA} end,
        ${RITA}, 'api',
        case when g between 151 and 250 then now() + interval '1 day' end
      from generate_series(1, 500) g`);
    await db().execute(sql`
      insert into sla_timers (ticket_id, kind, target_minutes, started_at, due_at)
      select id, 'resolution', 240, now(), now() + make_interval(mins => id % 200)
      from tickets where folio ~ '^LOAD' and substr(folio, 5)::int > 350`);

    let home = await openHome(LIA);
    expect(home.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    expect(JSON.stringify(home.blocks)).toContain('Administration');
    expect(Object.values(listsOf(home)).map((l) => l.length)).toEqual([5, 5, 5, 5, 5]);
    expect(JSON.stringify(home.blocks)).toContain('*To assign* · 250');
    expect(JSON.stringify(home.blocks)).toContain('*Breaching soon* (deadline within 4 h) · 150');

    // Click every "Show more" there is, again and again: the lists grow, the view stays within budget.
    for (let click = 0; click < 12; click++) {
      const blocks = recordsIn(home.blocks);
      const more = blocks.find(
        (b) => b.type === 'actions' && JSON.stringify(b).includes(`${HOME_ACTION.resize}_more`),
      );
      if (!more) break;
      const publishes = t.fake.callsTo('views.publish').length;
      await t.slack.blockActions({
        user: LIA,
        view: home,
        actions: [{ action_id: `${HOME_ACTION.resize}_more`, block_id: String(more.block_id) }],
      });
      await t.fake.waitForCalls('views.publish', publishes + 1);
      home = t.fake.homeOf(LIA) ?? home;
      expect(home.blocks.length).toBeLessThanOrEqual(HOME_MAX_BLOCKS);
    }
    // The budget is spent in full, dealt by urgency; the enlarged lists say what they leave out.
    expect(home.blocks).toHaveLength(HOME_MAX_BLOCKS);
    expect(Object.values(listsOf(home)).map((l) => l.length)).toEqual([14, 14, 13, 5, 5]);
    expect(JSON.parse(home.private_metadata)).toEqual({
      s: { requests: 40, assigned: 20, 'toAssign:it': 15 },
    });
    const notes = recordsIn(home.blocks).flatMap((b) => {
      const text = textOf(b);
      return text.startsWith('Showing') ? [text] : [];
    });
    expect(notes).toEqual([
      'Showing 14 of 50. `/ticket list` lists them all.',
      'Showing 14 of 100. `/ticket mine` lists them all.',
      'Showing 13 of 250. `/ticket queue it` lists them all.',
    ]);
  });
});

describe('App Home refreshes', () => {
  it('publishes the Home of the person a home.publish message names', async () => {
    await openHome(RITA);
    const opened = t.fake.callsTo('views.publish').length;
    const t1 = await ticket({ desk: 'it', requester: RITA, subject: 'Printer jammed' });
    await t.folio.relay.drain();
    await enqueue(db(), (effect) => effect(), t.folio.relay, [{ kind: 'home.publish', userId: RITA }]);
    await enqueue(db(), (effect) => effect(), t.folio.relay, [{ kind: 'home.publish', userId: RITA }]);
    const published = await t.fake.waitForCall(
      'views.publish',
      (a, call) => a.user_id === RITA && t.fake.callsTo('views.publish').indexOf(call) >= opened,
      { timeoutMs: 8000 },
    );
    expect(isRecord(published.args.view) && JSON.stringify(published.args.view.blocks)).toContain(t1.folio);
    await t.folio.relay.drain();
    // Two enqueues while the first was pending: one publish.
    expect(
      t.fake
        .callsTo('views.publish')
        .slice(opened)
        .filter((c) => c.args.user_id === RITA),
    ).toHaveLength(1);
    const rows = await queryRows(
      db(),
      sql`select count(*)::int as n from outbox where kind = 'home.publish' and payload->>'userId' = ${RITA}`,
    );
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('spends no views.publish on people who never opened their Home tab', async () => {
    await ticket({ desk: 'it', requester: RITA, subject: 'Monitor dead' });
    await enqueue(db(), (effect) => effect(), t.folio.relay, [{ kind: 'home.publish', userId: RITA }]);
    const rows = await queryRows(
      db(),
      sql`select count(*)::int as n from outbox where kind = 'home.publish'`,
    );
    expect(rows).toEqual([{ n: 0 }]);
    await t.folio.relay.drain();
    expect(t.fake.callsTo('views.publish')).toHaveLength(0);
  });

  it('keeps the list sizes a person chose when their Home is refreshed', async () => {
    for (let i = 0; i < 8; i++) await ticket({ desk: 'it', requester: RITA, subject: `Request ${i}` });
    await openHome(RITA);
    await db()
      .update(homeViews)
      .set({ state: { s: { requests: 10 } } })
      .where(eq(homeViews.userId, RITA));
    await enqueue(db(), (effect) => effect(), t.folio.relay, [{ kind: 'home.publish', userId: RITA }]);
    const published = await t.fake.waitForCall(
      'views.publish',
      (a) => a.user_id === RITA && (JSON.stringify(a.view).match(/Request \d/g) ?? []).length === 8,
      { timeoutMs: 8000 },
    );
    expect(published).toBeDefined();
  });
});

describe('App Home for a member of many desks', () => {
  it('folds the desks beyond the first three, and brings the one chosen to the front', async () => {
    // Fixture: three more desks for Lia (besides IT), made with the administration use case.
    const admin = { userId: 'U_ADMIN_ADA', workspaceAdmin: true };
    for (const [key, name] of [
      ['ops', 'Ops'],
      ['legal', 'Legal'],
      ['fac', 'Facilities'],
    ] as const) {
      await createDesk(t.folio.services, { actor: admin, like: 'it', values: { key, name, members: [LIA] } });
    }
    await ticket({ desk: 'it', requester: RITA, subject: 'Printer jammed' });
    const home = await openHome(LIA);
    const headers = recordsIn(home.blocks).flatMap((b) => (b.type === 'header' ? [textOf(b)] : []));
    expect(headers).toEqual([
      'Your helpdesk',
      'Administration', // Lia leads IT
      'Your tickets',
      'Facilities queues',
      'IT queues',
      'Legal queues',
      'Your other desks',
    ]);
    expect(JSON.stringify(home.blocks)).toContain('*Ops*: 0 to assign · 0 breaching soon · 0 snoozed');

    const select = recordsIn(home.blocks).find((b) => JSON.stringify(b).includes(HOME_ACTION.focus));
    const publishes = t.fake.callsTo('views.publish').length;
    await t.slack.blockActions({
      user: LIA,
      view: home,
      actions: [
        {
          action_id: HOME_ACTION.focus,
          block_id: String(select?.block_id),
          selected_option: { text: { type: 'plain_text', text: 'Ops' }, value: 'ops' },
        },
      ],
    });
    await t.fake.waitForCalls('views.publish', publishes + 1);
    const focused = t.fake.homeOf(LIA);
    const after = recordsIn(focused?.blocks).flatMap((b) => (b.type === 'header' ? [textOf(b)] : []));
    expect(after).toEqual([
      'Your helpdesk',
      'Administration',
      'Your tickets',
      'Ops queues',
      'Facilities queues',
      'IT queues',
      'Your other desks',
    ]);
    expect(JSON.parse(focused?.private_metadata ?? '')).toEqual({ s: {}, f: 'ops' });
    expect(JSON.stringify(focused?.blocks)).toContain('*Legal*: 0 to assign');
  });
});
