import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Slack Web API over real HTTP. Point the real `WebClient` at it with
 * `new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } })` (or Bolt's
 * `clientOptions`), so the app's requests go through the same serialisation, retries and error
 * classes as in production. It keeps enough state (messages, threads, views, Home tabs) for later
 * calls to answer consistently, records every call, and can answer with faults Slack really produces.
 */

// ---------------------------------------------------------------------------------------------------
// JSON narrowing, shared by the other harness files.

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringAt(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}

export function recordsIn(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

// ---------------------------------------------------------------------------------------------------
// Who the fake workspace is.

export const FAKE_TEAM = {
  id: 'T0FOLIO',
  domain: 'acme',
  name: 'Acme',
  url: 'https://acme.slack.com/',
} as const;
export const FAKE_BOT = { userId: 'UFOLIOBOT', botId: 'BFOLIOBOT', appId: 'A0FOLIO', name: 'folio' } as const;
/** The bot token the test app runs with: the only one the fake's file downloads accept. */
export const FAKE_BOT_TOKEN = 'xoxb-test-token';

/**
 * What the fake records (and can be told to fail, with `fail`) besides Web API methods: the bytes of
 * an upload posted to the URL files.getUploadURLExternal handed out, and a file's download.
 */
export const FILE_ROUTES = {
  upload: 'POST upload_url',
  download: 'GET url_private_download',
} as const;

// ---------------------------------------------------------------------------------------------------
// Public types.

export type Fault =
  | { kind: 'ratelimited'; retryAfter: number }
  | { kind: 'server_error' }
  | { kind: 'slow'; delayMs: number }
  /** Acts, sends the answer's headers and the start of its body, and the rest after `delayMs`. */
  | { kind: 'slow_body'; delayMs: number }
  | { kind: 'error'; error: string };

export interface RecordedCall {
  readonly method: string;
  /** Arguments as Slack receives them: form values are strings, JSON-looking values are decoded. */
  readonly args: JsonObject;
  readonly token: string | undefined;
  /** `Date.now()` when the request arrived. */
  readonly at: number;
  readonly fault: Fault | undefined;
  /** The JSON body the fake answered with; set once the answer is computed. */
  answer: JsonObject | undefined;
}

export interface RecordedResponse {
  readonly url: string;
  readonly body: JsonObject;
  readonly at: number;
}

export type MethodHandler = (args: JsonObject, call: RecordedCall) => JsonObject | Promise<JsonObject>;

export interface WaitOptions {
  timeoutMs?: number;
}

export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

/** A message as `conversations.history` returns it. */
export interface SlackMessage {
  type: 'message';
  ts: string;
  user: string;
  text: string;
  team: string;
  bot_id?: string;
  app_id?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  metadata?: unknown;
  edited?: { user: string; ts: string };
  reply_count?: number;
  latest_reply?: string;
  reactions?: Reaction[];
  [extra: string]: unknown;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
}

/** A view as Slack stores it and returns it from `views.*` (the shape of `body.view` in payloads). */
export interface SlackView {
  id: string;
  team_id: string;
  type: string;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  state: { values: JsonObject };
  hash: string;
  title: unknown;
  close: unknown;
  submit: unknown;
  clear_on_close: boolean;
  notify_on_close: boolean;
  previous_view_id: string | null;
  root_view_id: string;
  app_id: string;
  external_id: string;
  app_installed_team_id: string;
  bot_id: string;
  [extra: string]: unknown;
}

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  is_admin: boolean;
  is_owner: boolean;
  is_bot: boolean;
  deleted: boolean;
  profile: { real_name: string; display_name: string; email: string };
}

export type UserOverrides = Partial<Omit<SlackUser, 'profile'>> & { profile?: Partial<SlackUser['profile']> };

/** A file as `files.info` and messages describe it. */
export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  size: number;
  is_public: boolean;
  url_private: string;
  url_private_download: string;
  permalink: string;
  channels: string[];
  groups: string[];
  ims: string[];
  [extra: string]: unknown;
}

/** A file the app uploaded and completed (files.uploadV2), as the fake received it. */
export interface RecordedUpload {
  fileId: string;
  /** The filename given to files.getUploadURLExternal. */
  name: string;
  title: string;
  /** How many bytes were posted to the upload URL. */
  bytes: number;
  content: Buffer;
  /** Where it was shared; undefined for a file kept private (no channel_id). */
  channel: string | undefined;
  threadTs: string | undefined;
  initialComment: string | undefined;
  at: number;
}

// ---------------------------------------------------------------------------------------------------
// Small pure helpers.

const TRIGGER_LIFETIME_MS = 3000;
const DEFAULT_WAIT_MS = 5000;
const DEFAULT_HISTORY_LIMIT = 100;

/** Arguments that are free text: a subject such as "[urgent] printer" must not be JSON-decoded. */
const FREE_TEXT_ARGS = new Set(['text', 'markdown_text', 'initial_comment', 'alt_text', 'title', 'query']);

