import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { attachments, comments, outbox, tickets } from '../../src/db/schema/index.js';
import { ACTION, SHORTCUT } from '../../src/slack/ids.js';
import type { JsonObject, SlackMessage } from '../harness/fakeSlack.js';
import { fileTicket, modalOpenedOn } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

const REQUESTER = 'U_REQ_RITA';
const AUTHOR = 'U_AUTHOR_ALEX';
const CLICKER = 'U_HELPER_HANNA';
const IT_AGENT = 'U_AGENT_ANA';
const HR_AGENT = 'U_HR_HUGO';
const OUTSIDER = 'U_OTHER_OTTO';

const t = useTestFolio();

const db = () => t.folio.services.db;
const allTickets = () => db().select().from(tickets).orderBy(tickets.id);

/** The folios a list message shows, in order. */
function foliosIn(message: unknown): string[] {
  return [...JSON.stringify(message).matchAll(/\*(TKT\d+)\*/g)].map((m) => m[1] ?? '');
}

/** `/ticket <text>` answered on the ack (ephemeral). */
async function ask(text: string, user: string) {
  const res = await t.slack.command({ text, user });
  expect(res.status).toBe(200);
  return res.json as JsonObject;
}

function seedMessage(text: string, extra: Partial<SlackMessage> = {}): SlackMessage {
  return t.fake.seedMessage('C_GENERAL', { user: AUTHOR, text, ...extra });
}

async function shortcut(message: SlackMessage, user = CLICKER) {
  const res = await t.slack.messageShortcut({
    callback_id: SHORTCUT.createFromMessage,
    user,
    channel: 'C_GENERAL',
    message,
  });
  expect(res.status).toBe(200);
  return res;
}

