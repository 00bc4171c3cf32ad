import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { comments, links, outbox, ticketEvents, tickets } from '../../src/db/schema/index.js';
import { ACTION } from '../../src/slack/ids.js';
import { ticketRefValue } from '../../src/slack/kit/ticketRef.js';
import { FAKE_BOT, type JsonObject, type SlackView } from '../harness/fakeSlack.js';
import type { ModalForm } from '../harness/modalForm.js';
import type { ActionInput, AppResponse } from '../harness/slackRequests.js';
import { fileTicket, modalOpenedOn, settle } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

/**
 * Someone outside a private desk learns nothing of its tickets by acting on them: every click, modal
 * submission, command and Home action aimed at a private desk's ticket is answered exactly as the
 * same action aimed at a ticket that does not exist, and changes nothing.
 */

const RITA = 'U_REQ_RITA'; // requester of both tickets
const ANA = 'U_AGENT_ANA'; // IT desk member
const OTTO = 'U_OTHER_OTTO'; // in no desk, requester of nothing
const HUGO = 'U_HR_HUGO'; // the HR desk's only member: its tickets go to him
const CHANNEL = 'C_GENERAL';
const PRIVATE_DESK_NAME = 'People & HR';
const PRIVATE_SUBJECT = 'Harassment complaint about my manager';

const t = useTestFolio();
const db = () => t.folio.services.db;

/** A ticket as an action names it. */
interface Target {
  id: number;
  version: number;
  folio: string;
}

interface Fixture {
  /** RITA's ticket on the private HR desk. */
  hidden: Target;
  /** RITA's ticket on the IT desk, whose modals the outsider copies and points elsewhere. */
  itTicket: Target;
  /** OTTO's Home tab. */
  home: SlackView;
}

async function target(folio: string): Promise<Target> {
  const [row] = await db().select().from(tickets).where(eq(tickets.folio, folio));
  if (!row) throw new Error(`no ticket ${folio}`);
  return { id: row.id, version: row.version, folio: row.folio };
}

async function openHome(user: string): Promise<SlackView> {
  await t.slack.event({ type: 'app_home_opened', user, channel: `D${user}`, tab: 'home' });
  await t.fake.waitForCall('views.publish', (a) => a.user_id === user);
  const home = t.fake.homeOf(user);
  if (!home) throw new Error(`no Home published for ${user}`);
  return home;
}

async function setUp(): Promise<Fixture> {
  const hiddenFolio = await fileTicket(t, { user: RITA, subject: PRIVATE_SUBJECT, category: 'HR' });
  const itFolio = await fileTicket(t, { user: RITA, subject: 'Printer jammed', category: 'IT' });
  await settle(t);
  return { hidden: await target(hiddenFolio), itTicket: await target(itFolio), home: await openHome(OTTO) };
}

/** A ticket that does not exist, named like the hidden one. */
const missing = (hidden: Target): Target => ({
  id: hidden.id + 10_000,
  version: 1,
  folio: hidden.folio.replace(/\d+$/, '999'),
});

// ----- forged actions ----------------------------------------------------------------------------

const button = (actionId: string, value: string): ActionInput => ({
  action_id: actionId,
  type: 'button',
  block_id: 'forged',
  value,
});

const ticketButton = (actionId: string) => (x: Target) => button(actionId, ticketRefValue(x.id, x.version));

const moreOption = (o: string) => (x: Target) => ({
  action_id: ACTION.more,
  type: 'overflow',
  block_id: 'forged',
  selected_option: {
    text: { type: 'plain_text', text: o },
    value: JSON.stringify({ t: x.id, v: x.version, o }),
  },
});

/** A message anyone can click in: a forged click needs no real card. */
const anyMessage = () => t.fake.seedMessage(CHANNEL, { user: FAKE_BOT.userId, text: 'Folio' });

/** `user` clicks `action` in a message (the response goes to its response_url). */
function clickInMessage(user: string, action: ActionInput) {
  return t.slack.blockActions({ user, channel: CHANNEL, message: anyMessage(), actions: [action] });
}

type Send = (x: Target, f: Fixture) => Promise<() => Promise<AppResponse>>;

const clicked =
  (action: (x: Target) => ActionInput): Send =>
  async (x) =>
  () =>
    clickInMessage(OTTO, action(x));

