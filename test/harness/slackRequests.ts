import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  type EphemeralMessage,
  FAKE_BOT,
  FAKE_TEAM,
  type FakeSlack,
  isRecord,
  type JsonObject,
  recordsIn,
  type SlackMessage,
  type SlackView,
  stringAt,
} from './fakeSlack.js';
import type { StateValues } from './modalForm.js';

/**
 * Sends requests to a running app the way Slack does: the same content types, payload shapes and a
 * real `v0` HMAC signature, to the app's Slack receiver (`POST /slack/events`). Ids that Slack mints
 * (trigger_id, response_url) come from the FakeSlack, so it can check their use later.
 */

export const DEFAULT_USER = 'U_REQUESTER';
export const DEFAULT_CHANNEL = 'C_GENERAL';
/** The deprecated verification token Slack still puts in every payload; Bolt ignores it. */
const VERIFICATION_TOKEN = 'fAkEvErIfIcAtIoNtOkEn0';
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export interface SlackRequestsOptions {
  /** Where the app listens, e.g. `http://127.0.0.1:3000`. */
  appUrl: string;
  signingSecret: string;
  fake: FakeSlack;
  /** The app serves every Slack request at one path. */
  path?: string;
}

export interface SendOptions {
  /** Seconds; set it in the past to test stale requests. */
  timestamp?: number;
  /** Replaces the computed `x-slack-signature` (forged requests). */
  signature?: string;
  headers?: Record<string, string>;
}

export interface AppResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON (an empty ack is ''). */
  json: unknown;
}

export interface CommandOptions extends SendOptions {
  text?: string;
  user?: string;
  channel?: string;
  channelName?: string;
  command?: string;
}

export interface CommandResult extends AppResponse {
  triggerId: string;
  responseUrl: string;
  body: Record<string, string>;
}

export interface PayloadResult extends AppResponse {
  payload: JsonObject;
}

export interface InteractionResult extends PayloadResult {
  triggerId: string;
}

export interface ActionInput {
  action_id: string;
  /** Found from the message or view when left out. */
  block_id?: string;
  /** Found from the message or view when left out; required for elements not in them. */
  type?: string;
  value?: string;
  selected_option?: unknown;
  [field: string]: unknown;
}

export interface BlockActionsOptions extends SendOptions {
  user?: string;
  actions: ActionInput[];
  /** The channel of `message` (Slack payloads carry it beside the message). */
  channel?: string;
  /** A message as the fake stored it (`fake.message(channel, ts)`). */
  message?: SlackMessage;
  /** A modal or Home tab as the fake stored it (`fake.view(id)`, `fake.homeOf(user)`). */
  view?: SlackView;
  ephemeral?: EphemeralMessage;
  /** Merged over the container derived from the source. */
  container?: JsonObject;
  /** `state.values` of the surface when the action happened. */
  state?: StateValues;
}

export interface MessageShortcutOptions extends SendOptions {
  callback_id: string;
  user?: string;
  channel?: string;
  message: { ts: string; user?: string; text?: string; [field: string]: unknown };
}

export interface GlobalShortcutOptions extends SendOptions {
  callback_id: string;
  user?: string;
}

export interface ViewSubmissionOptions extends SendOptions {
  view: SlackView;
  user?: string;
  values: StateValues;
}

export interface ViewClosedOptions extends SendOptions {
  view: SlackView;
  user?: string;
  isCleared?: boolean;
}

export interface EventOptions extends SendOptions {
  eventId?: string;
  /** Slack's redelivery count: sends `x-slack-retry-num`. */
  retryNum?: number;
  /** e.g. `http_timeout`, `http_error`: sends `x-slack-retry-reason`. */
  retryReason?: string;
  eventTime?: number;
}

export interface EventResult extends AppResponse {
  eventId: string;
  envelope: JsonObject;
}

export interface UserMessageOptions {
  channel: string;
  user?: string;
  text: string;
  threadTs?: string;
}

export interface UserMessageResult extends EventResult {
  message: JsonObject;
}

