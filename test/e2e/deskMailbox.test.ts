import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desks, ticketEvents } from '../../src/db/schema/index.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { ADMIN_ACTION, ADMIN_VIEW } from '../../src/slack/ids.js';
import { isRecord, recordsIn, type SlackView, stringAt } from '../harness/fakeSlack.js';
import type { ModalForm } from '../harness/modalForm.js';
import type { InteractionResult } from '../harness/slackRequests.js';
import { modalOpenedOn } from '../support/flows.js';
import { startTestFolio, TEST_CONFIG, type TestFolio } from '../support/folio.js';

const ADA = 'U_ADMIN_ADA'; // workspace admin
const LIA = 'U_LEAD_LIA'; // lead of IT

const [itDesk, hrDesk] = TEST_CONFIG.desks;
if (!itDesk || !hrDesk) throw new Error('TEST_CONFIG has the IT and HR desks');
/** The test desks, IT with a mailbox in the file. */
const fileWith = (itMailbox: string): HelpdeskConfigInput => ({
  ...TEST_CONFIG,
  desks: [{ ...itDesk, mailbox: itMailbox }, hrDesk],
});

let first: TestFolio;
let current: TestFolio;
const running: TestFolio[] = [];

beforeAll(async () => {
  first = await startTestFolio({ config: fileWith('it@folio.test') });
  current = first;
  current.fake.setUser(ADA, { is_admin: true });
});
afterAll(async () => {
  // The first instance owns the database and the fake: it goes last.
  for (const app of running.reverse()) await app.stop();
  await first?.stop();
});

/** Stops the app and starts a new one on the same database and fake Slack, with `config`. */
async function restart(config: HelpdeskConfigInput): Promise<void> {
  await current.folio.stop();
  current = await startTestFolio({ database: first.database, fake: first.fake, config });
  running.push(current);
  current.fake.setUser(ADA, { is_admin: true });
}

const db = () => current.folio.services.db;
const mailboxOf = async (key: string) =>
  (await db().select({ mailbox: desks.mailbox }).from(desks).where(eq(desks.key, key)))[0]?.mailbox;
const deskEvents = () =>
  db()
    .select({ type: ticketEvents.type, deskKey: ticketEvents.deskKey, data: ticketEvents.data })
    .from(ticketEvents)
    .where(eq(ticketEvents.type, 'desk.updated'))
    .orderBy(asc(ticketEvents.id));
const overrideWarnings = () =>
  current.logs.filter((l) => String(l.msg ?? l.message).includes('replacing the value an admin set'));

async function homeOf(user: string): Promise<SlackView> {
  const before = current.fake.callsTo('views.publish').length;
  await current.slack.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
  await current.fake.waitForCall(
    'views.publish',
    (a, call) => a.user_id === user && current.fake.callsTo('views.publish').indexOf(call) >= before,
  );
  const home = current.fake.homeOf(user);
  if (!home) throw new Error(`no Home for ${user}`);
  return home;
}

/** Chooses a desk in a select of the person's Home administration area (or clicks New desk). */
async function openForm(user: string, actionId: string, deskKey?: string): Promise<ModalForm> {
  const click = await current.slack.blockActions({
    user,
    view: await homeOf(user),
    actions: [
      {
        action_id: actionId,
        ...(deskKey
          ? { selected_option: { text: { type: 'plain_text', text: deskKey }, value: deskKey } }
          : { value: 'new' }),
      },
    ],
  });
  expect(click.status).toBe(200);
  return modalOpenedOn(current, click.triggerId);
}

function errorsOf(res: InteractionResult): unknown {
  expect(res.status).toBe(200);
  const json = res.json as { response_action?: string; errors?: unknown } | undefined;
  expect(json?.response_action).toBe('errors');
  return json?.errors;
}

/** The input block labelled `label` in the view the form came from. */
function inputBlock(form: ModalForm, label: string) {
  const view = current.fake.view(form.viewId ?? '');
  return recordsIn(view?.blocks).find((block) => stringAt(block.label, 'text') === label);
}

