import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, verifySlackRequest } from '@slack/bolt';
import {
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack, isRecord, type JsonObject } from './fakeSlack.js';
import { ModalForm } from './modalForm.js';
import { SlackRequests } from './slackRequests.js';

const TOKEN = 'xoxb-folio-test';
const SIGNING_SECRET = 'harness-signing-secret';

let fake: FakeSlack;

beforeAll(async () => {
  fake = await FakeSlack.start();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

function client(options: WebClientOptions = {}): WebClient {
  return new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

/** What the caught promise rejected with, so its class and fields can be asserted. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('FakeSlack answering the real WebClient', () => {
  it('posts to a user in their DM, updates the message and reads it back from history', async () => {
    const slack = client();
    const posted = await slack.chat.postMessage({
      channel: 'U_ALICE',
      text: 'TKT001 opened',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*TKT001* opened' } }],
      metadata: { event_type: 'ticket_opened', event_payload: { ticket: 'TKT001' } },
    });
    expect(posted.channel).toBe('D_ALICE');
    // A ts is the posting time, as in Slack: seconds and microseconds.
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Math.abs(Number(posted.ts) - Date.now() / 1000)).toBeLessThan(60);

    await slack.chat.update({ channel: 'D_ALICE', ts: posted.ts ?? '', text: 'TKT001 closed' });

    const withMetadata = await slack.conversations.history({
      channel: 'D_ALICE',
      include_all_metadata: true,
    });
    expect(withMetadata.messages).toHaveLength(1);
    expect(withMetadata.messages?.[0]).toMatchObject({
      text: 'TKT001 closed',
      ts: posted.ts,
      user: 'UFOLIOBOT',
      bot_id: 'BFOLIOBOT',
      blocks: [{ type: 'section', block_id: 'auto_b0' }],
      metadata: { event_type: 'ticket_opened', event_payload: { ticket: 'TKT001' } },
      edited: { user: 'UFOLIOBOT' },
    });
    const plain = await slack.conversations.history({ channel: 'D_ALICE' });
    expect(plain.messages?.[0]).not.toHaveProperty('metadata');

    const [postCall] = fake.callsTo('chat.postMessage');
    expect(postCall?.token).toBe(TOKEN);
    // web-api sends objects as JSON strings in a form body; the fake decodes them back.
    expect(postCall?.args.metadata).toEqual({
      event_type: 'ticket_opened',
      event_payload: { ticket: 'TKT001' },
    });
    expect(fake.dmChannelOf('U_ALICE')).toBe('D_ALICE');
    expect((await slack.conversations.open({ users: 'U_ALICE' })).channel?.id).toBe('D_ALICE');
  });

  it('keeps threads apart from history and pages history newest first', async () => {
    const slack = client();
    const parent = await slack.chat.postMessage({ channel: 'C_DESK', text: 'card' });
    const reply = await slack.chat.postMessage({
      channel: 'C_DESK',
      text: 'note',
      thread_ts: parent.ts ?? '',
    });
    const later = await slack.chat.postMessage({ channel: 'C_DESK', text: 'another card' });

    const firstPage = await slack.conversations.history({ channel: 'C_DESK', limit: 1 });
    expect(firstPage.messages?.map((m) => m.text)).toEqual(['another card']);
    expect(firstPage.has_more).toBe(true);
    const secondPage = await slack.conversations.history({
      channel: 'C_DESK',
      limit: 1,
      cursor: firstPage.response_metadata?.next_cursor ?? '',
    });
    expect(secondPage.messages?.[0]).toMatchObject({ text: 'card', reply_count: 1, latest_reply: reply.ts });
    const newer = await slack.conversations.history({ channel: 'C_DESK', oldest: parent.ts ?? '' });
    expect(newer.messages?.map((m) => m.ts)).toEqual([later.ts]);

    const thread = await slack.conversations.replies({ channel: 'C_DESK', ts: parent.ts ?? '' });
    expect(thread.messages?.map((m) => m.text)).toEqual(['card', 'note']);
    expect(fake.messagesIn('C_DESK').map((m) => m.text)).toEqual(['card', 'note', 'another card']);
    const link = await slack.chat.getPermalink({ channel: 'C_DESK', message_ts: reply.ts ?? '' });
    expect(link.permalink).toBe(
      `https://acme.slack.com/archives/C_DESK/p${reply.ts?.replace('.', '')}?thread_ts=${parent.ts}&cid=C_DESK`,
    );
  });

  it('waits for calls still to come and explains a timeout with what was recorded', async () => {
    const slack = client();
    const waiting = fake.waitForCall('chat.postMessage', (args) => args.text === 'second');
    await slack.chat.postMessage({ channel: 'C_DESK', text: 'first' });
    await slack.chat.postMessage({ channel: 'C_DESK', text: 'second' });
    expect((await waiting).args.text).toBe('second');
    expect(await fake.waitForCalls('chat.postMessage', 2)).toHaveLength(2);

    await expect(fake.waitForCall('views.open', undefined, { timeoutMs: 30 })).rejects.toThrow(
      /waitForCall\('views.open'\) timed out after 30 ms\. Recorded calls \(2\):\n {2}chat\.postMessage \{"channel":"C_DESK"/,
    );
  });

  it('answers a rate-limit fault with 429 and Retry-After, once', async () => {
    fake.fail('chat.postMessage', { kind: 'ratelimited', retryAfter: 7 });
    const slack = client({ rejectRateLimitedCalls: true });

    const error = await rejectionOf(slack.chat.postMessage({ channel: 'C_DESK', text: 'hello' }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(error).toMatchObject({ retryAfter: 7 });
    expect(fake.messagesIn('C_DESK')).toEqual([]);

    await slack.chat.postMessage({ channel: 'C_DESK', text: 'hello' });
    expect(fake.callsTo('chat.postMessage').map((call) => call.fault?.kind)).toEqual([
      'ratelimited',
      undefined,
    ]);
  });

  it('answers a server-error fault with HTTP 500', async () => {
    fake.fail('views.publish', { kind: 'server_error' });
    const error = await rejectionOf(
      client().views.publish({ user_id: 'U_ALICE', view: { type: 'home', blocks: [] } }),
    );
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect(error).toMatchObject({ statusCode: 500 });
    expect(fake.homeOf('U_ALICE')).toBeUndefined();
  });

  it('answers slowly after the call took effect, so a client timeout can hide a success', async () => {
    fake.fail('chat.postMessage', { kind: 'slow', delayMs: 400 });
    const error = await rejectionOf(
      client({ timeout: 50 }).chat.postMessage({ channel: 'C_DESK', text: 'hi' }),
    );
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect(fake.messagesIn('C_DESK').map((m) => m.text)).toEqual(['hi']);
  });

  it('answers an error fault with ok:false', async () => {
    fake.fail('chat.postMessage', { kind: 'error', error: 'channel_not_found' }, { times: 2 });
    const slack = client();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await rejectionOf(slack.chat.postMessage({ channel: 'C_GONE', text: 'x' }));
      expect(error).toBeInstanceOf(WebAPIPlatformError);
      expect(error).toMatchObject({ data: { ok: false, error: 'channel_not_found' } });
    }
    await expect(slack.chat.postMessage({ channel: 'C_GONE', text: 'x' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('refuses a views.update with a stale hash and a trigger_id used twice', async () => {
    const slack = client();
    const triggerId = fake.newTriggerId();
    const modal = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'New ticket' },
      blocks: [],
    };
    const opened = await slack.views.open({
      trigger_id: triggerId,
      view: { ...modal, external_id: 'draft-1' },
    });
    expect(opened.view).toMatchObject({ id: 'V0000001', state: { values: {} }, external_id: 'draft-1' });
    const firstHash = opened.view?.hash ?? '';

    const updated = await slack.views.update({ view_id: 'V0000001', hash: firstHash, view: modal });
    expect(updated.view?.hash).not.toBe(firstHash);
    const stale = await rejectionOf(
      slack.views.update({ view_id: 'V0000001', hash: firstHash, view: modal }),
    );
    expect(stale).toMatchObject({ data: { error: 'hash_conflict' } });
    await slack.views.update({ external_id: 'draft-1', view: { ...modal, private_metadata: 'TKT001' } });
    expect(fake.view('V0000001')?.private_metadata).toBe('TKT001');

    const again = await rejectionOf(slack.views.open({ trigger_id: triggerId, view: modal }));
    expect(again).toMatchObject({ data: { error: 'exchanged_trigger_id' } });
  });

  it('lets a test answer a method its own way, and flags unknown methods', async () => {
    const slack = client();
    fake.setUser('U_BOSS', { is_admin: true, tz: 'America/New_York' });
    expect((await slack.users.info({ user: 'U_BOSS' })).user).toMatchObject({
      id: 'U_BOSS',
      name: 'boss',
      real_name: 'Boss',
      is_admin: true,
      tz: 'America/New_York',
    });
    fake.on('users.info', (args) => ({ user: { id: args.user, deleted: true } }));
    expect((await slack.users.info({ user: 'U_GONE' })).user).toEqual({ id: 'U_GONE', deleted: true });

    const unknown = await rejectionOf(slack.apiCall('tickets.make'));
    expect(unknown).toMatchObject({ data: { error: 'unknown_method' } });
    expect(fake.callsTo('tickets.make')).toHaveLength(1);
  });

  it('records what is posted to a response_url', async () => {
    const url = fake.newResponseUrl();
    const waiting = fake.waitForResponse((body) => body.response_type === 'ephemeral');
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Done' }),
    });
    expect([answer.status, await answer.text()]).toEqual([200, 'ok']);
    expect(await waiting).toMatchObject({ url, body: { text: 'Done' } });
    expect((await fetch(`${fake.baseUrl}/respond/never-minted`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
  });
});

// ---------------------------------------------------------------------------------------------------

interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
  verifyError: string | undefined;
}

/** A stand-in for Bolt's receiver: verifies each request with Bolt's own function and keeps it. */
async function startVerifyingApp(): Promise<{ server: Server; url: string; received: ReceivedRequest[] }> {
  const received: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.from(chunk));
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let verifyError: string | undefined;
    try {
      verifySlackRequest({
        signingSecret: SIGNING_SECRET,
        body: rawBody,
        headers: {
          'x-slack-signature': String(req.headers['x-slack-signature']),
          'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
        },
      });
    } catch (error) {
      verifyError = error instanceof Error ? error.message : String(error);
    }
    received.push({ headers: req.headers, rawBody, verifyError });
    res.writeHead(verifyError ? 401 : 200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, received };
}

function lastPayload(received: ReceivedRequest[]): JsonObject {
  const payload = new URLSearchParams(received.at(-1)?.rawBody ?? '').get('payload');
  const parsed: unknown = JSON.parse(payload ?? 'null');
  if (!isRecord(parsed)) throw new Error('no payload received');
  return parsed;
}

describe('SlackRequests signing like Slack', () => {
  let app: Awaited<ReturnType<typeof startVerifyingApp>>;
  let requests: SlackRequests;

  beforeAll(async () => {
    app = await startVerifyingApp();
    requests = new SlackRequests({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake });
  });

  afterAll(async () => {
    await new Promise((resolve) => app.server.close(resolve));
  });

  beforeEach(() => {
    app.received.length = 0;
  });

  it('signs a slash command that Bolt verifies, with fresh trigger ids and response urls', async () => {
    const first = await requests.command({
      text: 'printer is jammed',
      user: 'U_ALICE',
      channel: 'C_HELP_DESK',
    });
    const second = await requests.command({ text: 'again' });
    expect(first.status).toBe(200);
    expect(app.received.map((r) => r.verifyError)).toEqual([undefined, undefined]);
    expect(first.triggerId).not.toBe(second.triggerId);
    expect(first.responseUrl.startsWith(`${fake.baseUrl}/respond/`)).toBe(true);
    const form = Object.fromEntries(new URLSearchParams(app.received[0]?.rawBody ?? ''));
    expect(form).toMatchObject({
      command: '/ticket',
      text: 'printer is jammed',
      user_id: 'U_ALICE',
      user_name: 'alice',
      channel_id: 'C_HELP_DESK',
      channel_name: 'help-desk',
      team_id: 'T0FOLIO',
      trigger_id: first.triggerId,
      response_url: first.responseUrl,
    });
    expect(app.received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('signs an event envelope and passes Slack retry headers', async () => {
    const first = await requests.userMessage({ channel: 'D_ALICE', user: 'U_ALICE', text: 'still broken' });
    await requests.event(first.message, { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' });
    const [original, retry] = app.received;
    expect(retry?.verifyError).toBeUndefined();
    expect(retry?.headers).toMatchObject({
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(JSON.parse(original?.rawBody ?? '')).toMatchObject({
      type: 'event_callback',
      event_id: first.eventId,
      team_id: 'T0FOLIO',
      authorizations: [{ user_id: 'UFOLIOBOT', is_bot: true }],
      event: { type: 'message', channel: 'D_ALICE', channel_type: 'im', text: 'still broken' },
    });
    // The message now exists in Slack, so the app can thread under it or react to it.
    expect(fake.messagesIn('D_ALICE').map((m) => m.text)).toEqual(['still broken']);
  });

  it('produces requests Bolt rejects when forged or stale', async () => {
    await requests.globalShortcut({ callback_id: 'folio_new_ticket' });
    const forged = await requests.globalShortcut({
      callback_id: 'folio_new_ticket',
      signature: 'v0=deadbeef',
    });
    const stale = await requests.globalShortcut({
      callback_id: 'folio_new_ticket',
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect([forged.status, stale.status]).toEqual([401, 401]);
    expect(app.received.map((r) => r.verifyError)).toEqual([
      undefined,
      expect.stringMatching(/signature mismatch/),
      expect.stringMatching(/stale/),
    ]);
  });

  it('builds block_actions from the stored message, reading the element from its blocks', async () => {
    const posted = await client().chat.postMessage({
      channel: 'C_DESK',
      text: 'TKT001',
      blocks: [
        {
          type: 'actions',
          block_id: 'ticket_actions',
          elements: [
            {
              type: 'button',
              action_id: 'claim',
              text: { type: 'plain_text', text: 'Claim' },
              value: 'TKT001',
            },
          ],
        },
      ],
    });
    const message = fake.message('C_DESK', posted.ts ?? '');
    if (message === undefined) throw new Error('message not stored');
    const sent = await requests.blockActions({
      channel: 'C_DESK',
      message,
      actions: [{ action_id: 'claim' }],
    });
    expect(lastPayload(app.received)).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: posted.ts, channel_id: 'C_DESK', is_ephemeral: false },
      channel: { id: 'C_DESK', name: 'desk' },
      message: { ts: posted.ts, text: 'TKT001' },
      response_url: sent.responseUrl,
      trigger_id: sent.triggerId,
      actions: [{ type: 'button', action_id: 'claim', block_id: 'ticket_actions', value: 'TKT001' }],
    });
    await expect(
      requests.blockActions({ channel: 'C_DESK', message, actions: [{ action_id: 'nope' }] }),
    ).rejects.toThrow(/No element with action_id 'nope'.*ticket_actions\/claim/);
  });
});

// ---------------------------------------------------------------------------------------------------

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (text: string, value: string) => ({ text: plain(text), value });

/** A modal with one input of each kind Folio might use, some optional, one without ids. */
const ticketModal = {
  type: 'modal' as const,
  callback_id: 'folio_create_ticket',
  private_metadata: '{"channel":"C_HELP"}',
  title: plain('New ticket'),
  submit: plain('Create'),
  blocks: [
    {
      type: 'input',
      block_id: 'subject',
      label: plain('Subject'),
      element: { type: 'plain_text_input', action_id: 'subject', initial_value: 'Printer', max_length: 20 },
    },
    {
      type: 'input',
      block_id: 'priority',
      label: plain('Priority'),
      element: {
        type: 'static_select',
        action_id: 'priority',
        options: [option('Low', 'low'), option('Normal', 'normal'), option('High', 'high')],
        initial_option: option('Normal', 'normal'),
      },
    },
    {
      type: 'input',
      block_id: 'category',
      label: plain('Category'),
      element: {
        type: 'radio_buttons',
        action_id: 'category',
        options: [option('Hardware', 'hw'), option('Access', 'access')],
      },
    },
    {
      type: 'input',
      block_id: 'requester',
      label: plain('Requester'),
      element: { type: 'users_select', action_id: 'requester' },
    },
    {
      type: 'input',
      block_id: 'tags',
      optional: true,
      label: plain('Tags'),
      element: {
        type: 'multi_static_select',
        action_id: 'tags',
        option_groups: [
          { label: plain('Common'), options: [option('Urgent', 'urgent'), option('VIP', 'vip')] },
        ],
      },
    },
    {
      type: 'input',
      optional: true,
      label: plain('Watchers'),
      element: { type: 'multi_users_select' },
    },
    {
      type: 'input',
      block_id: 'due',
      optional: true,
      label: plain('Due date'),
      element: { type: 'datepicker', action_id: 'due' },
    },
    {
      type: 'input',
      block_id: 'follow_up',
      optional: true,
      label: plain('Follow up at'),
      element: { type: 'datetimepicker', action_id: 'follow_up' },
    },
    {
      type: 'input',
      block_id: 'notify',
      optional: true,
      label: plain('Notify'),
      element: { type: 'checkboxes', action_id: 'notify', options: [option('Email me', 'email')] },
    },
    {
      type: 'input',
      block_id: 'files',
      optional: true,
      label: plain('Attachments'),
      element: { type: 'file_input', action_id: 'files' },
    },
    {
      type: 'section',
      block_id: 'desk_section',
      text: { type: 'mrkdwn', text: 'Desk' },
      accessory: { type: 'static_select', action_id: 'desk', options: [option('IT', 'it')] },
    },
  ],
};

describe('ModalForm', () => {
  async function openTicketModal(): Promise<ModalForm> {
    await client().views.open({ trigger_id: fake.newTriggerId(), view: ticketModal });
    return ModalForm.from(fake.lastView());
  }

  it('lists inputs and builds state.values as Slack does, initial values included', async () => {
    const form = await openTicketModal();
    expect(form.title).toBe('New ticket');
    expect(form.callbackId).toBe('folio_create_ticket');
    expect(form.privateMetadata).toBe('{"channel":"C_HELP"}');
    expect(form.inputs().map((i) => [i.label, i.type, i.optional])).toContainEqual([
      'Watchers',
      'multi_users_select',
      true,
    ]);

    form
      .fill('Category', 'access')
      .fill('requester', 'U_ALICE')
      .fill('Tags', ['VIP'])
      .fill('Watchers', ['U_BOB', 'U_CAROL'])
      .fill('Due date', '2025-03-31')
      .fill('Follow up at', 1_743_400_800)
      .fill('Attachments', [
        { id: 'F1', name: 'photo.png', url_private_download: 'https://files.slack.com/F1' },
      ]);

    expect(form.stateValues()).toEqual({
      subject: { subject: { type: 'plain_text_input', value: 'Printer' } },
      priority: { priority: { type: 'static_select', selected_option: option('Normal', 'normal') } },
      category: { category: { type: 'radio_buttons', selected_option: option('Access', 'access') } },
      requester: { requester: { type: 'users_select', selected_user: 'U_ALICE' } },
      tags: { tags: { type: 'multi_static_select', selected_options: [option('VIP', 'vip')] } },
      auto_b5: { auto_b5_a0: { type: 'multi_users_select', selected_users: ['U_BOB', 'U_CAROL'] } },
      due: { due: { type: 'datepicker', selected_date: '2025-03-31' } },
      follow_up: { follow_up: { type: 'datetimepicker', selected_date_time: 1_743_400_800 } },
      notify: { notify: { type: 'checkboxes', selected_options: [] } },
      files: {
        files: {
          type: 'file_input',
          files: [{ id: 'F1', name: 'photo.png', url_private_download: 'https://files.slack.com/F1' }],
        },
      },
      desk_section: { desk: { type: 'static_select', selected_option: null } },
    });
  });

  it('explains what a person could not enter', async () => {
    const form = await openTicketModal();
    expect(() => form.fill('Nope', 'x')).toThrow(/No input labelled "Nope".*"Subject", "Priority"/);
    expect(() => form.fill('Priority', 'Urgent')).toThrow(/no option "Urgent"; options: "Low" \(low\)/);
    expect(() => form.fill('Follow up at', Date.now())).toThrow(/looks like milliseconds/);
    expect(() => form.fill('Due date', '31/03/2025')).toThrow(/expects YYYY-MM-DD/);
    form.fillRaw('Priority', { selected_option: option('Made up', 'made_up') });
    expect(form.stateValues().priority?.priority).toEqual({
      type: 'static_select',
      selected_option: option('Made up', 'made_up'),
    });
  });

  it('submits only what Slack would send, signed, with the stored view', async () => {
    const app = await startVerifyingApp();
    try {
      const requests = new SlackRequests({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake });
      const form = await openTicketModal();
      form.fill('Subject', 'Printer on floor 3 is jammed');
      await expect(form.submit(requests)).rejects.toThrow(
        /Slack would not submit "New ticket": "Subject" allows at most 20 characters; "Category" is required; "Requester" is required/,
      );
      expect(app.received).toHaveLength(0);

      form
        .fill('Subject', '')
        .fill('Subject', 'Jammed printer')
        .fill('Category', 'Hardware')
        .fill('Requester', 'U_ALICE');
      const sent = await form.submit(requests, 'U_ALICE');
      expect(sent.status).toBe(200);
      expect(app.received[0]?.verifyError).toBeUndefined();
      const stored = fake.lastView();
      expect(lastPayload(app.received)).toMatchObject({
        type: 'view_submission',
        user: { id: 'U_ALICE', username: 'alice', team_id: 'T0FOLIO' },
        trigger_id: sent.triggerId,
        view: {
          id: stored?.id,
          hash: stored?.hash,
          callback_id: 'folio_create_ticket',
          private_metadata: '{"channel":"C_HELP"}',
          state: { values: form.stateValues() },
        },
        response_urls: [],
      });
    } finally {
      await new Promise((resolve) => app.server.close(resolve));
    }
  });
});

// ---------------------------------------------------------------------------------------------------

describe('the harness driving a real Bolt app', () => {
  let app: App;
  let requests: SlackRequests;
  const submitted: unknown[] = [];

  beforeAll(async () => {
    app = new App({
      token: TOKEN,
      signingSecret: SIGNING_SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/ticket', async ({ ack, body, client: slack }) => {
      await ack();
      await slack.views.open({ trigger_id: body.trigger_id, view: ticketModal });
    });
    app.view('folio_create_ticket', async ({ ack, view }) => {
      submitted.push(view.state.values);
      await ack();
    });
    app.action('claim', async ({ ack, respond }) => {
      await ack();
      await respond({ text: 'Claimed', replace_original: false });
    });
    app.event('message', async ({ event, client: slack }) => {
      if (event.subtype === undefined && event.channel_type === 'im') {
        await slack.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: 'Noted' });
      }
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    requests = new SlackRequests({ appUrl: `http://127.0.0.1:${port}`, signingSecret: SIGNING_SECRET, fake });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('opens the modal from a command and receives its submission', async () => {
    const command = await requests.command({ text: '', user: 'U_ALICE' });
    expect(command.status).toBe(200);
    const opened = await fake.waitForCall('views.open');
    expect(opened.args.trigger_id).toBe(command.triggerId);

    const form = ModalForm.from(fake.lastView());
    form.fill('Category', 'Hardware').fill('Requester', 'U_ALICE');
    const sent = await form.submit(requests, 'U_ALICE');
    expect([sent.status, sent.text]).toEqual([200, '']);
    expect(submitted).toEqual([form.stateValues()]);
  });

  it('routes a button click and an event, and records what the app answers', async () => {
    const posted = await client().chat.postMessage({
      channel: 'C_DESK',
      text: 'TKT001',
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'claim', text: plain('Claim') }] }],
    });
    const message = fake.message('C_DESK', posted.ts ?? '');
    if (message === undefined) throw new Error('message not stored');
    const click = await requests.blockActions({
      channel: 'C_DESK',
      message,
      actions: [{ action_id: 'claim' }],
    });
    expect(click.status).toBe(200);
    expect((await fake.waitForResponse()).body).toEqual({ text: 'Claimed', replace_original: false });

    const dm = await requests.userMessage({ channel: 'D_ALICE', user: 'U_ALICE', text: 'any news?' });
    expect(dm.status).toBe(200);
    const reply = await fake.waitForCall('chat.postMessage', (args) => args.thread_ts === dm.message.ts);
    expect(reply.args).toMatchObject({ channel: 'D_ALICE', text: 'Noted' });
    expect(fake.messagesIn('D_ALICE').map((m) => m.text)).toEqual(['any news?', 'Noted']);
  });
});