/** Slack timestamps are "seconds.micros"; as a number of micros they fit in a double exactly. */
export function tsToMicros(ts: string): number {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return Number(seconds) * 1_000_000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** A direct-message channel id for a user: Slack answers `chat.postMessage(channel: U…)` in a D… channel. */
export function dmChannelOf(userId: string): string {
  return `D${userId.slice(1)}`;
}

function isUserId(id: string): boolean {
  return /^[UW]/.test(id);
}

function answerError(error: string): JsonObject {
  return { ok: false, error };
}

/** Form values arrive as strings ("true", "10"); JSON bodies may carry real booleans and numbers. */
function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function integer(value: unknown, fallback: number): number {
  const parsed = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

function optionalArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function decodeJsonLooking(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || FREE_TEXT_ARGS.has(key)) return value;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Decodes a Web API request. @slack/web-api sends `application/x-www-form-urlencoded` with every
 * non-scalar argument JSON-stringified and numbers/booleans as strings; other clients send JSON.
 */
export function parseApiArgs(
  contentType: string | undefined,
  rawBody: string,
  query: URLSearchParams,
): JsonObject {
  const args: JsonObject = Object.fromEntries(query);
  if (contentType?.includes('application/json') && rawBody.trim() !== '') {
    const parsed: unknown = JSON.parse(rawBody);
    if (isRecord(parsed)) Object.assign(args, parsed);
  } else if (rawBody !== '') {
    Object.assign(args, Object.fromEntries(new URLSearchParams(rawBody)));
  }
  for (const [key, value] of Object.entries(args)) args[key] = decodeJsonLooking(key, value);
  return args;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/**
 * The bytes posted to an upload URL: @slack/web-api sends them as multipart/form-data (one part,
 * named `body`); other clients post them raw, which Slack's upload URLs accept too.
 */
async function uploadedBytes(contentType: string | undefined, body: Buffer): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return body;
  const form = await new Response(new Uint8Array(body), {
    headers: { 'content-type': contentType },
  }).formData();
  const part = form.get('body') ?? [...form.values()].find((value) => typeof value !== 'string');
  if (part === null || part === undefined) return Buffer.alloc(0);
  return typeof part === 'string' ? Buffer.from(part) : Buffer.from(await part.arrayBuffer());
}

/** Enough of a type guess for the fake: Slack derives a file's mimetype from its name and bytes. */
const MIMETYPES: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  zip: 'application/zip',
  json: 'application/json',
};

function mimetypeOf(name: string): string {
  return MIMETYPES[filetypeOf(name)] ?? 'application/octet-stream';
}

/** A file type as Slack names it, from the file name's extension. */
function filetypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : 'binary';
}

function describeCall(call: RecordedCall): string {
  const args = JSON.stringify(call.args);
  const fault = call.fault ? ` [fault: ${call.fault.kind}]` : '';
  return `${call.method} ${args.length > 200 ? `${args.slice(0, 200)}…` : args}${fault}`;
}

/**
 * Slack gives every block without a `block_id`, and every interactive element without an
 * `action_id`, a generated one. The fake does it deterministically (by position) so a ModalForm built
 * from the arguments of `views.open` and the view the fake stored agree on the ids.
 */
export function withGeneratedIds(blocks: unknown[]): unknown[] {
  return blocks.map((block, blockIndex) => {
    if (!isRecord(block)) return block;
    const withId: JsonObject = { ...block, block_id: stringAt(block, 'block_id') ?? `auto_b${blockIndex}` };
    const name = (index: number) => `auto_b${blockIndex}_a${index}`;
    if (isRecord(block.element)) withId.element = withActionId(block.element, name(0));
    if (isRecord(block.accessory)) withId.accessory = withActionId(block.accessory, name(0));
    if (Array.isArray(block.elements) && block.type === 'actions') {
      withId.elements = block.elements.map((element, index) =>
        isRecord(element) ? withActionId(element, name(index)) : element,
      );
    }
    return withId;
  });
}

function withActionId(element: JsonObject, generated: string): JsonObject {
  // An image accessory is not interactive and gets no action_id.
  if (element.type === 'image') return element;
  return { ...element, action_id: stringAt(element, 'action_id') ?? generated };
}