describe('message shortcut "Create ticket"', () => {
  it('fills the modal from the message and makes a ticket for its author, with its files and permalink', async () => {
    const message = seedMessage(
      'Printer on the 3rd floor is jammed\nIt shows E42, see <https://wiki.example/e42|the wiki> &amp; help',
      {
        files: [
          {
            id: 'F_PHOTO',
            name: 'printer.jpg',
            mimetype: 'image/jpeg',
            size: 2048,
            permalink: 'https://files.example/F_PHOTO',
          },
        ],
      },
    );
    const res = await shortcut(message);
    const form = await modalOpenedOn(t, res.triggerId);
    const state = form.stateValues();
    expect(state.subject?.subject?.value).toBe('Printer on the 3rd floor is jammed');
    expect(state.description?.description?.value).toBe(
      'Printer on the 3rd floor is jammed\nIt shows E42, see the wiki (https://wiki.example/e42) & help',
    );
    expect(state.requester?.requester?.selected_user).toBe(AUTHOR);
    expect(JSON.stringify(t.fake.lastView()?.blocks)).toContain('printer.jpg');

    expect((await form.fill('Category', 'IT').submit(t.slack, CLICKER)).status).toBe(200);
    const [ticket] = await allTickets();
    expect(ticket).toMatchObject({
      folio: 'TKT001',
      requesterId: AUTHOR,
      createdBy: CLICKER,
      source: 'message_shortcut',
      sourceChannelId: 'C_GENERAL',
      sourceMessageTs: message.ts,
      sourcePermalink: `https://acme.slack.com/archives/C_GENERAL/p${message.ts.replace('.', '')}`,
    });
    const files = await db().select().from(attachments);
    expect(files.map((f) => [f.slackFileId, f.name, f.size])).toEqual([['F_PHOTO', 'printer.jpg', 2048]]);

    const card = await t.fake.waitForCall('chat.postMessage', (a) => a.channel === 'C_IT_DESK');
    expect(JSON.stringify(card.args.blocks)).toContain(ticket?.sourcePermalink ?? 'missing');
    expect(JSON.stringify(card.args.blocks)).toContain('printer.jpg');
    const reply = await t.fake.waitForCall('chat.postMessage', (a) => a.channel === 'C_GENERAL');
    expect(reply.args.thread_ts).toBe(message.ts);
    expect(String(reply.args.text)).toContain('TKT001');
    const dm = await t.fake.waitForCall('chat.postMessage', (a) => a.channel === AUTHOR);
    expect(String(dm.args.text)).toContain('TKT001');
  });

  it('lets the person choose another requester', async () => {
    const res = await shortcut(seedMessage('VPN keeps dropping'));
    const form = await modalOpenedOn(t, res.triggerId);
    await form.fill('Category', 'IT').fill('Requester', REQUESTER).submit(t.slack, CLICKER);
    expect((await allTickets())[0]?.requesterId).toBe(REQUESTER);
  });

  it('keeps the whole text of a message too long for the form', async () => {
    const long = `Long report\n${'word '.repeat(1500)}end`;
    const res = await shortcut(seedMessage(long));
    const form = await modalOpenedOn(t, res.triggerId);
    expect(form.stateValues().description?.description?.value).toHaveLength(3000);
    await form.fill('Category', 'IT').submit(t.slack, CLICKER);
    expect((await allTickets())[0]?.description).toBe(long);
  });

  it('makes one ticket when two people turn the same message into a ticket at once', async () => {
    const message = seedMessage('Wifi down in room 4');
    const [a, b] = await Promise.all([shortcut(message, CLICKER), shortcut(message, REQUESTER)]);
    const [formA, formB] = await Promise.all([modalOpenedOn(t, a.triggerId), modalOpenedOn(t, b.triggerId)]);
    const [sentA, sentB] = await Promise.all([
      formA.fill('Category', 'IT').submit(t.slack, CLICKER),
      formB.fill('Category', 'IT').submit(t.slack, REQUESTER),
    ]);
    expect(await allTickets()).toHaveLength(1);
    const answers = [sentA.json, sentB.json];
    const already = answers.find((j) => j && typeof j === 'object');
    expect(already).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(already)).toContain('This message is already *TKT001*');
    expect(answers.filter((j) => j === undefined)).toHaveLength(1); // the other one simply closed

    // A third attempt is answered at once, with a way to see the ticket.
    const third = await shortcut(message, OUTSIDER);
    const answer = await t.fake.waitForResponse((body) => JSON.stringify(body).includes('already'));
    expect(answer.url).toBe(third.responseUrl);
    expect(JSON.stringify(answer.body)).toContain(ACTION.showTicket);
    expect(t.fake.callsTo('views.open')).toHaveLength(2);
  });

  it('does not trouble the person when Folio may not reply under the message', async () => {
    t.fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'not_in_channel' },
      { when: (a) => a.channel === 'C_GENERAL' },
    );
    const res = await shortcut(seedMessage('Projector broken'));
    const form = await modalOpenedOn(t, res.triggerId);
    expect((await form.fill('Category', 'IT').submit(t.slack, CLICKER)).status).toBe(200);
    await t.folio.relay.drain();
    const [row] = await db().select().from(outbox).where(eq(outbox.kind, 'source.reply'));
    expect(row?.result).toEqual({ skipped: 'not_in_channel' });
    expect(row?.failedAt).toBeNull();
    expect(await allTickets()).toHaveLength(1);
  });

  it('tells only its creator about a private desk’s ticket made from a message', async () => {
    const res = await shortcut(seedMessage('Question about my payslip'));
    const form = await modalOpenedOn(t, res.triggerId);
    await form.fill('Category', 'HR').submit(t.slack, CLICKER);
    const note = await t.fake.waitForCall('chat.postEphemeral', (a) => a.channel === 'C_GENERAL');
    expect(note.args.user).toBe(CLICKER);
    await t.folio.relay.drain();
    expect(t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C_GENERAL')).toHaveLength(0);
  });
});

