import {
  type FakeSlack,
  FILE_ROUTES,
  isRecord,
  type RecordedCall,
  recordsIn,
  stringAt,
} from '../../test/harness/fakeSlack.js';
import type { SmtpSink } from '../../test/harness/smtpSink.js';
import { mailLines, viewOfSinkMail } from './mail.js';
import { type Line, type Names, renderMessage, renderModal, type Style, unstyled } from './render.js';

/**
 * What each person sees, read from the fake Slack: the Web API calls the app made since the last look
 * (messages posted and updated, ephemerals, modals), what it posted to response URLs, and the answers
 * it gave in the HTTP responses themselves (a command's ephemeral answer, a modal's errors), and the
 * mails it sent, as they reached the local SMTP sink standing for its mail relay. Nothing is asked of
 * the app: this only watches the wire.
 */

export type Audience =
  | { kind: 'person'; id: string }
  | { kind: 'channel'; id: string }
  /** Someone outside the workspace, who hears from the desk by mail at this address. */
  | { kind: 'mail'; address: string };

export interface Sighting {
  audience: Audience;
  /** What happened, e.g. "new message", "card updated", "modal". */
  what: string;
  lines: Line[];
  /** Everything a check may look for: the rendered text, one line per line. */
  text: string;
}

/** Calls that change nothing a person sees, or that the demo leaves out (Home tabs refresh on their own). */
const UNSEEN = new Set([
  'auth.test',
  'users.info',
  'conversations.open',
  'conversations.history',
  'conversations.replies',
  'chat.getPermalink',
  'reactions.add',
  'views.publish',
  // A mail's sender looked up among the members: nobody sees it.
  'users.lookupByEmail',
  // The steps of files.uploadV2 before the file is shared: only the share (completeUploadExternal) shows.
  'files.getUploadURLExternal',
  FILE_ROUTES.upload,
  FILE_ROUTES.download,
  'files.info',
]);

const FOLIO = /\b[A-Z]{1,10}\d{3,}\b/;

type Change =
  | { kind: 'message'; channel: string; ts: string; posted: boolean; deleted: boolean }
  | { kind: 'modal'; viewId: string; user: string }
  | { kind: 'direct'; sighting: Sighting };

export class Observer {
  #calls = 0;
  #responses = 0;
  #mails = 0;
  readonly #triggers = new Map<string, string>();
  readonly #responseUrls = new Map<string, string>();
  readonly #viewOwners = new Map<string, string>();
  /** What each message looked like when last shown, to show only what changed. */
  readonly #shown = new Map<string, Line[]>();
  readonly #acks: Sighting[] = [];
  /** Calls Slack refused (a smoke-test failure: the app sent something Slack would not take). */
  readonly refused: string[] = [];

  constructor(
    private readonly fake: FakeSlack,
    private readonly names: Names,
    private readonly style: Style,
    /** Where the app's outgoing mail arrives (its SMTP_URL). */
    private readonly sink?: SmtpSink,
  ) {}

  /** A trigger (and response URL) minted for `user`'s request: what comes of it is theirs. */
  belongsTo(user: string, ids: { triggerId?: string | undefined; responseUrl?: string | undefined }): void {
    if (ids.triggerId) this.#triggers.set(ids.triggerId, user);
    if (ids.responseUrl) this.#responseUrls.set(ids.responseUrl, user);
  }

  /** The app's answer to `user`'s modal submission: an empty answer closes the modal. */
  submitted(user: string, json: unknown): void {
    if (json === undefined || (isRecord(json) && Object.keys(json).length === 0))
      this.#acks.push(this.#sighting({ kind: 'person', id: user }, 'the modal closes', []));
    else this.answered(user, json);
  }