/** `v0=HMAC-SHA256(secret, "v0:" + timestamp + ":" + rawBody)`, hex. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** An `action_ts`: epoch seconds with micros, as Slack writes it. */
function actionTs(): string {
  const micros = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function newEventId(): string {
  return `Ev${randomBytes(5).toString('hex').toUpperCase()}`;
}

/** What Slack calls a channel in payloads: DMs are "directmessage", `C_HELP_DESK` reads "help-desk". */
export function channelNameOf(channelId: string): string {
  if (channelId.startsWith('D')) return 'directmessage';
  return (
    channelId
      .replace(/^[CG]_?/, '')
      .toLowerCase()
      .replaceAll('_', '-') || channelId.toLowerCase()
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Where an action's element sits: blocks of `actions`, a section's accessory, an input's element. */
function interactiveElements(blocks: unknown[]): Array<{ blockId: string; element: JsonObject }> {
  return recordsIn(blocks).flatMap((block) => {
    const blockId = stringAt(block, 'block_id') ?? '';
    const candidates = [
      ...(block.type === 'actions' ? recordsIn(block.elements) : []),
      block.accessory,
      block.element,
    ];
    return candidates.filter(isRecord).map((element) => ({ blockId, element }));
  });
}

/** The fields Slack copies from the element into the action (the rest comes from the click). */
function elementFields(element: JsonObject): JsonObject {
  const copied = ['type', 'action_id', 'text', 'value', 'style', 'url', 'placeholder'];
  return Object.fromEntries(
    copied.filter((key) => element[key] !== undefined).map((key) => [key, element[key]]),
  );
}

function describeAction(input: ActionInput, blocks: unknown[]): JsonObject {
  const found = interactiveElements(blocks).find(
    ({ blockId, element }) =>
      element.action_id === input.action_id && (input.block_id === undefined || input.block_id === blockId),
  );
  if (found === undefined && input.type === undefined) {
    const known = interactiveElements(blocks).map(
      ({ blockId, element }) => `${blockId}/${String(element.action_id)}`,
    );
    throw new Error(
      `No element with action_id '${input.action_id}' in the source blocks (known: ${known.join(', ') || 'none'}). ` +
        'Pass `type` (and `block_id`) to send an action for an element that is not there.',
    );
  }
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  return {
    ...(found ? elementFields(found.element) : {}),
    ...(found ? { block_id: found.blockId } : {}),
    ...given,
    action_ts: actionTs(),
  };
}

/** view_submission lists a response_url per conversation chosen in a `response_url_enabled` select. */
function responseUrlsFor(view: SlackView, values: StateValues, fake: FakeSlack): JsonObject[] {
  return recordsIn(view.blocks).flatMap((block) => {
    const element = block.element;
    const blockId = stringAt(block, 'block_id');
    const actionId = stringAt(element, 'action_id');
    if (!isRecord(element) || element.response_url_enabled !== true || !blockId || !actionId) return [];
    const state = values[blockId]?.[actionId];
    const channelId = stringAt(state, 'selected_conversation') ?? stringAt(state, 'selected_channel');
    if (channelId === undefined) return [];
    return [
      { block_id: blockId, action_id: actionId, channel_id: channelId, response_url: fake.newResponseUrl() },
    ];
  });
}

/** Messages a person posts (no subtype, or these) exist in Slack once the event is sent. */
function isPostedMessage(event: JsonObject): boolean {
  const subtype = stringAt(event, 'subtype');
  return (
    event.type === 'message' &&
    (subtype === undefined || subtype === 'file_share' || subtype === 'thread_broadcast')
  );
}

export class SlackRequests {
  readonly fake: FakeSlack;
  private readonly endpoint: string;
  private readonly signingSecret: string;

  constructor({ appUrl, signingSecret, fake, path = '/slack/events' }: SlackRequestsOptions) {
    this.fake = fake;
    this.signingSecret = signingSecret;
    this.endpoint = new URL(path, appUrl).href;
  }

  /** Posts `body` as is, signed unless `opts.signature` says otherwise. */
  async postRaw(body: string, contentType: string, opts: SendOptions = {}): Promise<AppResponse> {
    const timestamp = opts.timestamp ?? nowSeconds();
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': opts.signature ?? slackSignature(this.signingSecret, timestamp, body),
        ...opts.headers,
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, json: parseJson(text) };
  }

  /** A slash command: a flat form body, as Slack posts it. */
  async command({
    text = '',
    user = DEFAULT_USER,
    channel = DEFAULT_CHANNEL,
    channelName = channelNameOf(channel),
    command = '/ticket',
    ...send
  }: CommandOptions = {}): Promise<CommandResult> {
    const triggerId = this.fake.newTriggerId();
    const responseUrl = this.fake.newResponseUrl();
    const body: Record<string, string> = {
      token: VERIFICATION_TOKEN,
      team_id: FAKE_TEAM.id,
      team_domain: FAKE_TEAM.domain,
      channel_id: channel,
      channel_name: channelName,
      user_id: user,
      user_name: this.fake.userInfo(user).name,
      command,
      text,
      api_app_id: FAKE_BOT.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    };
    const response = await this.postRaw(new URLSearchParams(body).toString(), FORM, send);
    return { ...response, triggerId, responseUrl, body };
  }

  async viewSubmission({
    view,
    user = DEFAULT_USER,
    values,
    ...send
  }: ViewSubmissionOptions): Promise<InteractionResult> {
    const triggerId = this.fake.newTriggerId();
    const payload: JsonObject = {
      type: 'view_submission',
      team: this.team(),
      user: this.user(user),
      api_app_id: FAKE_BOT.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      view: { ...view, state: { values } },
      response_urls: responseUrlsFor(view, values, this.fake),
      is_enterprise_install: false,
      enterprise: null,
    };
    return { ...(await this.sendPayload(payload, send)), triggerId };
  }

  async viewClosed({
    view,
    user = DEFAULT_USER,
    isCleared = false,
    ...send
  }: ViewClosedOptions): Promise<PayloadResult> {
    const payload: JsonObject = {
      type: 'view_closed',
      team: this.team(),
      user: this.user(user),
      api_app_id: FAKE_BOT.appId,
      token: VERIFICATION_TOKEN,
      view,
      is_cleared: isCleared,
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.sendPayload(payload, send);
  }

  /**
   * A click (or selection) on elements of a message, an ephemeral message, a modal or a Home tab. Each
   * action only needs its `action_id`: type, block_id, text and value are read from the source blocks.
   */
  async blockActions(options: BlockActionsOptions): Promise<InteractionResult & { responseUrl?: string }> {
    const {
      user = DEFAULT_USER,
      actions,
      channel,
      message,
      view,
      ephemeral,
      container,
      state,
      ...send
    } = options;
    const source = this.actionSource({ channel, message, view, ephemeral, state });
    const triggerId = this.fake.newTriggerId();
    const payload: JsonObject = {
      type: 'block_actions',
      user: this.user(user),
      api_app_id: FAKE_BOT.appId,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      team: this.team(),
      enterprise: null,
      is_enterprise_install: false,
      ...source.fields,
      container: { ...source.container, ...container },
      actions: actions.map((action) => describeAction(action, source.blocks)),
    };
    const responseUrl = stringAt(payload, 'response_url');
    return { ...(await this.sendPayload(payload, send)), triggerId, ...(responseUrl ? { responseUrl } : {}) };
  }

  /** The "…" menu of a message. The message is put in the fake if it is not there yet. */
  async messageShortcut({
    callback_id,
    user = DEFAULT_USER,
    channel = DEFAULT_CHANNEL,
    message,
    ...send
  }: MessageShortcutOptions): Promise<InteractionResult & { responseUrl: string }> {
    if (message.user !== undefined) this.fake.seedMessage(channel, { ...message, user: message.user });
    const triggerId = this.fake.newTriggerId();
    const responseUrl = this.fake.newResponseUrl();
    const payload: JsonObject = {
      type: 'message_action',
      token: VERIFICATION_TOKEN,
      action_ts: actionTs(),
      team: this.team(),
      user: this.user(user),
      channel: { id: channel, name: channelNameOf(channel) },
      is_enterprise_install: false,
      enterprise: null,
      callback_id,
      trigger_id: triggerId,
      response_url: responseUrl,
      message_ts: message.ts,
      message: { type: 'message', ...message },
    };
    return { ...(await this.sendPayload(payload, send)), triggerId, responseUrl };
  }

  async globalShortcut({
    callback_id,
    user = DEFAULT_USER,
    ...send
  }: GlobalShortcutOptions): Promise<InteractionResult> {
    const triggerId = this.fake.newTriggerId();
    const { name: _name, ...shortcutUser } = this.user(user);
    const payload: JsonObject = {
      type: 'shortcut',
      token: VERIFICATION_TOKEN,
      action_ts: actionTs(),
      team: this.team(),
      user: shortcutUser,
      is_enterprise_install: false,
      enterprise: null,
      callback_id,
      trigger_id: triggerId,
    };
    return { ...(await this.sendPayload(payload, send)), triggerId };
  }

  /**
   * An Events API delivery. Resend the same `eventId` with `retryNum` to play Slack's redelivery. A
   * message a person posted is put in the fake, since it now exists in Slack.
   */
  async event(
    event: JsonObject,
    { eventId = newEventId(), retryNum, retryReason, eventTime = nowSeconds(), ...send }: EventOptions = {},
  ): Promise<EventResult> {
    const ts = stringAt(event, 'ts');
    const channel = stringAt(event, 'channel');
    const user = stringAt(event, 'user');
    if (isPostedMessage(event) && ts && channel && user) {
      // History messages do not repeat the event's routing fields.
      const { channel: _channel, event_ts: _eventTs, channel_type: _channelType, ...stored } = event;
      this.fake.seedMessage(channel, { ...stored, ts, user });
    }
    const envelope: JsonObject = {
      token: VERIFICATION_TOKEN,
      team_id: FAKE_TEAM.id,
      context_team_id: FAKE_TEAM.id,
      context_enterprise_id: null,
      api_app_id: FAKE_BOT.appId,
      event: { event_ts: ts ?? `${eventTime}.000000`, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: eventTime,
      authorizations: [
        {
          enterprise_id: null,
          team_id: FAKE_TEAM.id,
          user_id: FAKE_BOT.userId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
      event_context: `4-${Buffer.from(eventId).toString('base64url')}`,
    };
    const headers: Record<string, string> = {
      ...(retryNum !== undefined ? { 'x-slack-retry-num': String(retryNum) } : {}),
      ...(retryReason !== undefined ? { 'x-slack-retry-reason': retryReason } : {}),
      ...send.headers,
    };
    const response = await this.postRaw(JSON.stringify(envelope), JSON_TYPE, { ...send, headers });
    return { ...response, eventId, envelope };
  }

  /** A person posts `text` in a channel, DM or thread: the `message` event Slack delivers for it. */
  async userMessage(
    { channel, user = DEFAULT_USER, text, threadTs }: UserMessageOptions,
    opts: EventOptions = {},
  ): Promise<UserMessageResult> {
    const ts = this.fake.nextTs();
    const parentUser = threadTs === undefined ? undefined : this.fake.message(channel, threadTs)?.user;
    const message: JsonObject = {
      type: 'message',
      user,
      text,
      ts,
      team: FAKE_TEAM.id,
      client_msg_id: randomUUID(),
      blocks: [
        {
          type: 'rich_text',
          block_id: randomBytes(3).toString('base64url'),
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      ],
      channel,
      event_ts: ts,
      channel_type: channel.startsWith('D') ? 'im' : channel.startsWith('G') ? 'group' : 'channel',
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      ...(parentUser !== undefined ? { parent_user_id: parentUser } : {}),
    };
    return { ...(await this.event(message, opts)), message };
  }

  private async sendPayload(payload: JsonObject, send: SendOptions): Promise<PayloadResult> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return { ...(await this.postRaw(body, FORM, send)), payload };
  }

  private team(): JsonObject {
    return { id: FAKE_TEAM.id, domain: FAKE_TEAM.domain };
  }

  private user(id: string): { id: string; username: string; name: string; team_id: string } {
    const { name } = this.fake.userInfo(id);
    return { id, username: name, name, team_id: FAKE_TEAM.id };
  }

  private actionSource(source: {
    channel: string | undefined;
    message: SlackMessage | undefined;
    view: SlackView | undefined;
    ephemeral: EphemeralMessage | undefined;
    state: StateValues | undefined;
  }): { blocks: unknown[]; container: JsonObject; fields: JsonObject } {
    const { channel, message, view, ephemeral, state } = source;
    if (view !== undefined) {
      return {
        blocks: view.blocks,
        container: { type: 'view', view_id: view.id },
        fields: { view: { ...view, state: { values: state ?? view.state.values } } },
      };
    }
    if (message !== undefined) {
      if (channel === undefined) throw new Error('blockActions: pass `channel` with `message`.');
      return {
        blocks: message.blocks ?? [],
        container: {
          type: 'message',
          message_ts: message.ts,
          channel_id: channel,
          is_ephemeral: false,
          ...(message.thread_ts !== undefined && message.thread_ts !== message.ts
            ? { thread_ts: message.thread_ts }
            : {}),
        },
        fields: {
          channel: { id: channel, name: channelNameOf(channel) },
          message: { ...message, type: 'message' },
          state: { values: state ?? {} },
          response_url: this.fake.newResponseUrl(),
        },
      };
    }
    if (ephemeral !== undefined) {
      // Slack does not send the ephemeral message itself back, only where it was.
      return {
        blocks: ephemeral.blocks ?? [],
        container: {
          type: 'message',
          message_ts: ephemeral.ts,
          channel_id: ephemeral.channel,
          is_ephemeral: true,
        },
        fields: {
          channel: { id: ephemeral.channel, name: channelNameOf(ephemeral.channel) },
          state: { values: state ?? {} },
          response_url: this.fake.newResponseUrl(),
        },
      };
    }
    throw new Error(
      'blockActions: pass the `message` (with `channel`), `ephemeral` or `view` the user clicked in.',
    );
  }
}