const clickedAtHome =
  (action: (x: Target) => ActionInput): Send =>
  async (x, f) =>
  () =>
    t.slack.blockActions({ user: OTTO, view: f.home, actions: [action(x)] });

/**
 * A workflow modal opened by someone entitled to it (on the IT ticket), filled in, then submitted by
 * the outsider with its private_metadata pointing at `x`.
 */
const submitted =
  (
    opener: string,
    opens: (it: Target) => ActionInput,
    fill: (form: ModalForm, f: Fixture) => ModalForm,
  ): Send =>
  async (x, f) => {
    const click = await clickInMessage(opener, opens(f.itTicket));
    const form = await modalOpenedOn(t, click.triggerId);
    const values = fill(form, f).stateValues();
    const view = form.viewId === undefined ? undefined : t.fake.view(form.viewId);
    if (!view) throw new Error('the modal was not stored');
    return () =>
      t.slack.viewSubmission({
        user: OTTO,
        view: { ...view, private_metadata: ticketRefValue(x.id, x.version) },
        values,
      });
  };

const nameOf = (user: string) => t.fake.userInfo(user).profile.display_name || t.fake.userInfo(user).name;

// ----- what the outsider sees --------------------------------------------------------------------

/** Fields that differ from one request to the next whatever the answer. */
const VOLATILE = new Set(['trigger_id', 'view_id', 'hash', 'external_id']);

const withoutVolatile = (args: JsonObject): JsonObject =>
  Object.fromEntries(Object.entries(args).filter(([k]) => !VOLATILE.has(k)));

/**
 * Everything Folio answered to an action: the answer to the request itself, what it posted to the
 * response_url, and every Web API call it made meanwhile (a modal opened, a message posted).
 */
async function seen(act: () => Promise<AppResponse>): Promise<string> {
  const calls = t.fake.calls.length;
  const responses = t.fake.responses.length;
  const res = await act();
  expect(res.status).toBe(200);
  await settle(t);
  return JSON.stringify([
    ...(res.json === undefined ? [] : [res.json]),
    ...t.fake.responses.slice(responses).map((r) => r.body),
    ...t.fake.calls
      .slice(calls)
      .filter((c) => c.method !== 'auth.test')
      .map((c) => ({ method: c.method, args: withoutVolatile(c.args) })),
  ]);
}

/** The ticket and everything hanging off it, to check a refused action changed nothing. */
async function stateOf(id: number) {
  const [row] = await db().select().from(tickets).where(eq(tickets.id, id));
  const counted = async (rows: Promise<{ n: number }[]>) => (await rows)[0]?.n;
  return {
    row,
    events: await counted(
      db().select({ n: count() }).from(ticketEvents).where(eq(ticketEvents.ticketId, id)),
    ),
    comments: await counted(db().select({ n: count() }).from(comments).where(eq(comments.ticketId, id))),
    links: await counted(db().select({ n: count() }).from(links).where(eq(links.ticketId, id))),
    outbox: await counted(db().select({ n: count() }).from(outbox)),
  };
}

// ----- the paths ---------------------------------------------------------------------------------

const GONE = 'That ticket no longer exists.';
const NO_SUCH = 'There is no ticket';

interface RefusalPath {
  path: string;
  send: Send;
  /** What the outsider is told, in part. */
  says: string;
  /** The answer repeats the folio the person typed or sent (as it does for a missing one). */
  echoes?: boolean;
}