describe('other ways in', () => {
  it('opens the same modal from the global shortcut "New ticket"', async () => {
    const res = await t.slack.globalShortcut({ callback_id: SHORTCUT.newTicket, user: REQUESTER });
    const form = await modalOpenedOn(t, res.triggerId);
    await form.fill('Subject', 'Need a new badge').fill('Category', 'Other').submit(t.slack, REQUESTER);
    expect((await allTickets())[0]).toMatchObject({
      source: 'global_shortcut',
      requesterId: REQUESTER,
      subject: 'Need a new badge',
    });
  });

  it('records files added in the modal and shows them on the card', async () => {
    const res = await t.slack.command({ text: 'Screen cracked', user: REQUESTER });
    const form = await modalOpenedOn(t, res.triggerId);
    await form
      .fill('Category', 'IT')
      .fill('Attachments', [
        {
          id: 'F_ONE',
          name: 'crack.png',
          mimetype: 'image/png',
          size: 1234,
          permalink: 'https://files.example/F_ONE',
        },
        {
          id: 'F_TWO',
          name: 'receipt.pdf',
          mimetype: 'application/pdf',
          size: 99,
          permalink: 'https://files.example/F_TWO',
        },
      ])
      .submit(t.slack, REQUESTER);
    const files = await db().select().from(attachments).orderBy(attachments.id);
    expect(files.map((f) => [f.slackFileId, f.name, f.mimetype, f.size, f.permalink])).toEqual([
      ['F_ONE', 'crack.png', 'image/png', 1234, 'https://files.example/F_ONE'],
      ['F_TWO', 'receipt.pdf', 'application/pdf', 99, 'https://files.example/F_TWO'],
    ]);
    const card = await t.fake.waitForCall('chat.postMessage', (a) => a.channel === 'C_IT_DESK');
    expect(JSON.stringify(card.args.blocks)).toContain('<https://files.example/F_ONE|crack.png>');
  });
});

describe('/ticket subcommands', () => {
  it('answers an unknown folio and an unknown subcommand clearly', async () => {
    expect(JSON.stringify(await ask('TKT999', REQUESTER))).toContain(
      'There is no ticket *TKT999* that you can see',
    );
    const typo = JSON.stringify(await ask('lsit', REQUESTER));
    expect(typo).toContain('Did you mean `/ticket list`?');
    expect(typo).toContain('/ticket search');
    expect(JSON.stringify(await ask('help', REQUESTER))).toContain('/ticket queue [desk]');
    expect(t.fake.callsTo('views.open')).toHaveLength(0);
    expect(await allTickets()).toHaveLength(0);
  });

  it('shows a ticket with its details to those who may see it, and to nobody else on a private desk', async () => {
    const it = await fileTicket(t, {
      user: REQUESTER,
      subject: 'Keyboard missing keys',
      category: 'IT',
      description: 'The Q and W keys fell off',
    });
    const hr = await fileTicket(t, {
      user: REQUESTER,
      subject: 'Parental leave dates',
      category: 'HR',
      description: 'When does it start?',
    });
    const shown = JSON.stringify(await ask(it, OUTSIDER));
    expect(shown).toContain('Keyboard missing keys');
    expect(shown).toContain('The Q and W keys fell off');
    expect(JSON.stringify(await ask(hr, REQUESTER))).toContain('Parental leave dates');
    expect(JSON.stringify(await ask(hr, HR_AGENT))).toContain('Parental leave dates');
    const hidden = JSON.stringify(await ask(hr, OUTSIDER));
    expect(hidden).toContain(`There is no ticket *${hr}* that you can see`);
    expect(hidden).not.toContain('Parental');
  });

  it('lists exactly my requests, what is assigned to me, and a desk’s queue', async () => {
    const mine1 = await fileTicket(t, { user: REQUESTER, subject: 'Mouse broken', category: 'IT' });
    const mine2 = await fileTicket(t, { user: REQUESTER, subject: 'Salary question', category: 'HR' });
    const other = await fileTicket(t, { user: OUTSIDER, subject: 'Chair squeaks', category: 'Other' });
    const assigned = await fileTicket(t, { user: OUTSIDER, subject: 'Email bounce', category: 'IT' });
    await db()
      .update(tickets)
      .set({ assigneeId: IT_AGENT, status: 'in_progress' })
      .where(eq(tickets.folio, assigned));
    const resolved = await fileTicket(t, { user: OUTSIDER, subject: 'Old issue', category: 'IT' });
    await db()
      .update(tickets)
      .set({ assigneeId: IT_AGENT, status: 'resolved' })
      .where(eq(tickets.folio, resolved));
    const snoozedAway = await fileTicket(t, { user: OUTSIDER, subject: 'Later please', category: 'IT' });
    await db()
      .update(tickets)
      .set({ snoozedUntil: new Date(Date.now() + 86_400_000) })
      .where(eq(tickets.folio, snoozedAway));

    expect(foliosIn(await ask('list', REQUESTER)).sort()).toEqual([mine1, mine2].sort());
    expect(foliosIn(await ask('mine', IT_AGENT))).toEqual([assigned]);
    // IT's To assign: unassigned, active, awake; HR's tickets belong to HR's queue.
    expect(foliosIn(await ask('queue', IT_AGENT)).sort()).toEqual([mine1, other].sort());
    // HR assigns round robin: its ticket went to its only member, and leaves the queue when unassigned.
    expect(foliosIn(await ask('mine', HR_AGENT))).toEqual([mine2]);
    expect(foliosIn(await ask('queue hr', HR_AGENT))).toEqual([]);
    await db().update(tickets).set({ assigneeId: null }).where(eq(tickets.folio, mine2));
    expect(foliosIn(await ask('queue hr', HR_AGENT))).toEqual([mine2]);
    // Someone outside a private desk cannot list its queue, nor learn that it holds anything.
    const refused = JSON.stringify(await ask('queue hr', OUTSIDER));
    expect(refused).toContain('There is no desk `hr`');
    expect(foliosIn(refused)).toEqual([]);
    // Somebody in no desk is asked which desk they mean.
    expect(JSON.stringify(await ask('queue', OUTSIDER))).toContain('Which desk?');
  });

  it('pages a long list', async () => {
    for (let i = 1; i <= 12; i++)
      await fileTicket(t, { user: REQUESTER, subject: `Request number ${i}`, category: 'Other' });
    const first = await ask('list', REQUESTER);
    expect(foliosIn(first)).toHaveLength(10);
    const stored = { ts: '1.1', ...first } as unknown as SlackMessage;
    const next = await t.slack.blockActions({
      user: REQUESTER,
      channel: 'C_GENERAL',
      message: { ...stored, type: 'message', user: 'UFOLIOBOT', text: String(first.text), team: 'T0FOLIO' },
      actions: [{ action_id: `${ACTION.listPage}_0` }],
    });
    expect(next.status).toBe(200);
    const page = await t.fake.waitForResponse((body) => JSON.stringify(body).includes('page 2'));
    expect(page.body).toMatchObject({ replace_original: true });
    expect(foliosIn(page.body)).toEqual(['TKT002', 'TKT001']);
  });
});