/** Name, offset and label of a time zone at a moment, so an overridden `tz` stays coherent. */
function timeZoneFacts(tz: string, at: Date): { tz_label: string; tz_offset: number } {
  const part = (timeZoneName: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const seconds = offset
    ? (Number(offset[2]) * 3600 + Number(offset[3]) * 60) * (offset[1] === '-' ? -1 : 1)
    : 0;
  return { tz_label: part('long'), tz_offset: seconds };
}

/** `U_ALICE_SMITH` → name `alice.smith`, real name `Alice Smith`: readable in test output. */
export function defaultUser(id: string): SlackUser {
  const words = id
    .replace(/^[UW]_?/, '')
    .toLowerCase()
    .split('_')
    .filter(Boolean);
  const name = words.length > 0 ? words.join('.') : id.toLowerCase();
  const realName = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') || id;
  const tz = 'Europe/Madrid';
  return {
    id,
    team_id: FAKE_TEAM.id,
    name,
    real_name: realName,
    tz,
    ...timeZoneFacts(tz, new Date()),
    is_admin: false,
    is_owner: false,
    is_bot: false,
    deleted: false,
    profile: { real_name: realName, display_name: name, email: `${name}@acme.test` },
  };
}

// ---------------------------------------------------------------------------------------------------
// The fake.

interface PendingFault {
  fault: Fault;
  remaining: number;
  when: ((args: JsonObject) => boolean) | undefined;
}

interface HttpAnswer {
  status: number;
  headers?: Record<string, string>;
  /** JSON for the Web API; response URLs answer plain text, as Slack's do; files their bytes. */
  body: JsonObject | string | Buffer;
}

interface StoredFile {
  file: SlackFile;
  content: Buffer;
  deleted: boolean;
}

/** An upload begun with files.getUploadURLExternal; `content` once its bytes were posted. */
interface PendingUpload {
  fileId: string;
  filename: string;
  length: number;
  content: Buffer | undefined;
}

export class FakeSlack {
  readonly baseUrl: string;
  /** Give this to `WebClient` as `slackApiUrl`. */
  readonly apiUrl: string;

  private readonly recorded: RecordedCall[] = [];
  private readonly recordedResponses: RecordedResponse[] = [];
  private readonly channels = new Map<string, SlackMessage[]>();
  private readonly storedEphemerals: EphemeralMessage[] = [];
  private readonly views = new Map<string, SlackView>();
  private readonly homes = new Map<string, SlackView>();
  private readonly userOverrides = new Map<string, UserOverrides>();
  private readonly overrides = new Map<string, MethodHandler>();
  private readonly faults = new Map<string, PendingFault[]>();
  private readonly triggers = new Map<string, { mintedAt: number; used: boolean }>();
  private readonly responseUrlIds = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private readonly files = new Map<string, StoredFile>();
  /** By the secret part of their upload URL. */
  private readonly pendingUploads = new Map<string, PendingUpload>();
  private readonly recordedUploads: RecordedUpload[] = [];
  private lastMicros = 0;
  private fileCount = 0;
  private viewCount = 0;
  private mintCount = 0;
  private lastViewId: string | undefined;

  private constructor(private readonly server: Server) {
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
  }

  static async start(): Promise<FakeSlack> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const fake = new FakeSlack(server);
    server.on('request', (req, res) => {
      fake.route(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          send(res, { status: 500, body: answerError(`fake_slack_crashed: ${String(error)}`) });
      });
    });
    return fake;
  }

  async close(): Promise<void> {
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.wake();
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets calls, responses, messages, views, users, custom answers and faults. */
  reset(): void {
    this.recorded.length = 0;
    this.recordedResponses.length = 0;
    this.channels.clear();
    this.storedEphemerals.length = 0;
    this.views.clear();
    this.homes.clear();
    this.userOverrides.clear();
    this.overrides.clear();
    this.faults.clear();
    this.triggers.clear();
    this.responseUrlIds.clear();
    this.files.clear();
    this.pendingUploads.clear();
    this.recordedUploads.length = 0;
    this.lastViewId = undefined;
  }

  // ----- queries ------------------------------------------------------------------------------------

  get calls(): readonly RecordedCall[] {
    return this.recorded;
  }

  callsTo(method: string): RecordedCall[] {
    return this.recorded.filter((call) => call.method === method);
  }

  /** The first call to `method` matching `predicate`, already made or still to come. */
  waitForCall(
    method: string,
    predicate: (args: JsonObject, call: RecordedCall) => boolean = () => true,
    { timeoutMs = DEFAULT_WAIT_MS }: WaitOptions = {},
  ): Promise<RecordedCall> {
    return this.waitUntil(
      () => this.answeredCallsTo(method).find((call) => predicate(call.args, call)),
      () => `waitForCall('${method}') timed out after ${timeoutMs} ms. ${this.describeCalls()}`,
      timeoutMs,
    );
  }

  /** The first `count` calls to `method` matching `predicate`. */
  waitForCalls(
    method: string,
    count: number,
    predicate: (args: JsonObject, call: RecordedCall) => boolean = () => true,
    { timeoutMs = DEFAULT_WAIT_MS }: WaitOptions = {},
  ): Promise<RecordedCall[]> {
    return this.waitUntil(
      () => {
        const matching = this.answeredCallsTo(method).filter((call) => predicate(call.args, call));
        return matching.length >= count ? matching.slice(0, count) : undefined;
      },
      () => `waitForCalls('${method}', ${count}) timed out after ${timeoutMs} ms. ${this.describeCalls()}`,
      timeoutMs,
    );
  }

  get responses(): readonly RecordedResponse[] {
    return this.recordedResponses;
  }

  waitForResponse(
    predicate: (body: JsonObject, response: RecordedResponse) => boolean = () => true,
    { timeoutMs = DEFAULT_WAIT_MS }: WaitOptions = {},
  ): Promise<RecordedResponse> {
    return this.waitUntil(
      () => this.recordedResponses.find((response) => predicate(response.body, response)),
      () =>
        `waitForResponse() timed out after ${timeoutMs} ms. Responses (${this.recordedResponses.length}): ` +
        this.recordedResponses.map((r) => `\n  ${r.url} ${JSON.stringify(r.body)}`).join(''),
      timeoutMs,
    );
  }

  // ----- state --------------------------------------------------------------------------------------

  /** Top-level messages and thread replies of a channel, oldest first. */
  messagesIn(channel: string): SlackMessage[] {
    return [...(this.channels.get(channel) ?? [])];
  }

  message(channel: string, ts: string): SlackMessage | undefined {
    return this.channels.get(channel)?.find((m) => m.ts === ts);
  }

  dmChannelOf(userId: string): string {
    return dmChannelOf(userId);
  }

  view(id: string): SlackView | undefined {
    return this.views.get(id);
  }

  /** The modal most recently opened, pushed or updated. */
  lastView(): SlackView | undefined {
    return this.lastViewId === undefined ? undefined : this.views.get(this.lastViewId);
  }

  /** The Home tab last published for a user. */
  homeOf(userId: string): SlackView | undefined {
    return this.homes.get(userId);
  }

  get ephemerals(): readonly EphemeralMessage[] {
    return this.storedEphemerals;
  }

  userInfo(id: string): SlackUser {
    const base = defaultUser(id);
    const override = this.userOverrides.get(id) ?? {};
    const tz = override.tz ?? base.tz;
    return {
      ...base,
      ...timeZoneFacts(tz, new Date()),
      ...override,
      profile: { ...base.profile, ...override.profile },
    };
  }

  /** Changes what `users.info` says about a user (name, tz, is_admin, deleted…) until `reset()`. */
  setUser(id: string, fields: UserOverrides): void {
    const previous = this.userOverrides.get(id);
    this.userOverrides.set(id, {
      ...previous,
      ...fields,
      profile: { ...previous?.profile, ...fields.profile },
    });
  }

  /**
   * Gives a user an address: `users.lookupByEmail` finds them by it (case aside) until `reset()`.
   * Only users given an address this way (or with `setUser(id, { profile: { email } })`) are found.
   */
  setUserEmail(id: string, email: string): void {
    this.setUser(id, { profile: { email } });
  }

  /** The user whose address is `email`, among those a test gave one. */
  userByEmail(email: string): SlackUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const [id, override] of this.userOverrides) {
      if (override.profile?.email?.toLowerCase() === wanted) return this.userInfo(id);
    }
    return undefined;
  }

  /**
   * Puts a file in the workspace, as if a person had uploaded it: `files.info` describes it and its
   * `url_private_download` serves `content` to the bot token.
   */
  addFile(o: { name: string; content: Buffer | string; mimetype?: string; user?: string }): SlackFile {
    const content = typeof o.content === 'string' ? Buffer.from(o.content) : o.content;
    return this.storeFile({
      name: o.name,
      title: o.name,
      mimetype: o.mimetype ?? 'application/octet-stream',
      user: o.user ?? 'U_SOMEONE',
      content,
    }).file;
  }

  /** Deletes a file: `files.info` answers `file_deleted` and its download is gone. */
  deleteFile(id: string): void {
    const stored = this.files.get(id);
    if (stored) stored.deleted = true;
  }

  /** A file the fake holds, with its bytes. */
  file(id: string): { file: SlackFile; content: Buffer; deleted: boolean } | undefined {
    return this.files.get(id);
  }

  /** The files the app uploaded with files.uploadV2 and completed, oldest first. */
  get uploads(): readonly RecordedUpload[] {
    return this.recordedUploads;
  }

  /**
   * Puts a message in a channel as if a person had posted it (events and shortcuts refer to messages
   * that exist in Slack). Keeps an existing message with the same ts.
   */
  seedMessage(channel: string, message: Partial<SlackMessage> & { user: string }): SlackMessage {
    const existing = message.ts === undefined ? undefined : this.message(channel, message.ts);
    if (existing) return existing;
    const stored: SlackMessage = {
      text: '',
      team: FAKE_TEAM.id,
      ...message,
      ...(message.blocks ? { blocks: withGeneratedIds(message.blocks) } : {}),
      type: 'message',
      ts: message.ts ?? this.nextTs(),
    };
    this.insertMessage(channel, stored);
    return stored;
  }

  /** A fresh message ts, later than every one handed out before. */
  /** Like Slack's, a message ts is the time it was posted; two in the same microsecond still differ. */
  nextTs(): string {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 100);
    return microsToTs(this.lastMicros);
  }

  /** A trigger_id that, like Slack's, works once and expires after 3 s. */
  newTriggerId(): string {
    this.mintCount += 1;
    const id = `${1_000_000_000 + this.mintCount}.${FAKE_TEAM.id.length}${this.mintCount}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { mintedAt: Date.now(), used: false });
    return id;
  }

  /** A URL Bolt's `respond()` can post to; posts are recorded in `responses`. */
  newResponseUrl(): string {
    this.mintCount += 1;
    const id = `${FAKE_TEAM.id}/${this.mintCount}/${randomBytes(12).toString('hex')}`;
    this.responseUrlIds.add(id);
    return `${this.baseUrl}/respond/${id}`;
  }

  // ----- scripting ----------------------------------------------------------------------------------

  /** Answers `method` with `handler` instead of the default until `reset()`. `ok: true` is implied. */
  on(method: string, handler: MethodHandler): void {
    this.overrides.set(method, handler);
  }

  /**
   * Applies `fault` to the next `times` calls of `method` (those whose arguments match `when`, if
   * given); the calls are still recorded.
   */
  fail(
    method: string,
    fault: Fault,
    { times = 1, when }: { times?: number; when?: (args: JsonObject) => boolean } = {},
  ): void {
    const queue = this.faults.get(method) ?? [];
    queue.push({ fault, remaining: times, when });
    this.faults.set(method, queue);
  }

  // ----- HTTP ---------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const body = raw.toString('utf8');
    if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
      send(res, this.recordResponse(url, req.headers['content-type'], body));
    } else if (url.pathname.startsWith('/api/')) {
      await this.serveApiCall(url, req, body, res);
    } else if (req.method === 'POST' && url.pathname.startsWith('/upload/v1/')) {
      const secret = url.pathname.slice('/upload/v1/'.length);
      const bytes = await uploadedBytes(req.headers['content-type'], raw);
      const upload = this.pendingUploads.get(secret);
      await this.serveFileRoute(
        FILE_ROUTES.upload,
        { file_id: upload?.fileId, bytes: bytes.length },
        req,
        res,
        () => this.receiveUpload(upload, bytes),
      );
    } else if (req.method === 'GET' && url.pathname.startsWith('/files-pri/')) {
      const [path = '', ...rest] = url.pathname.slice('/files-pri/'.length).split('/');
      const fileId = path.slice(`${FAKE_TEAM.id}-`.length);
      const download = rest[0] === 'download' && rest.length === 2;
      await this.serveFileRoute(FILE_ROUTES.download, { file_id: fileId }, req, res, () =>
        this.serveFile(fileId, bearerToken(req), download),
      );
    } else if (req.method === 'GET' && url.pathname === '/signin') {
      send(res, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: SIGN_IN_PAGE });
    } else {
      send(res, { status: 404, body: answerError('not_found') });
    }
  }

  /** An upload's bytes arrive at the URL files.getUploadURLExternal gave; Slack answers `OK - <length>`. */
  private receiveUpload(upload: PendingUpload | undefined, bytes: Buffer): HttpAnswer {
    if (upload === undefined) return { status: 404, body: 'upload_url_not_found' };
    upload.content = bytes;
    return { status: 200, body: `OK - ${bytes.length}` };
  }

  /**
   * A file's bytes, for the bot token only. Without it Slack does not refuse with an error status: it
   * redirects to its sign-in page, which answers 200 with HTML.
   */
  private serveFile(fileId: string, token: string | undefined, download: boolean): HttpAnswer {
    if (token !== FAKE_BOT_TOKEN)
      return { status: 302, headers: { location: `${this.baseUrl}/signin` }, body: '' };
    const stored = this.files.get(fileId);
    if (stored === undefined || stored.deleted) return { status: 404, body: 'file_not_found' };
    const disposition = download
      ? `attachment; filename="${encodeURIComponent(stored.file.name)}"`
      : 'inline';
    return {
      status: 200,
      headers: { 'content-type': stored.file.mimetype, 'content-disposition': disposition },
      body: stored.content,
    };
  }

  /** Records a request to a file route as a call of `method`, and answers it (or its fault). */
  private async serveFileRoute(
    method: string,
    args: JsonObject,
    req: IncomingMessage,
    res: ServerResponse,
    act: () => HttpAnswer,
  ): Promise<void> {
    const call: RecordedCall = {
      method,
      args,
      token: bearerToken(req),
      at: Date.now(),
      fault: this.takeFault(method, args),
      answer: undefined,
    };
    this.recorded.push(call);
    const fault = call.fault;
    let answer: HttpAnswer;
    if (fault?.kind === 'ratelimited')
      answer = { status: 429, headers: { 'retry-after': String(fault.retryAfter) }, body: 'ratelimited' };
    else if (fault?.kind === 'server_error') answer = { status: 500, body: 'internal_error' };
    else if (fault?.kind === 'error') answer = { status: 400, body: fault.error };
    else answer = act();
    call.answer = { status: answer.status };
    this.notify();
    if (fault?.kind === 'slow') await this.sleep(fault.delayMs);
    if (fault?.kind === 'slow_body') await this.sendSlowly(res, answer, fault.delayMs);
    else if (!res.destroyed) send(res, answer);
  }

  private async serveApiCall(
    url: URL,
    req: IncomingMessage,
    rawBody: string,
    res: ServerResponse,
  ): Promise<void> {
    const method = url.pathname.slice('/api/'.length);
    const args = parseApiArgs(req.headers['content-type'], rawBody, url.searchParams);
    const call: RecordedCall = {
      method,
      args,
      token: bearerToken(req) ?? stringAt(args, 'token'),
      at: Date.now(),
      fault: this.takeFault(method, args),
      answer: undefined,
    };
    this.recorded.push(call);
    const answer = await this.answerWithFault(call);
    call.answer =
      typeof answer.body === 'string' || Buffer.isBuffer(answer.body)
        ? { raw: String(answer.body) }
        : answer.body;
    this.notify();
    // A slow answer has already taken effect: a client that times out and retries posts twice, as in Slack.
    if (call.fault?.kind === 'slow') await this.sleep(call.fault.delayMs);
    if (call.fault?.kind === 'slow_body') await this.sendSlowly(res, answer, call.fault.delayMs);
    else if (!res.destroyed) send(res, answer);
  }

  /** The headers and the first half of the body now, the rest after `delayMs` (unless the client left). */
  private async sendSlowly(res: ServerResponse, answer: HttpAnswer, delayMs: number): Promise<void> {
    const body =
      typeof answer.body === 'string' || Buffer.isBuffer(answer.body)
        ? answer.body
        : JSON.stringify(answer.body);
    const half = Math.floor(body.length / 2);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.write(body.slice(0, half));
    await this.sleep(delayMs);
    if (!res.destroyed) res.end(body.slice(half));
  }

  private async answerWithFault(call: RecordedCall): Promise<HttpAnswer> {
    const fault = call.fault;
    if (fault === undefined) return { status: 200, body: await this.answer(call) };
    switch (fault.kind) {
      case 'ratelimited':
        return {
          status: 429,
          headers: { 'retry-after': String(fault.retryAfter) },
          body: answerError('ratelimited'),
        };
      case 'server_error':
        return { status: 500, body: answerError('internal_error') };
      case 'error':
        return { status: 200, body: answerError(fault.error) };
      case 'slow':
      case 'slow_body':
        return { status: 200, body: await this.answer(call) };
      default: {
        const unknownFault: never = fault;
        throw new Error(`Unknown fault ${JSON.stringify(unknownFault)}`);
      }
    }
  }

  private async answer(call: RecordedCall): Promise<JsonObject> {
    const handler = this.overrides.get(call.method) ?? this.defaultHandlers[call.method];
    if (handler === undefined) return answerError('unknown_method');
    try {
      return { ok: true, ...(await handler(call.args, call)) };
    } catch (error) {
      // A throwing custom handler is a bug in the test: make it visible in the app's error, not a hang.
      return { ok: false, error: 'fake_handler_threw', detail: String(error) };
    }
  }

  private recordResponse(url: URL, contentType: string | undefined, rawBody: string): HttpAnswer {
    const id = url.pathname.slice('/respond/'.length);
    if (!this.responseUrlIds.has(id)) return { status: 404, body: 'expired_url' };
    this.recordedResponses.push({
      url: url.href,
      body: parseResponseBody(contentType, rawBody),
      at: Date.now(),
    });
    this.notify();
    return { status: 200, body: 'ok' };
  }

  private takeFault(method: string, args: JsonObject): Fault | undefined {
    const queue = this.faults.get(method) ?? [];
    const index = queue.findIndex((p) => p.when === undefined || p.when(args));
    const pending = queue[index];
    if (pending === undefined) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) queue.splice(index, 1);
    return pending.fault;
  }

  private answeredCallsTo(method: string): RecordedCall[] {
    return this.recorded.filter((call) => call.method === method && call.answer !== undefined);
  }

  private describeCalls(): string {
    if (this.recorded.length === 0) return 'No calls were recorded.';
    return `Recorded calls (${this.recorded.length}):${this.recorded.map((c) => `\n  ${describeCall(c)}`).join('')}`;
  }

  private waitUntil<T>(
    find: () => T | undefined,
    describeTimeout: () => string,
    timeoutMs: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        try {
          const found = find();
          if (found === undefined) return false;
          resolve(found);
        } catch (error) {
          reject(error);
        }
        return true;
      };
      if (check()) return;
      const stop = () => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = () => {
        if (check()) stop();
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => sleeper.wake(), ms),
        wake: () => {
          this.sleepers.delete(sleeper);
          resolve();
        },
      };
      this.sleepers.add(sleeper);
    });
  }

  // ----- default answers ----------------------------------------------------------------------------

  private readonly defaultHandlers: Record<string, (args: JsonObject) => JsonObject> = {
    'auth.test': () => ({
      url: FAKE_TEAM.url,
      team: FAKE_TEAM.name,
      user: FAKE_BOT.name,
      team_id: FAKE_TEAM.id,
      user_id: FAKE_BOT.userId,
      bot_id: FAKE_BOT.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (args) => this.postMessage(args),
    'chat.update': (args) => this.updateMessage(args),
    'chat.delete': (args) => this.deleteMessage(args),
    'chat.postEphemeral': (args) => this.postEphemeral(args),
    'chat.getPermalink': (args) => this.permalink(args),
    'conversations.open': (args) => this.openConversation(args),
    'conversations.history': (args) => this.history(args),
    'conversations.replies': (args) => this.replies(args),
    'views.open': (args) => this.openView(args),
    'views.push': (args) => this.openView(args),
    'views.update': (args) => this.updateView(args),
    'views.publish': (args) => this.publishView(args),
    'users.info': (args) => ({ user: this.userInfo(stringAt(args, 'user') ?? '') }),
    'reactions.add': (args) => this.addReaction(args),
    'users.lookupByEmail': (args) => this.lookupByEmail(args),
    'files.getUploadURLExternal': (args) => this.getUploadUrl(args),
    'files.completeUploadExternal': (args) => this.completeUpload(args),
    'files.info': (args) => this.fileInfo(args),
  };

  private lookupByEmail(args: JsonObject): JsonObject {
    const email = stringAt(args, 'email');
    if (email === undefined || email === '') return answerError('invalid_arguments');
    const user = this.userByEmail(email);
    return user ? { user } : answerError('users_not_found');
  }

  private getUploadUrl(args: JsonObject): JsonObject {
    const filename = stringAt(args, 'filename');
    const length = Number(args.length);
    if (!filename || !Number.isInteger(length) || length < 0) return answerError('invalid_arguments');
    this.fileCount += 1;
    const fileId = `F${String(this.fileCount).padStart(9, '0')}`;
    const secret = randomBytes(12).toString('hex');
    this.pendingUploads.set(secret, { fileId, filename, length, content: undefined });
    return { upload_url: `${this.baseUrl}/upload/v1/${secret}`, file_id: fileId };
  }

  private completeUpload(args: JsonObject): JsonObject {
    const wanted = recordsIn(args.files);
    if (wanted.length === 0) return answerError('invalid_arguments');
    const channel = stringAt(args, 'channel_id') ?? stringAt(args, 'channels');
    const threadTs = stringAt(args, 'thread_ts');
    if (threadTs !== undefined && channel === undefined) return answerError('invalid_arguments');
    const initialComment = stringAt(args, 'initial_comment');
    const pending = [...this.pendingUploads.entries()];
    const uploads = wanted.map((entry) =>
      pending.find(([, upload]) => upload.fileId === stringAt(entry, 'id')),
    );
    // Only an upload whose bytes arrived can be completed, and only once.
    if (uploads.some((found) => found?.[1].content === undefined)) return answerError('file_not_found');
    const files = uploads.flatMap((found, index) => {
      if (found === undefined) return [];
      const [secret, upload] = found;
      const content = upload.content ?? Buffer.alloc(0);
      this.pendingUploads.delete(secret);
      const title = stringAt(wanted[index], 'title') ?? upload.filename;
      const stored = this.storeFile({
        id: upload.fileId,
        name: upload.filename,
        title,
        mimetype: mimetypeOf(upload.filename),
        user: FAKE_BOT.userId,
        content,
        ...(channel ? { channel } : {}),
      });
      this.recordedUploads.push({
        fileId: upload.fileId,
        name: upload.filename,
        title,
        bytes: content.length,
        content,
        channel: channel ? this.resolveChannel(channel) : undefined,
        threadTs,
        initialComment,
        at: Date.now(),
      });
      return [stored.file];
    });
    const shareIn = this.resolveChannel(channel);
    if (shareIn !== undefined) {
      // Sharing posts one message with the files (its text the initial comment), as the bot.
      this.insertMessage(shareIn, {
        type: 'message',
        ts: this.nextTs(),
        user: FAKE_BOT.userId,
        bot_id: FAKE_BOT.botId,
        app_id: FAKE_BOT.appId,
        team: FAKE_TEAM.id,
        text: initialComment ?? '',
        files,
        upload: true,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    }
    return { files };
  }

  private fileInfo(args: JsonObject): JsonObject {
    const stored = this.files.get(stringAt(args, 'file') ?? '');
    if (stored === undefined) return answerError('file_not_found');
    if (stored.deleted) return answerError('file_deleted');
    return { file: stored.file, comments: [], response_metadata: { next_cursor: '' } };
  }

  private storeFile(o: {
    id?: string;
    name: string;
    title: string;
    mimetype: string;
    user: string;
    content: Buffer;
    channel?: string;
  }): StoredFile {
    let id = o.id;
    if (id === undefined) {
      this.fileCount += 1;
      id = `F${String(this.fileCount).padStart(9, '0')}`;
    }
    const created = Math.floor(Date.now() / 1000);
    const path = `${FAKE_TEAM.id}-${id}`;
    const name = encodeURIComponent(o.name);
    const channel = o.channel === undefined ? undefined : this.resolveChannel(o.channel);
    const stored: StoredFile = {
      file: {
        id,
        created,
        timestamp: created,
        name: o.name,
        title: o.title,
        mimetype: o.mimetype,
        filetype: filetypeOf(o.name),
        pretty_type: filetypeOf(o.name).toUpperCase(),
        user: o.user,
        size: o.content.length,
        is_public: channel?.startsWith('C') ?? false,
        url_private: `${this.baseUrl}/files-pri/${path}/${name}`,
        url_private_download: `${this.baseUrl}/files-pri/${path}/download/${name}`,
        permalink: `${FAKE_TEAM.url}files/${o.user}/${id}/${name}`,
        channels: channel?.startsWith('C') ? [channel] : [],
        groups: channel?.startsWith('G') ? [channel] : [],
        ims: channel?.startsWith('D') ? [channel] : [],
      },
      content: o.content,
      deleted: false,
    };
    this.files.set(id, stored);
    return stored;
  }

  private resolveChannel(channel: string | undefined): string | undefined {
    if (channel === undefined || channel === '') return undefined;
    return isUserId(channel) ? dmChannelOf(channel) : channel;
  }

  private postMessage(args: JsonObject): JsonObject {
    const channel = this.resolveChannel(stringAt(args, 'channel'));
    if (channel === undefined) return answerError('channel_not_found');
    const text = stringAt(args, 'text') ?? '';
    const blocks = optionalArray(args.blocks);
    const attachments = optionalArray(args.attachments);
    if (text === '' && blocks === undefined && attachments === undefined) return answerError('no_text');
    const threadTs = stringAt(args, 'thread_ts');
    const message: SlackMessage = {
      type: 'message',
      ts: this.nextTs(),
      user: FAKE_BOT.userId,
      bot_id: FAKE_BOT.botId,
      app_id: FAKE_BOT.appId,
      team: FAKE_TEAM.id,
      text,
      ...(blocks ? { blocks: withGeneratedIds(blocks) } : {}),
      ...(attachments ? { attachments } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
    };
    this.insertMessage(channel, message);
    return { channel, ts: message.ts, message };
  }

  private insertMessage(channel: string, message: SlackMessage): void {
    const messages = this.channels.get(channel) ?? [];
    const at = messages.findIndex((m) => tsToMicros(m.ts) > tsToMicros(message.ts));
    messages.splice(at === -1 ? messages.length : at, 0, message);
    this.channels.set(channel, messages);
    this.countReply(messages, message);
  }

  /** Keeps the parent's thread summary (thread_ts, reply_count, latest_reply) as Slack does. */
  private countReply(messages: SlackMessage[], reply: SlackMessage): void {
    if (reply.thread_ts === undefined || reply.thread_ts === reply.ts) return;
    const parent = messages.find((m) => m.ts === reply.thread_ts);
    if (parent === undefined) return;
    parent.thread_ts = parent.ts;
    parent.reply_count = (parent.reply_count ?? 0) + 1;
    parent.latest_reply = reply.ts;
  }

  private updateMessage(args: JsonObject): JsonObject {
    const channel = stringAt(args, 'channel') ?? '';
    const message = this.message(channel, stringAt(args, 'ts') ?? '');
    if (message === undefined) return answerError('message_not_found');
    if (message.bot_id !== FAKE_BOT.botId) return answerError('cant_update_message');
    if (typeof args.text === 'string') message.text = args.text;
    if (Array.isArray(args.blocks)) message.blocks = withGeneratedIds(args.blocks);
    if (Array.isArray(args.attachments)) message.attachments = args.attachments;
    if (args.metadata !== undefined) message.metadata = args.metadata;
    message.edited = { user: FAKE_BOT.userId, ts: this.nextTs() };
    return { channel, ts: message.ts, text: message.text, message };
  }

  private deleteMessage(args: JsonObject): JsonObject {
    const channel = stringAt(args, 'channel') ?? '';
    const messages = this.channels.get(channel) ?? [];
    const index = messages.findIndex((m) => m.ts === stringAt(args, 'ts'));
    const message = messages[index];
    if (message === undefined) return answerError('message_not_found');
    if (message.bot_id !== FAKE_BOT.botId) return answerError('cant_delete_message');
    messages.splice(index, 1);
    return { channel, ts: message.ts };
  }

  private postEphemeral(args: JsonObject): JsonObject {
    const channel = stringAt(args, 'channel');
    const user = stringAt(args, 'user');
    if (channel === undefined || user === undefined) return answerError('invalid_arguments');
    const threadTs = stringAt(args, 'thread_ts');
    const blocks = optionalArray(args.blocks);
    const attachments = optionalArray(args.attachments);
    const ephemeral: EphemeralMessage = {
      channel,
      user,
      ts: this.nextTs(),
      text: stringAt(args, 'text') ?? '',
      ...(blocks ? { blocks: withGeneratedIds(blocks) } : {}),
      ...(attachments ? { attachments } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    };
    this.storedEphemerals.push(ephemeral);
    return { message_ts: ephemeral.ts };
  }

  /** Lenient: permalinks are computable, so messages the fake never saw still get one. */
  private permalink(args: JsonObject): JsonObject {
    const channel = stringAt(args, 'channel') ?? '';
    const ts = stringAt(args, 'message_ts') ?? '';
    const threadTs = this.message(channel, ts)?.thread_ts;
    const inThread = threadTs !== undefined && threadTs !== ts ? `?thread_ts=${threadTs}&cid=${channel}` : '';
    return {
      channel,
      permalink: `https://acme.slack.com/archives/${channel}/p${ts.replace('.', '')}${inThread}`,
    };
  }

  private openConversation(args: JsonObject): JsonObject {
    const channel = stringAt(args, 'channel');
    if (channel !== undefined) return { no_op: true, already_open: true, channel: { id: channel } };
    const users = (stringAt(args, 'users') ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    const [only] = users;
    if (only === undefined) return answerError('users_list_not_supplied');
    const id =
      users.length === 1
        ? dmChannelOf(only)
        : `G${users
            .sort()
            .map((u) => u.slice(1))
            .join('')}`;
    return { no_op: false, already_open: false, channel: { id } };
  }

  private history(args: JsonObject): JsonObject {
    const channel = stringAt(args, 'channel') ?? '';
    const inclusive = flag(args.inclusive);
    const oldest = args.oldest === undefined ? Number.NEGATIVE_INFINITY : tsToMicros(String(args.oldest));
    const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : tsToMicros(String(args.latest));
    const before = decodeCursor(stringAt(args, 'cursor'));
    const inRange = (m: SlackMessage) => {
      const at = tsToMicros(m.ts);
      const afterOldest = inclusive ? at >= oldest : at > oldest;
      const beforeLatest = inclusive ? at <= latest : at < latest;
      return afterOldest && beforeLatest && (before === undefined || at < before);
    };
    const newestFirst = this.messagesIn(channel)
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
      .filter(inRange)
      .reverse();
    const limit = integer(args.limit, DEFAULT_HISTORY_LIMIT);
    const page = newestFirst.slice(0, limit);
    const hasMore = newestFirst.length > limit;
    const last = page.at(-1);
    return {
      messages: page.map((m) => (flag(args.include_all_metadata) ? m : withoutMetadata(m))),
      has_more: hasMore,
      pin_count: 0,
      response_metadata: { next_cursor: hasMore && last ? encodeCursor(last.ts) : '' },
    };
  }

  private replies(args: JsonObject): JsonObject {
    const channel = stringAt(args, 'channel') ?? '';
    const ts = stringAt(args, 'ts') ?? '';
    const asked = this.message(channel, ts);
    if (asked === undefined) return answerError('thread_not_found');
    const root = asked.thread_ts ?? asked.ts;
    const thread = this.messagesIn(channel).filter((m) => m.ts === root || m.thread_ts === root);
    return {
      messages: thread.map((m) => (flag(args.include_all_metadata) ? m : withoutMetadata(m))),
      has_more: false,
      response_metadata: { next_cursor: '' },
    };
  }

  private consumeTrigger(triggerId: string | undefined): string | undefined {
    if (triggerId === undefined || triggerId === '') return 'invalid_arguments';
    const trigger = this.triggers.get(triggerId);
    // Trigger ids the fake did not mint (made up in a test) are accepted: only minted ones can expire.
    if (trigger === undefined) return undefined;
    if (trigger.used) return 'exchanged_trigger_id';
    if (Date.now() - trigger.mintedAt > TRIGGER_LIFETIME_MS) return 'expired_trigger_id';
    trigger.used = true;
    return undefined;
  }

  private openView(args: JsonObject): JsonObject {
    const refused = this.consumeTrigger(stringAt(args, 'trigger_id'));
    if (refused !== undefined) return answerError(refused);
    if (!isRecord(args.view)) return answerError('invalid_arguments');
    const externalId = stringAt(args.view, 'external_id') ?? '';
    if (externalId !== '' && this.viewByExternalId(externalId)) return answerError('duplicate_external_id');
    this.viewCount += 1;
    const id = `V${String(this.viewCount).padStart(7, '0')}`;
    const view = this.buildView(args.view, { id, root_view_id: id, previous_view_id: null });
    this.views.set(id, view);
    this.lastViewId = id;
    return { view };
  }

  private updateView(args: JsonObject): JsonObject {
    const viewId = stringAt(args, 'view_id');
    const externalId = stringAt(args, 'external_id');
    const current = viewId
      ? this.views.get(viewId)
      : externalId
        ? this.viewByExternalId(externalId)
        : undefined;
    if (current === undefined) return answerError('not_found');
    const hash = stringAt(args, 'hash');
    if (hash !== undefined && hash !== current.hash) return answerError('hash_conflict');
    if (!isRecord(args.view)) return answerError('invalid_arguments');
    // An update that does not name an external_id keeps the one the view had.
    const input = { external_id: current.external_id, ...args.view };
    const view = this.buildView(input, {
      id: current.id,
      root_view_id: current.root_view_id,
      previous_view_id: current.previous_view_id,
    });
    this.views.set(view.id, view);
    this.lastViewId = view.id;
    return { view };
  }

  private publishView(args: JsonObject): JsonObject {
    const userId = stringAt(args, 'user_id');
    if (userId === undefined || !isRecord(args.view)) return answerError('invalid_arguments');
    const current = this.homes.get(userId);
    const hash = stringAt(args, 'hash');
    if (current && hash !== undefined && hash !== current.hash) return answerError('hash_conflict');
    let id = current?.id;
    if (id === undefined) {
      this.viewCount += 1;
      id = `V${String(this.viewCount).padStart(7, '0')}`;
    }
    const view = this.buildView(args.view, { id, root_view_id: id, previous_view_id: null });
    this.homes.set(userId, view);
    return { view };
  }

  private viewByExternalId(externalId: string): SlackView | undefined {
    return [...this.views.values()].find((v) => v.external_id === externalId);
  }

  private buildView(
    input: JsonObject,
    place: { id: string; root_view_id: string; previous_view_id: string | null },
  ): SlackView {
    return {
      ...input,
      ...place,
      team_id: FAKE_TEAM.id,
      type: stringAt(input, 'type') ?? 'modal',
      blocks: withGeneratedIds(optionalArray(input.blocks) ?? []),
      private_metadata: stringAt(input, 'private_metadata') ?? '',
      callback_id: stringAt(input, 'callback_id') ?? '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: input.title ?? null,
      close: input.close ?? null,
      submit: input.submit ?? null,
      clear_on_close: flag(input.clear_on_close),
      notify_on_close: flag(input.notify_on_close),
      app_id: FAKE_BOT.appId,
      external_id: stringAt(input, 'external_id') ?? '',
      app_installed_team_id: FAKE_TEAM.id,
      bot_id: FAKE_BOT.botId,
    };
  }

  private addReaction(args: JsonObject): JsonObject {
    const found = this.message(stringAt(args, 'channel') ?? '', stringAt(args, 'timestamp') ?? '');
    if (found === undefined) return answerError('message_not_found');
    const name = stringAt(args, 'name') ?? '';
    const reactions = found.reactions ?? [];
    const reaction = reactions.find((r) => r.name === name);
    if (reaction?.users.includes(FAKE_BOT.userId)) return answerError('already_reacted');
    if (reaction) {
      reaction.users.push(FAKE_BOT.userId);
      reaction.count += 1;
    } else {
      reactions.push({ name, users: [FAKE_BOT.userId], count: 1 });
    }
    found.reactions = reactions;
    return {};
  }
}