const PATHS: RefusalPath[] = [
  { path: 'card: Take', send: clicked(ticketButton(ACTION.take)), says: GONE },
  { path: 'card: Assign', send: clicked(ticketButton(ACTION.assign)), says: GONE },
  { path: 'card: Status', send: clicked(ticketButton(ACTION.status)), says: GONE },
  { path: 'card: Priority', send: clicked(ticketButton(ACTION.priority)), says: GONE },
  { path: 'card: Reply', send: clicked(ticketButton(ACTION.reply)), says: GONE },
  { path: 'card: Snooze', send: clicked(ticketButton(ACTION.snooze)), says: GONE },
  { path: 'card: More → Close', send: clicked(moreOption('close')), says: GONE },
  { path: 'card: More → Resolve', send: clicked(moreOption('resolve')), says: GONE },
  { path: 'card: More → Wake up now', send: clicked(moreOption('wake')), says: GONE },
  { path: 'card: More → Link a task', send: clicked(moreOption('link_task')), says: GONE },
  { path: 'card: More → Link a ticket', send: clicked(moreOption('link_ticket')), says: GONE },
  { path: 'requester DM: Confirm', send: clicked(ticketButton(ACTION.confirm)), says: GONE },
  { path: 'requester DM: Still broken', send: clicked(ticketButton(ACTION.stillBroken)), says: GONE },
  { path: 'requester: Escalate', send: clicked(ticketButton(ACTION.escalate)), says: GONE },
  {
    path: 'modal: Assign',
    send: submitted(ANA, ticketButton(ACTION.assign), (form) => form.fill('Assign to', nameOf(ANA))),
    says: GONE,
  },
  {
    path: 'modal: Status',
    send: submitted(ANA, ticketButton(ACTION.status), (form) => form.fill('New status', 'In progress')),
    says: GONE,
  },
  {
    path: 'modal: Priority',
    send: submitted(ANA, ticketButton(ACTION.priority), (form) => form.fill('Priority', 'Urgent')),
    says: GONE,
  },
  {
    path: 'modal: Reply',
    send: submitted(ANA, ticketButton(ACTION.reply), (form) => form.fill('Reply', 'We are on it')),
    says: GONE,
  },
  {
    path: 'modal: Snooze',
    send: submitted(ANA, ticketButton(ACTION.snooze), (form) =>
      form.fill('Until', Math.floor(Date.now() / 1000) + 86_400).fill('Reason', 'Waiting for a part'),
    ),
    says: GONE,
  },
  {
    path: 'modal: Link a task',
    send: submitted(ANA, moreOption('link_task'), (form) =>
      form.fill('Task address', 'https://linear.app/acme/issue/OPS-1'),
    ),
    says: GONE,
  },
  {
    path: 'modal: Link a ticket',
    send: submitted(ANA, moreOption('link_ticket'), (form, f) => form.fill('Folio', f.itTicket.folio)),
    says: GONE,
  },
  {
    path: 'modal: Resolve',
    send: submitted(ANA, moreOption('resolve'), (form) => form.fill('Resolution', 'Done')),
    says: GONE,
  },
  {
    path: 'modal: Still broken',
    send: submitted(RITA, ticketButton(ACTION.stillBroken), (form) =>
      form.fill('What is still wrong?', 'It is not fixed'),
    ),
    says: GONE,
  },
  {
    path: '/ticket <folio>',
    send: async (x) => () => t.slack.command({ text: x.folio, user: OTTO }),
    says: NO_SUCH,
    echoes: true,
  },
  { path: 'Home: Take', send: clickedAtHome(ticketButton(ACTION.take)), says: GONE },
  { path: 'Home: Assign', send: clickedAtHome(ticketButton(ACTION.assign)), says: GONE },
  { path: 'Home: Status', send: clickedAtHome(ticketButton(ACTION.status)), says: GONE },
  {
    path: 'Home: Open',
    send: clickedAtHome((x) => button(ACTION.showTicket, x.folio)),
    says: NO_SUCH,
    echoes: true,
  },
];

describe('an outsider acting on a private desk’s ticket', () => {
  it.each(PATHS)('$path: is answered as for a missing ticket, and nothing changes', async (p) => {
    const f = await setUp();
    const absent = missing(f.hidden);
    const before = await stateOf(f.hidden.id);

    const forHidden = await seen(await p.send(f.hidden, f));
    const forMissing = await seen(await p.send(absent, f));

    expect(forHidden).toContain(p.says);
    expect(forHidden).toEqual(p.echoes ? forMissing.replaceAll(absent.folio, f.hidden.folio) : forMissing);
    for (const secret of [PRIVATE_DESK_NAME, 'People &amp; HR', PRIVATE_SUBJECT])
      expect(forHidden).not.toContain(secret);
    if (!p.echoes) expect(forHidden).not.toContain(f.hidden.folio);
    expect(await stateOf(f.hidden.id)).toEqual(before);
  });

  it('still tells the requester, who sees the ticket, that only the desk may change it', async () => {
    const f = await setUp();
    const shown = await seen(async () => clickInMessage(RITA, ticketButton(ACTION.take)(f.hidden)));
    expect(shown).toContain(`Only members of the ${PRIVATE_DESK_NAME} desk can change ${f.hidden.folio}.`);
    expect(await stateOf(f.hidden.id)).toMatchObject({
      row: { assigneeId: HUGO, version: f.hidden.version },
    });
  });
});