describe('a desk’s mailbox, set by a workspace admin in the desk settings form', () => {
  it('is saved from a valid address, and refused beside the field when invalid or another desk’s', async () => {
    const form = await openForm(ADA, ADMIN_ACTION.deskSettings, 'hr');
    expect(form.callbackId).toBe(ADMIN_VIEW.settings);
    expect(form.inputs().map((i) => [i.label, i.type, i.optional])).toEqual([
      ['Name', 'plain_text_input', false],
      ['Desk channel', 'conversations_select', true],
      ['Escalation channel', 'conversations_select', true],
      ['Mailbox', 'email_text_input', true],
      ['Visibility', 'checkboxes', true],
      ['Members', 'multi_users_select', true],
      ['Leads', 'multi_users_select', true],
      ['Automatic assignment', 'static_select', false],
      ['Close resolved tickets after (days)', 'number_input', false],
    ]);
    const mailbox = inputBlock(form, 'Mailbox');
    expect(stringAt(mailbox?.hint, 'text')).toBe(
      'Mail to this address becomes this desk’s tickets; the desk’s mail to requesters goes from it.',
    );
    expect(isRecord(mailbox?.element) && stringAt(mailbox.element.placeholder, 'text')).toBe(
      'it@example.com',
    );

    form.fill('Mailbox', 'IT@Folio.test');
    expect(errorsOf(await form.submit(current.slack, ADA))).toEqual({
      mailbox: 'it@folio.test is already the mailbox of the IT desk.',
    });
    // What Slack's client lets through only from an old client or a forged request.
    form.fill('Mailbox', 'people at folio');
    expect(errorsOf(await form.submit(current.slack, ADA))).toEqual({
      mailbox: 'must be a mail address such as it@example.com',
    });
    expect(await mailboxOf('hr')).toBeNull();
    expect(await deskEvents()).toEqual([]);

    form.fill('Mailbox', ' People@Folio.test ');
    expect((await form.submit(current.slack, ADA)).json).toBeUndefined();
    expect(await mailboxOf('hr')).toBe('people@folio.test');
    expect(await deskEvents()).toEqual([
      {
        type: 'desk.updated',
        deskKey: 'hr',
        data: {
          by: 'slack',
          form: 'settings',
          fields: ['mailbox'],
          from: { mailbox: null },
          to: { mailbox: 'people@folio.test' },
        },
      },
    ]);
    // The directory of the app that saved it reads it at once.
    const { directory } = current.folio.services;
    expect((await directory.deskByMailbox(db(), 'PEOPLE@folio.test'))?.key).toBe('hr');

    const again = await openForm(ADA, ADMIN_ACTION.deskSettings, 'hr');
    expect(again.stateValues().mailbox).toEqual({
      mailbox: { type: 'email_text_input', value: 'people@folio.test' },
    });
  });

  it('is refused on a new desk when another desk has it', async () => {
    const form = await openForm(ADA, ADMIN_ACTION.newDesk);
    form.fill('Key', 'people').fill('Name', 'People').fill('Mailbox', 'people@folio.test');
    expect(errorsOf(await form.submit(current.slack, ADA))).toEqual({
      mailbox: 'people@folio.test is already the mailbox of the People & HR desk.',
    });
    expect(await mailboxOf('people')).toBeUndefined();
  });

  it('is shown to a desk lead, who cannot change it', async () => {
    const form = await openForm(LIA, ADMIN_ACTION.deskSettings, 'it');
    expect(form.inputs().map((i) => i.label)).not.toContain('Mailbox');
    const view = current.fake.view(form.viewId ?? '');
    expect(JSON.stringify(view?.blocks)).toContain(
      'Mail to it@folio.test becomes this desk’s tickets. Only a workspace admin can change that.',
    );
    // A forged mailbox value beside the form's own fields.
    const forged = {
      ...form.stateValues(),
      mailbox: { mailbox: { type: 'email_text_input', value: 'ceo@folio.test' } },
    };
    if (!view) throw new Error('no view');
    expect(errorsOf(await current.slack.viewSubmission({ view, user: LIA, values: forged }))).toEqual({
      name: 'Only a workspace admin can change a desk’s mailbox.',
    });
    // Her own fields save, and the mailbox she was not shown stays.
    expect(
      (await form.fill('Close resolved tickets after (days)', 5).submit(current.slack, LIA)).json,
    ).toBeUndefined();
    expect(
      await db()
        .select({ mailbox: desks.mailbox, days: desks.autoCloseAfterDays })
        .from(desks)
        .where(eq(desks.key, 'it')),
    ).toEqual([{ mailbox: 'it@folio.test', days: 5 }]);
  });

  it('survives a restart as other fields do; a later change of it in the file wins', async () => {
    const form = await openForm(ADA, ADMIN_ACTION.deskSettings, 'it');
    expect(
      (await form.fill('Mailbox', 'helpdesk@folio.test').submit(current.slack, ADA)).json,
    ).toBeUndefined();

    await restart(fileWith('it@folio.test'));
    expect(await mailboxOf('it')).toBe('helpdesk@folio.test');
    expect(await mailboxOf('hr')).toBe('people@folio.test');
    expect(overrideWarnings()).toEqual([]);
    const { directory } = current.folio.services;
    expect((await directory.deskByMailbox(db(), 'helpdesk@folio.test'))?.key).toBe('it');
    expect(await directory.isMailbox(db(), 'it@folio.test')).toBe(false);

    await restart(fileWith('it-support@folio.test'));
    expect(await mailboxOf('it')).toBe('it-support@folio.test');
    expect(await mailboxOf('hr')).toBe('people@folio.test'); // the file never set it: the admin's edit stays
    expect(overrideWarnings().map((l) => l.path)).toEqual(['desks.it.mailbox']);
  });

  it('is removed by emptying the field', async () => {
    const form = await openForm(ADA, ADMIN_ACTION.deskSettings, 'hr');
    expect((await form.fill('Mailbox', '').submit(current.slack, ADA)).json).toBeUndefined();
    expect(await mailboxOf('hr')).toBeNull();
    expect(await current.folio.services.directory.isMailbox(db(), 'people@folio.test')).toBe(false);
  });
});