function withoutMetadata(message: SlackMessage): SlackMessage {
  const { metadata: _metadata, ...rest } = message;
  return rest;
}

function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const ts = Buffer.from(cursor, 'base64')
    .toString('utf8')
    .replace(/^next_ts:/, '');
  return tsToMicros(ts);
}

function parseResponseBody(contentType: string | undefined, rawBody: string): JsonObject {
  try {
    if (contentType?.includes('application/x-www-form-urlencoded')) {
      const payload = new URLSearchParams(rawBody).get('payload');
      const parsed: unknown = payload === null ? undefined : JSON.parse(payload);
      if (isRecord(parsed)) return parsed;
    }
    const parsed: unknown = JSON.parse(rawBody);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Not JSON: keep the text so the test can still see what was sent.
  }
  return { raw: rawBody };
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  if (Buffer.isBuffer(answer.body)) {
    res.writeHead(answer.status, { 'content-type': 'application/octet-stream', ...answer.headers });
    res.end(answer.body);
    return;
  }
  const isText = typeof answer.body === 'string';
  const contentType = isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  res.writeHead(answer.status, { 'content-type': contentType, ...answer.headers });
  res.end(isText ? answer.body : JSON.stringify(answer.body));
}

const SIGN_IN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in to Acme</body></html>';