describe('search', () => {
  it('finds a ticket by words of its description in any order, ranked, and never a private desk’s ticket for others', async () => {
    const printer = await fileTicket(t, {
      user: REQUESTER,
      subject: 'Office equipment',
      category: 'IT',
      description: 'The printers on floor three are jammed again',
    });
    await fileTicket(t, {
      user: REQUESTER,
      subject: 'Unrelated',
      category: 'IT',
      description: 'Nothing to see',
    });
    const hr = await fileTicket(t, {
      user: REQUESTER,
      subject: 'Private matter',
      category: 'HR',
      description: 'My printer at home is jammed',
    });

    // Stemmed and in any order: "jam printer" finds "printers … jammed".
    expect(foliosIn(await ask('search jam printer', OUTSIDER))).toEqual([printer]);
    expect(foliosIn(await ask('search jam printer', HR_AGENT)).sort()).toEqual([printer, hr].sort());
    expect(foliosIn(await ask('search jam printer', REQUESTER)).sort()).toEqual([printer, hr].sort());
    expect(JSON.stringify(await ask('search xylophone', OUTSIDER))).toContain(
      'No ticket you can see matches',
    );
  });

  it('searches replies, and internal notes only for the desk', async () => {
    const folio = await fileTicket(t, { user: REQUESTER, subject: 'Laptop slow', category: 'IT' });
    const [ticket] = await allTickets();
    await db()
      .insert(comments)
      .values([
        {
          ticketId: ticket?.id ?? 0,
          authorId: IT_AGENT,
          body: 'Replaced the thermal paste',
          visibility: 'public',
        },
        {
          ticketId: ticket?.id ?? 0,
          authorId: IT_AGENT,
          body: 'Suspect malware infection',
          visibility: 'internal',
        },
      ]);
    expect(foliosIn(await ask('search thermal paste', REQUESTER))).toEqual([folio]);
    expect(foliosIn(await ask('search malware', REQUESTER))).toEqual([]);
    expect(foliosIn(await ask('search malware', IT_AGENT))).toEqual([folio]);
  });
});