  /** The app's HTTP answer to `user`'s request, when it carries something to show. */
  answered(user: string, json: unknown): void {
    if (!isRecord(json)) return;
    const to: Audience = { kind: 'person', id: user };
    if (json.response_action === 'errors' && isRecord(json.errors)) {
      const lines = Object.entries(json.errors).map(
        ([field, message]): Line => ({ kind: 'text', text: `${field}: ${String(message)}` }),
      );
      this.#acks.push(this.#sighting(to, 'the modal refuses it', lines));
    } else if (json.response_action === 'update' && isRecord(json.view)) {
      const { title, lines } = renderModal(json.view, this.names, this.style);
      this.#acks.push(this.#sighting(to, `the modal changes to "${title}"`, lines));
    } else if (json.text !== undefined || json.blocks !== undefined) {
      this.#acks.push(
        this.#sighting(to, 'only you can see this', renderMessage(json, this.names, this.style)),
      );
    }
  }

  /** Everything seen since the last call, in the order it happened. */
  collect(): Sighting[] {
    // The HTTP answers first: the person sees them before anything the app sends afterwards.
    const changes: Change[] = this.#acks.splice(0).map((sighting) => ({ kind: 'direct', sighting }));
    const calls = this.fake.calls;
    let i = this.#calls;
    for (; i < calls.length; i++) {
      const call = calls[i];
      if (!call) break;
      if (UNSEEN.has(call.method)) continue;
      // Still in flight: look again next time.
      if (call.answer === undefined) break;
      this.#readCall(call, changes);
    }
    this.#calls = i;

    for (const response of this.fake.responses.slice(this.#responses)) {
      const user = this.#responseUrls.get(response.url);
      if (!user) continue;
      const body = response.body;
      const what =
        body.delete_original === true
          ? 'the message is removed'
          : body.replace_original === true
            ? 'the clicked message now reads'
            : 'only you can see this';
      changes.push({
        kind: 'direct',
        sighting: this.#sighting(
          { kind: 'person', id: user },
          what,
          renderMessage(body, this.names, this.style),
        ),
      });
    }
    this.#responses = this.fake.responses.length;

    // Mail last: a mail reaches its reader after the Slack messages of the same change.
    for (const mail of this.sink?.messages.slice(this.#mails) ?? []) {
      for (const address of mail.envelope.to) {
        changes.push({
          kind: 'direct',
          sighting: this.#sighting({ kind: 'mail', address }, 'new mail', mailLines(viewOfSinkMail(mail))),
        });
      }
    }
    this.#mails = this.sink?.messages.length ?? 0;

    return changes.flatMap((c) => this.#see(c));
  }

  #readCall(call: RecordedCall, changes: Change[]): void {
    const answer = call.answer ?? {};
    if (answer.ok !== true) {
      this.refused.push(`${call.method} → ${String(answer.error)}`);
      return;
    }
    const args = call.args;
    switch (call.method) {
      case 'chat.postMessage':
      case 'chat.update':
      case 'chat.delete': {
        const channel = stringAt(answer, 'channel') ?? '';
        const ts = stringAt(answer, 'ts') ?? '';
        const known = changes.find(
          (c): c is Extract<Change, { kind: 'message' }> =>
            c.kind === 'message' && c.channel === channel && c.ts === ts,
        );
        if (known) known.deleted = call.method === 'chat.delete';
        else
          changes.push({
            kind: 'message',
            channel,
            ts,
            posted: call.method === 'chat.postMessage',
            deleted: call.method === 'chat.delete',
          });
        break;
      }
      case 'chat.postEphemeral': {
        const user = stringAt(args, 'user') ?? '';
        const where = this.names.channel(stringAt(args, 'channel') ?? '');
        changes.push({
          kind: 'direct',
          sighting: this.#sighting(
            { kind: 'person', id: user },
            `only you can see this, in #${where}`,
            renderMessage(args, this.names, this.style),
          ),
        });
        break;
      }
      case 'files.completeUploadExternal': {
        // Shared into a channel or thread: the fake posted one message with the files, as Slack does.
        const channel = stringAt(args, 'channel_id');
        if (!channel) break;
        const fileId = stringAt(recordsIn(args.files)[0], 'id');
        const shared = this.fake
          .messagesIn(channel)
          .find((m) => recordsIn(m.files).some((f) => f.id === fileId));
        if (shared) changes.push({ kind: 'message', channel, ts: shared.ts, posted: true, deleted: false });
        break;
      }
      case 'views.open':
      case 'views.push':
      case 'views.update': {
        const viewId = stringAt(isRecord(answer.view) ? answer.view : {}, 'id') ?? '';
        const user =
          this.#viewOwners.get(viewId) ?? this.#triggers.get(stringAt(args, 'trigger_id') ?? '') ?? '';
        this.#viewOwners.set(viewId, user);
        if (!changes.some((c) => c.kind === 'modal' && c.viewId === viewId))
          changes.push({ kind: 'modal', viewId, user });
        break;
      }
      default:
        // A method the demo does not know how to show: say so rather than hide it.
        changes.push({
          kind: 'direct',
          sighting: this.#sighting(
            { kind: 'channel', id: String(args.channel ?? '') },
            `(${call.method})`,
            [],
          ),
        });
    }
  }

  #see(change: Change): Sighting[] {
    switch (change.kind) {
      case 'direct':
        return [change.sighting];
      case 'modal': {
        const view = this.fake.view(change.viewId);
        if (!view) return [];
        const { title, lines } = renderModal(view, this.names, this.style);
        return [this.#sighting({ kind: 'person', id: change.user }, `a modal opens: ${title}`, lines)];
      }
      case 'message':
        return this.#seeMessage(change);
    }
  }

  #seeMessage(c: Extract<Change, { kind: 'message' }>): Sighting[] {
    const audience = this.audienceOf(c.channel);
    const key = `${c.channel}:${c.ts}`;
    const before = this.#shown.get(key);
    const message = this.fake.message(c.channel, c.ts);
    if (c.deleted || !message) {
      this.#shown.delete(key);
      return [this.#sighting(audience, 'a message is removed', before?.slice(0, 1) ?? [])];
    }
    const lines = renderMessage(message, this.names, this.style);
    this.#shown.set(key, lines);
    const thread = message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
    const where = thread ? ` in the ${this.#threadName(c.channel, thread)} thread` : '';
    if (c.posted || !before) return [this.#sighting(audience, `new message${where}`, lines)];
    const changed = changedLines(before, lines);
    if (changed.length === 0) return [];
    const header = lines.find((l) => l.kind === 'header');
    const name = header ? `"${header.text}"` : `the message${where}`;
    return [this.#sighting(audience, `${name} is updated`, changed)];
  }

  /** `TKT001` for a card's thread or a requester's conversation about TKT001. */
  #threadName(channel: string, threadTs: string): string {
    const parent = this.fake.message(channel, threadTs);
    const folio = FOLIO.exec(typeof parent?.text === 'string' ? parent.text : '')?.[0];
    return folio ?? 'message';
  }

  /** A DM channel (`D_RITA`) or a user id used as a channel (`U_RITA`) is that person's DM with Folio. */
  audienceOf(channel: string): Audience {
    if (/^[UW]/.test(channel)) return { kind: 'person', id: channel };
    if (channel.startsWith('D')) return { kind: 'person', id: `U${channel.slice(1)}` };
    return { kind: 'channel', id: channel };
  }

  #sighting(audience: Audience, what: string, lines: Line[]): Sighting {
    return { audience, what, lines, text: [what, ...lines.map((l) => unstyled(l.text))].join('\n') };
  }
}

/**
 * What a reader notices in an updated message: the lines that are new or different, and, marked as
 * gone, lines that disappeared without a line of their kind taking their place (a snooze notice, a
 * removed button row). A changed line replaces the old line of its kind it shares the most with.
 */
export function changedLines(before: readonly Line[], after: readonly Line[]): Line[] {
  const kept = new Set(after.map((l) => l.text));
  const stillThere = new Set(before.map((l) => l.text));
  const added = after.filter((l) => !stillThere.has(l.text));
  const removed = before.filter((l) => !kept.has(l.text));
  const sameSlot = (a: Line, b: Line) =>
    a.kind === b.kind && (a.kind !== 'field' || b.kind !== 'field' || a.label === b.label);
  for (const line of added) {
    let best = -1;
    let bestShared = -1;
    removed.forEach((old, i) => {
      if (!sameSlot(old, line)) return;
      const shared = commonPrefix(old.text, line.text);
      if (shared > bestShared) {
        best = i;
        bestShared = shared;
      }
    });
    if (best !== -1) removed.splice(best, 1);
  }
  const gone = removed.map((l): Line => ({ kind: 'context', text: `(gone) ${l.text}` }));
  return [...added, ...gone];
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
