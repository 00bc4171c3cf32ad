import { asc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { categories, deskMembers, desks, ticketEvents } from '../../src/db/schema/index.js';
import { findDesk } from '../../src/desks/directory.js';
import { ADMIN_ACTION, ADMIN_VIEW } from '../../src/slack/ids.js';
import { recordsIn, type SlackView, stringAt } from '../harness/fakeSlack.js';
import type { ModalForm } from '../harness/modalForm.js';
import type { InteractionResult } from '../harness/slackRequests.js';
import { modalOpenedOn } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

const ADA = 'U_ADMIN_ADA'; // workspace admin
const LIA = 'U_LEAD_LIA'; // lead of IT
const ANA = 'U_AGENT_ANA'; // member of IT
const OTTO = 'U_OTHER_OTTO';

const t = useTestFolio();
beforeEach(() => {
  // After the reset that useTestFolio does: the fake forgot its users.
  t.fake.setUser(ADA, { is_admin: true });
});

const db = () => t.folio.services.db;
const deskRow = async (key: string) => (await db().select().from(desks).where(eq(desks.key, key)))[0];
const adminEvents = () => db().select().from(ticketEvents).orderBy(asc(ticketEvents.id));

async function homeOf(user: string): Promise<SlackView> {
  const before = t.fake.callsTo('views.publish').length;
  await t.slack.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
  await t.fake.waitForCall(
    'views.publish',
    (a, call) => a.user_id === user && t.fake.callsTo('views.publish').indexOf(call) >= before,
  );
  const home = t.fake.homeOf(user);
  if (!home) throw new Error(`no Home for ${user}`);
  return home;
}

/**
 * Clicks an administration control in the person's Home — or, when their Home has no such control,
 * sends the click anyway (a forged request) — and returns the modal Slack opened in answer.
 */
async function openForm(user: string, actionId: string, value?: string): Promise<ModalForm> {
  const home = await homeOf(user);
  const present = JSON.stringify(home.blocks).includes(`"${actionId}"`);
  const isSelect = value !== undefined;
  const res = await t.slack.blockActions({
    user,
    view: home,
    actions: [
      {
        action_id: actionId,
        ...(present ? {} : { type: isSelect ? 'static_select' : 'button', block_id: 'forged' }),
        ...(isSelect
          ? { selected_option: { text: { type: 'plain_text', text: value }, value } }
          : { value: 'new' }),
      },
    ],
  });
  expect(res.status).toBe(200);
  return modalOpenedOn(t, res.triggerId);
}

function errorsOf(res: InteractionResult): unknown {
  expect(res.status).toBe(200);
  const json = res.json as { response_action?: string; errors?: unknown } | undefined;
  expect(json?.response_action).toBe('errors');
  return json?.errors;
}

const modalText = (form: ModalForm, view: SlackView | undefined) =>
  recordsIn(view?.blocks)
    .map((b) => stringAt(b.text, 'text') ?? '')
    .join('\n') + form.title;

describe('who may administer', () => {
  it('shows a non-admin no administration, and refuses to open its forms for them', async () => {
    const home = await homeOf(ANA);
    expect(JSON.stringify(home.blocks)).not.toContain('Administration');
    expect(JSON.stringify(home.blocks)).not.toContain('folio_admin_');

    const newDesk = await openForm(ANA, ADMIN_ACTION.newDesk);
    expect(newDesk.callbackId).toBe('');
    expect(newDesk.inputs()).toEqual([]);
    expect(modalText(newDesk, t.fake.lastView())).toBe(
      ':no_entry: Only workspace admins can create desks.Administration',
    );

    const sla = await openForm(ANA, ADMIN_ACTION.deskSla, 'it');
    expect(sla.callbackId).toBe('');
    expect(modalText(sla, t.fake.lastView())).toContain(
      'Only the leads of the IT desk and workspace admins can change it.',
    );
  });

  it('refuses a non-admin’s submission of an administration form, changing nothing', async () => {
    const before = await deskRow('it');
    const form = await openForm(ADA, ADMIN_ACTION.deskSla, 'it');
    expect(form.callbackId).toBe(ADMIN_VIEW.sla);
    form.fill('High: first response', '15m');
    expect(errorsOf(await form.submit(t.slack, ANA))).toEqual({
      sla_urgent_firstResponse: 'Only the leads of the IT desk and workspace admins can change it.',
    });

    const create = await openForm(ADA, ADMIN_ACTION.newDesk);
    create.fill('Key', 'forged').fill('Name', 'Forged desk');
    expect(errorsOf(await create.submit(t.slack, ANA))).toEqual({
      key: 'Only workspace admins can create desks.',
    });

    expect(await deskRow('it')).toEqual(before);
    expect(await deskRow('forged')).toBeUndefined();
    expect((await adminEvents()).filter((e) => e.type.startsWith('desk.'))).toEqual([]);
  });

  it('lets a lead change their desk, but neither its privacy nor another desk', async () => {
    await homeOf(OTTO); // Otto uses his Home tab: it is refreshed when he joins a desk.
    const home = await homeOf(LIA);
    expect(JSON.stringify(home.blocks)).toContain(
      'You lead *IT*: you can change this desk and its categories.',
    );
    expect(JSON.stringify(home.blocks)).not.toContain(ADMIN_ACTION.newDesk);

    const form = await openForm(LIA, ADMIN_ACTION.deskSettings, 'it');
    expect(form.inputs().map((i) => i.label)).toEqual([
      'Name',
      'Desk channel',
      'Escalation channel',
      'Members',
      'Leads',
      'Automatic assignment',
      'Close resolved tickets after (days)',
    ]);
    // A forged "private" value beside the form's own fields.
    const forged = {
      ...form.stateValues(),
      private: { private: { type: 'checkboxes', selected_options: [{ value: 'private' }] } },
    };
    const view = t.fake.view(form.viewId ?? '');
    if (!view) throw new Error('no view');
    expect(errorsOf(await t.slack.viewSubmission({ view, user: LIA, values: forged }))).toEqual({
      name: 'Only a workspace admin can make a desk private or public.',
    });
    expect((await deskRow('it'))?.isPrivate).toBe(false);

    const hr = await openForm(LIA, ADMIN_ACTION.deskSla, 'hr');
    expect(hr.callbackId).toBe('');
    expect(modalText(hr, t.fake.lastView())).toContain(
      'Only the leads of the People & HR desk and workspace admins',
    );

    // Her own desk: Otto joins IT, which changes his Home too.
    const members = ['U_AGENT_ANA', 'U_AGENT_BEN', LIA, OTTO];
    expect((await form.fill('Members', members).submit(t.slack, LIA)).json).toBeUndefined();
    expect((await findDesk(db(), 'it'))?.members).toEqual(members);
    const [event] = (await adminEvents()).filter((e) => e.type === 'desk.updated');
    expect(event).toMatchObject({
      deskKey: 'it',
      actorId: LIA,
      data: {
        by: 'slack',
        form: 'settings',
        fields: ['members'],
        from: { members: ['U_AGENT_ANA', 'U_AGENT_BEN', LIA] },
        to: { members },
      },
    });
    const published = await t.fake.waitForCall(
      'views.publish',
      (a) => a.user_id === OTTO && JSON.stringify(a.view).includes('IT queues'),
      { timeoutMs: 8000 },
    );
    expect(JSON.stringify(published.args.view)).toContain('IT queues');
    // Put IT back as the other tests expect it.
    const again = await openForm(LIA, ADMIN_ACTION.deskSettings, 'it');
    await again.fill('Members', members.slice(0, 3)).submit(t.slack, LIA);
    expect((await findDesk(db(), 'it'))?.members).toEqual(members.slice(0, 3));
  });
});

describe('administration forms', () => {
  it('answers invalid values beside their fields, with the configuration file’s rules', async () => {
    const sla = await openForm(ADA, ADMIN_ACTION.deskSla, 'it');
    sla.fill('High: resolution', '1x').fill('Reminders before a breach', '75%, soon');
    expect(errorsOf(await sla.submit(t.slack, ADA))).toEqual({
      sla_high_resolution: '"1x" is not a duration such as 30m, 4h or 1h30m',
      reminders: '"soon" is not a reminder such as 75% or 30m',
    });

    const settings = await openForm(ADA, ADMIN_ACTION.deskSettings, 'it');
    settings.fill('Leads', [OTTO]);
    expect(errorsOf(await settings.submit(t.slack, ADA))).toEqual({
      leads: `${OTTO} must also be listed in members`,
    });

    const hours = await openForm(ADA, ADMIN_ACTION.deskHours, 'it');
    hours.fill('Time zone', 'Mars/Olympus').fill('Monday', '9-5');
    expect(errorsOf(await hours.submit(t.slack, ADA))).toEqual({
      timezone: 'must be an IANA time zone such as Europe/Madrid',
      hours_mon: '"9-5" is not a time range such as 09:00-17:00',
    });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) hours.fill(day, '');
    hours.fill('Time zone', 'Europe/Madrid');
    expect(errorsOf(await hours.submit(t.slack, ADA))).toEqual({
      hours_mon: 'Open the desk on at least one day: SLA targets count business hours.',
    });
    expect((await adminEvents()).filter((e) => e.type.startsWith('desk.'))).toEqual([]);
  });

  it('saves business hours and holidays, and refuses a form opened before someone else’s change', async () => {
    const hours = await openForm(ADA, ADMIN_ACTION.deskHours, 'it');
    const stale = await openForm(ADA, ADMIN_ACTION.deskTemplates, 'it');
    hours
      .fill('Friday', '09:00-14:00')
      .fill('Saturday', '10:00-12:00, 16:00-18:00')
      .fill('Holidays', '2030-12-25\n2030-01-01');
    expect((await hours.submit(t.slack, ADA)).json).toBeUndefined();
    const desk = await findDesk(db(), 'it');
    expect(desk?.businessHours.fri).toEqual([[540, 840]]);
    expect(desk?.businessHours.sat).toEqual([
      [600, 720],
      [960, 1080],
    ]);
    expect(desk?.holidays).toEqual(['2030-01-01', '2030-12-25']);
    const [event] = (await adminEvents()).filter((e) => e.type === 'desk.updated');
    expect(event?.data).toMatchObject({
      form: 'hours',
      fields: ['businessHours', 'holidays'],
      from: { holidays: [] },
    });

    stale.fill('Ticket received', 'Got it: {folio}');
    expect(errorsOf(await stale.submit(t.slack, ADA))).toEqual({
      template_created:
        'Someone changed this while your form was open: close it and open it again to see the changes.',
    });
    expect((await findDesk(db(), 'it'))?.templates).toEqual({});
  });

  it('lets an admin create a desk and a category, and tells the new members’ Homes', async () => {
    await homeOf(OTTO); // Otto uses his Home tab: it is refreshed when he joins a desk.
    const taken = await openForm(ADA, ADMIN_ACTION.newDesk);
    taken.fill('Key', 'it').fill('Name', 'Another IT');
    expect(errorsOf(await taken.submit(t.slack, ADA))).toEqual({
      key: 'This key belongs to the desk “IT”: choose another one.',
    });

    const form = await openForm(ADA, ADMIN_ACTION.newDesk);
    form
      .fill('Key', 'facilities')
      .fill('Name', 'Facilities')
      .fill('Desk channel', 'C_FACILITIES')
      .fill('Members', [OTTO, ANA])
      .fill('Leads', [OTTO])
      .fill('Automatic assignment', 'The member with the fewest open tickets')
      .fill('Calendar like', 'IT');
    expect((await form.submit(t.slack, ADA)).json).toBeUndefined();
    const desk = await deskRow('facilities');
    expect(desk).toMatchObject({
      name: 'Facilities',
      channelId: 'C_FACILITIES',
      escalationChannelId: 'C_FACILITIES',
      isPrivate: false,
      assignment: 'fewest_open',
      autoCloseAfterDays: 3,
      origin: 'slack',
      fileSnapshot: null,
      updatedBy: ADA,
      // Taken from the desk named in "Calendar like".
      folioPrefix: 'TKT',
      timezone: 'Europe/Madrid',
    });
    expect(
      await db()
        .select()
        .from(deskMembers)
        .where(eq(deskMembers.deskKey, 'facilities'))
        .orderBy(deskMembers.position),
    ).toEqual([
      { deskKey: 'facilities', userId: OTTO, isLead: true, position: 0 },
      { deskKey: 'facilities', userId: ANA, isLead: false, position: 1 },
    ]);
    const [created] = (await adminEvents()).filter((e) => e.type === 'desk.created');
    expect(created).toMatchObject({
      deskKey: 'facilities',
      actorId: ADA,
      data: { by: 'slack', to: { name: 'Facilities' } },
    });
    const published = await t.fake.waitForCall(
      'views.publish',
      (a) => a.user_id === OTTO && JSON.stringify(a.view).includes('Facilities queues'),
      { timeoutMs: 8000 },
    );
    expect(JSON.stringify(published.args.view)).toContain('Facilities queues');
    expect(JSON.stringify(published.args.view)).toContain('You lead *Facilities*');

    const category = await openForm(ADA, ADMIN_ACTION.newCategory);
    category.fill('Name', 'Plumbing').fill('Desk', 'Facilities').fill('Owner', OTTO);
    expect((await category.submit(t.slack, ADA)).json).toBeUndefined();
    const [row] = await db().select().from(categories).where(eq(categories.name, 'Plumbing'));
    expect(row).toMatchObject({ deskKey: 'facilities', ownerId: OTTO, origin: 'slack', fileSnapshot: null });
    const [event] = (await adminEvents()).filter((e) => e.type === 'category.created');
    expect(event).toMatchObject({
      deskKey: 'facilities',
      actorId: ADA,
      data: { to: { name: 'Plumbing', desk: 'facilities', owner: OTTO } },
    });

    // A category from the configuration file keeps its name; its owner may change.
    const [hr] = await db().select().from(categories).where(eq(categories.name, 'HR'));
    const edit = await openForm(ADA, ADMIN_ACTION.category, String(hr?.id));
    edit.fill('Name', 'People');
    expect(errorsOf(await edit.submit(t.slack, ADA))).toEqual({
      name: 'This category comes from the configuration file: rename it there.',
    });
    edit.fill('Name', 'HR').fill('Owner', 'U_HR_HUGO');
    expect((await edit.submit(t.slack, ADA)).json).toBeUndefined();
    expect((await db().select().from(categories).where(eq(categories.name, 'HR')))[0]?.ownerId).toBe(
      'U_HR_HUGO',
    );
  });
});
