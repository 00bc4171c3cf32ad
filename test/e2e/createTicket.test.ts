import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox, tickets } from '../../src/db/schema/index.js';
import type { JsonObject } from '../harness/fakeSlack.js';
import type { ModalForm } from '../harness/modalForm.js';
import { modalOpenedOn } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

const REQUESTER = 'U_REQ_RITA';

const t = useTestFolio();

/** `/ticket` as the requester; returns the modal Slack shows them. */
async function openModal(text = '', user = REQUESTER): Promise<ModalForm> {
  const res = await t.slack.command({ text, user });
  expect(res.status).toBe(200);
  return modalOpenedOn(t, res.triggerId);
}

async function ticketsInDb() {
  return t.folio.services.db.select().from(tickets).orderBy(tickets.id);
}

/** Every mrkdwn text in a block tree. */
function mrkdwnTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(mrkdwnTexts);
  if (node === null || typeof node !== 'object') return [];
  const o = node as JsonObject;
  const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
  return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
}

function messagesFor(channel: string) {
  return t.fake
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel && c.fault === undefined);
}

describe('/ticket end to end', () => {
  it('opens the modal, creates TKT001, posts the card in the desk channel and DMs the requester', async () => {
    const form = await openModal();
    expect(form.title).toBe('New ticket');
    expect(form.inputs().map((i) => i.label)).toEqual([
      'Subject',
      'Description',
      'Category',
      'Priority',
      'Desk',
      'Attachments',
    ]);

    const res = await form
      .fill('Subject', 'Printer on the 3rd floor is jammed')
      .fill('Description', 'Paper stuck in tray 2; I tried turning it off and on.')
      .fill('Category', 'Technical support')
      .fill('Priority', 'High')
      .submit(t.slack, REQUESTER);
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // a plain ack closes the modal

    const [ticket] = await ticketsInDb();
    expect(ticket).toMatchObject({
      folio: 'TKT001',
      subject: 'Printer on the 3rd floor is jammed',
      description: 'Paper stuck in tray 2; I tried turning it off and on.',
      deskKey: 'it',
      priority: 'high',
      status: 'open',
      requesterId: REQUESTER,
      source: 'slash_command',
    });

    const card = await t.fake.waitForCall('chat.postMessage', (a) => a.channel === 'C_IT_DESK');
    expect(JSON.stringify(card.args.blocks)).toContain('TKT001 · Printer on the 3rd floor is jammed');
    const dm = await t.fake.waitForCall('chat.postMessage', (a) => a.channel === REQUESTER);
    expect(String(dm.args.text)).toContain('TKT001');

    await t.folio.relay.drain();
    const [stored] = await ticketsInDb();
    expect(stored?.cardChannelId).toBe('C_IT_DESK');
    expect(stored?.cardTs).toBe(card.answer?.ts);
    expect(stored?.requesterChannelId).toBe(t.fake.dmChannelOf(REQUESTER));
    expect(stored?.requesterThreadTs).toBe(dm.answer?.ts);
  });

  it('numbers the next ticket TKT002 and fills the subject from the command text', async () => {
    for (const subject of ['VPN drops every hour', 'Laptop will not charge']) {
      const form = await openModal(subject);
      expect(form.stateValues().subject?.subject?.value).toBe(subject);
      const res = await form.fill('Category', 'IT').submit(t.slack, REQUESTER);
      expect(res.status).toBe(200);
    }
    expect((await ticketsInDb()).map((r) => [r.folio, r.subject])).toEqual([
      ['TKT001', 'VPN drops every hour'],
      ['TKT002', 'Laptop will not charge'],
    ]);
  });

  it('gives 50 concurrent submissions 50 distinct consecutive folios', async () => {
    const forms = await Promise.all(
      Array.from({ length: 50 }, (_, i) => openModal(`Concurrent request ${i}`)),
    );
    const results = await Promise.all(
      forms.map((f) => f.fill('Category', 'Other').submit(t.slack, REQUESTER)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const folios = (await ticketsInDb()).map((r) => r.folio).sort();
    expect(folios).toEqual(Array.from({ length: 50 }, (_, i) => `TKT${String(i + 1).padStart(3, '0')}`));
    // Every card arrives, once each.
    await t.fake.waitForCalls('chat.postMessage', 50, (a) => a.channel === 'C_IT_DESK', {
      timeoutMs: 20_000,
    });
    await t.folio.relay.drain();
    expect(messagesFor('C_IT_DESK')).toHaveLength(50);
  });

  it('creates one ticket when Slack delivers the same submission twice', async () => {
    const form = (await openModal('Monitor flickers')).fill('Category', 'IT');
    const [a, b] = await Promise.all([form.submit(t.slack, REQUESTER), form.submit(t.slack, REQUESTER)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await ticketsInDb()).toHaveLength(1);
    await t.folio.relay.drain();
    expect(messagesFor('C_IT_DESK')).toHaveLength(1);
  });

  it('escapes what people type, so a subject cannot ping the channel or forge a link', async () => {
    const form = await openModal();
    await form
      .fill('Subject', 'Help <!channel> now')
      .fill('Description', 'see <https://evil.example|the wiki> & <@U_BOSS>')
      .fill('Category', 'IT')
      .submit(t.slack, REQUESTER);
    const card = await t.fake.waitForCall('chat.postMessage', (a) => a.channel === 'C_IT_DESK');
    // Slack parses mentions and links in mrkdwn and in the message text; plain_text shows them as typed.
    const sent = [String(card.args.text), ...mrkdwnTexts(card.args.blocks)].join('\n');
    expect(sent).not.toContain('<!channel>');
    expect(sent).not.toContain('<https://evil.example');
    expect(sent).not.toContain('<@U_BOSS>');
    expect(sent).toContain('&lt;!channel&gt;');
    expect(sent).toContain('&amp;');
  });
});

describe('bad input', () => {
  it('refuses a forged signature with 401 and changes nothing', async () => {
    const res = await t.slack.command({ text: 'forged', user: REQUESTER, signature: `v0=${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    const stale = await t.slack.command({
      text: 'replayed',
      user: REQUESTER,
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect(stale.status).toBe(401);
    expect(t.fake.callsTo('views.open')).toHaveLength(0);
    expect(await ticketsInDb()).toHaveLength(0);
  });

  it('answers an empty subject with an error in the modal', async () => {
    const form = (await openModal()).fill('Subject', '   ').fill('Category', 'IT');
    const res = await form.submit(t.slack, REQUESTER, { skipClientValidation: true });
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { subject: 'Give the ticket a subject.' },
    });
    expect(await ticketsInDb()).toHaveLength(0);
  });

  it('answers a 10,000-character subject with an error in the modal', async () => {
    const form = (await openModal()).fill('Category', 'IT').fillRaw('Subject', { value: 'x'.repeat(10_000) });
    const res = await form.submit(t.slack, REQUESTER, { skipClientValidation: true });
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { subject: 'Keep the subject within 120 characters.' },
    });
    expect(await ticketsInDb()).toHaveLength(0);
  });

  it('answers an option the modal never offered with an error beside it', async () => {
    const form = (await openModal('Something'))
      .fillRaw('Category', {
        selected_option: { text: { type: 'plain_text', text: 'Hacked' }, value: '99999' },
      })
      .fillRaw('Priority', { selected_option: { text: { type: 'plain_text', text: 'Now!' }, value: 'now' } });
    const res = await form.submit(t.slack, REQUESTER, { skipClientValidation: true });
    expect(res.json).toEqual({
      response_action: 'errors',
      errors: { priority: 'Choose one of the priorities offered.' },
    });
    const second = await form
      .fillRaw('Priority', { selected_option: { text: { type: 'plain_text', text: 'High' }, value: 'high' } })
      .submit(t.slack, REQUESTER, { skipClientValidation: true });
    expect(second.json).toEqual({
      response_action: 'errors',
      errors: { category: 'That category no longer exists: choose another.' },
    });
    expect(await ticketsInDb()).toHaveLength(0);
  });

  it('refuses a modal whose private metadata was tampered with', async () => {
    const form = (await openModal('Something')).fill('Category', 'IT');
    const view = t.fake.lastView();
    if (!view) throw new Error('no modal was opened');
    const res = await t.slack.viewSubmission({
      view: { ...view, private_metadata: '{"source":"hacked"}' },
      user: REQUESTER,
      values: form.stateValues(),
    });
    expect(res.json).toMatchObject({ response_action: 'errors' });
    expect(await ticketsInDb()).toHaveLength(0);
  });
});

describe('delivery to Slack', () => {
  it('delays the card after a 429 and posts it exactly once', async () => {
    t.fake.fail(
      'chat.postMessage',
      { kind: 'ratelimited', retryAfter: 1 },
      { when: (a) => a.channel === 'C_IT_DESK' },
    );
    const form = (await openModal('Keyboard missing keys')).fill('Category', 'IT');
    await form.submit(t.slack, REQUESTER);

    // The first post of the card is refused with 429; it is retried after Retry-After.
    const attempts = await t.fake.waitForCalls('chat.postMessage', 2, (a) => a.channel === 'C_IT_DESK', {
      timeoutMs: 10_000,
    });
    expect(attempts[0]?.fault).toMatchObject({ kind: 'ratelimited' });
    expect(attempts[1]?.fault).toBeUndefined();
    const [refused, accepted] = attempts;
    expect((accepted?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(900); // Retry-After: 1
    await t.folio.relay.drain();
    expect(t.fake.messagesIn('C_IT_DESK')).toHaveLength(1);
    const [row] = await t.folio.services.db.select().from(outbox).where(eq(outbox.kind, 'card.post'));
    expect(row?.deliveredAt).not.toBeNull();
  });
});

describe('health', () => {
  it('answers /healthz after checking the database', async () => {
    const res = await fetch(`http://127.0.0.1:${t.folio.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});

describe('metrics', () => {
  it('shows operators the outbox backlog, failures and active tickets', async () => {
    t.fake.fail(
      'chat.postMessage',
      { kind: 'error', error: 'channel_not_found' },
      { when: (a) => a.channel === 'C_IT_DESK' },
    );
    const form = (await openModal('Projector broken')).fill('Category', 'IT');
    await form.submit(t.slack, REQUESTER);
    await t.folio.relay.drain();
    const res = await fetch(`http://127.0.0.1:${t.folio.port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('folio_outbox_failed_last_day 1');
    expect(text).toContain('folio_tickets{status="open"} 1');
  });
});
