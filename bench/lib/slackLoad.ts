import { ACTION } from '../../src/slack/ids.js';
import {
  type FakeSlack,
  isRecord,
  type SlackMessage,
  type SlackView,
  stringAt,
} from '../../test/harness/fakeSlack.js';
import { ModalForm, type StateValues } from '../../test/harness/modalForm.js';
import type { AppResponse, InteractionResult, SlackRequests } from '../../test/harness/slackRequests.js';
import { AGENT, DESK_CHANNEL } from './config.js';

/**
 * Drives the app the way Slack does, through the test harness (signed requests, the fake Web API),
 * at a scale the tests never reach: the fake's recorded calls are read incrementally (a tail) rather
 * than searched once per ticket, which would be quadratic.
 */

export interface CardPost {
  folio: string;
  subject: string;
  ts: string;
  /** When the fake received the chat.postMessage, ms since the epoch. */
  at: number;
}

/** Follows the fake's calls as they are answered: views opened by trigger, cards by subject, counts. */
export class CallTail {
  readonly viewByTrigger = new Map<string, string>();
  readonly cardBySubject = new Map<string, CardPost>();
  /** Calls made, by method, since the tail started (a call counts when recorded, answered or not). */
  readonly counts = new Map<string, number>();
  /** Calls made, by method and channel (chat.postMessage only). */
  readonly postsByChannel = new Map<string, number>();
  #cursor = 0;
  #unanswered: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(private readonly fake: FakeSlack) {}

  start(): this {
    this.#timer = setInterval(() => this.poll(), 5);
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /**
   * Resets the fake (it forgets its calls, messages and views, which grow with every call) after
   * counting every call it recorded; the tail then follows it from its first call again.
   */
  resetFake(): void {
    this.poll();
    this.fake.reset();
    this.#cursor = 0;
    this.#unanswered = [];
  }

  clearCounts(): void {
    this.counts.clear();
    this.postsByChannel.clear();
  }

  poll(): void {
    const calls = this.fake.calls;
    for (const call of calls.slice(this.#cursor)) {
      this.counts.set(call.method, (this.counts.get(call.method) ?? 0) + 1);
      if (call.method === 'chat.postMessage') {
        const channel = String(call.args.channel);
        this.postsByChannel.set(channel, (this.postsByChannel.get(channel) ?? 0) + 1);
      }
    }
    const still: number[] = [];
    for (const i of [...this.#unanswered, ...range(this.#cursor, calls.length)]) {
      const call = calls[i];
      if (!call) continue;
      if (call.answer === undefined) {
        still.push(i);
        continue;
      }
      if (call.method === 'views.open') {
        const view = isRecord(call.answer.view) ? call.answer.view : undefined;
        const trigger = stringAt(call.args, 'trigger_id');
        const id = stringAt(view, 'id');
        if (trigger && id) this.viewByTrigger.set(trigger, id);
      } else if (
        call.method === 'chat.postMessage' &&
        call.args.channel === DESK_CHANNEL &&
        call.args.thread_ts === undefined &&
        call.answer.ok === true
      ) {
        const match = /^(\w+): (.*) \(/.exec(stringAt(call.args, 'text') ?? '');
        const ts = stringAt(call.answer, 'ts');
        if (match?.[1] && match[2] && ts)
          this.cardBySubject.set(match[2], { folio: match[1], subject: match[2], ts, at: call.at });
      }
    }
    this.#cursor = calls.length;
    this.#unanswered = still;
    for (const wake of [...this.#waiters]) wake();
  }

  /** Resolves once `done()` holds (checked after every poll), or rejects after `timeoutMs`. */
  until(done: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
    });
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}

/** Runs `fn` over `items` with at most `concurrency` in flight (a closed loop: the next starts when one ends). */
export async function closedLoop<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const item = items[i];
      if (item === undefined) return;
      await fn(item, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** A create-ticket modal opened through `/ticket`, filled in, ready to submit. */
export interface FilledModal {
  view: SlackView;
  values: StateValues;
  user: string;
  subject: string;
}

/** `/ticket <subject>` for each subject, `concurrency` at a time; returns the modals, filled (category IT). */
export async function openCreateModals(
  slack: SlackRequests,
  tail: CallTail,
  requests: readonly { subject: string; user: string }[],
  concurrency: number,
): Promise<FilledModal[]> {
  const triggers: string[] = [];
  await closedLoop(requests, concurrency, async (r, i) => {
    const res = await slack.command({ text: r.subject, user: r.user });
    expectAck(res, '/ticket');
    triggers[i] = res.triggerId;
  });
  await tail.until(() => triggers.every((t) => tail.viewByTrigger.has(t)), 'the create modals to open');
  return requests.map((r, i) => {
    const view = slack.fake.view(tail.viewByTrigger.get(triggers[i] ?? '') ?? '');
    if (!view) throw new Error(`no view for ${r.subject}`);
    const form = ModalForm.from(view).fill('Category', 'IT');
    return { view, values: form.stateValues(), user: r.user, subject: r.subject };
  });
}

export function submitModal(slack: SlackRequests, m: FilledModal): Promise<InteractionResult> {
  return slack.viewSubmission({ view: m.view, values: m.values, user: m.user });
}

/** A desk member presses Take on a ticket's card. */
export function clickTake(slack: SlackRequests, card: SlackMessage): Promise<InteractionResult> {
  return slack.blockActions({
    user: AGENT,
    channel: DESK_CHANNEL,
    message: card,
    actions: [{ action_id: ACTION.take }],
  });
}

/** Every Slack request the bench sends must be acknowledged with 200 (and, for Folio, no errors). */
export function expectAck(res: AppResponse, what: string): void {
  if (res.status !== 200) throw new Error(`${what} answered ${res.status}: ${res.text.slice(0, 300)}`);
}
