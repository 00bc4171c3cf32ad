import { DateTime } from 'luxon';
import { type RunningFolio, startFolio } from '../../src/app.js';
import { parseHelpdeskConfig } from '../../src/config/desks.js';
import { parseEnv } from '../../src/config/env.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { ACTION } from '../../src/slack/ids.js';
import {
  FakeSlack,
  isRecord,
  type JsonObject,
  recordsIn,
  type SlackMessage,
  stringAt,
} from '../../test/harness/fakeSlack.js';
import { ModalForm } from '../../test/harness/modalForm.js';
import { channelNameOf, SlackRequests } from '../../test/harness/slackRequests.js';
import { type SinkMail, SmtpSink } from '../../test/harness/smtpSink.js';
import { type Draft, MailClient, mailLines, viewOfRaw } from './mail.js';
import { type Audience, Observer, type Sighting } from './observer.js';
import { Printer } from './printer.js';
import { makeStyle, type Names, type Style } from './render.js';

/**
 * The stage: the real Folio (`startFolio`, its HTTP receiver, its SMTP server, use cases, outbox
 * relay and jobs) on an in-memory PGlite, a fake Slack Web API it talks to over HTTP, a local SMTP
 * sink its outgoing mail goes to, a clock the story moves, and the people, whose every action is a
 * signed Slack request into the app's receiver or, for someone outside the workspace, a mail sent to
 * the app's SMTP server.
 */

export class DemoError extends Error {
  override readonly name = 'DemoError';
}

export const PEOPLE = {
  rita: { id: 'U_RITA', name: 'Rita', fullName: 'Rita Romero', role: 'requester, in Finance' },
  ana: { id: 'U_ANA', name: 'Ana', fullName: 'Ana Alves', role: 'IT desk' },
  ben: { id: 'U_BEN', name: 'Ben', fullName: 'Ben Brooks', role: 'IT desk' },
  lia: { id: 'U_LIA', name: 'Lia', fullName: 'Lia Lund', role: 'IT desk lead' },
} as const;
export type Person = (typeof PEOPLE)[keyof typeof PEOPLE];

/** People outside the workspace: they write to a desk's mailbox and hear back by mail. */
export const OUTSIDERS = {
  dana: {
    address: 'dana@contractor.example',
    name: 'Dana',
    fullName: 'Dana Novak',
    role: 'a contractor outside the workspace',
  },
} as const;
export type Outsider = (typeof OUTSIDERS)[keyof typeof OUTSIDERS];

/** The IT desk's mailbox: mail to it becomes an IT ticket, and the desk's mail to requesters comes from it. */
export const IT_MAILBOX = 'it@example.com';

export const CHANNELS = {
  general: 'C_GENERAL',
  desk: 'C_IT_DESK',
  escalations: 'C_IT_ESCALATIONS',
} as const;

export const ZONE = 'Europe/London';
/** A Monday. In November London is on UTC, so Slack's date fallbacks read as the desk's wall time. */
export const DAY = '2026-11-23';

/**
 * The desks configuration of the demo, validated by the app's own parser. Medium tickets must be
 * answered within 30 business minutes and resolved within 2 business hours, with a reminder once 75 %
 * of the time is used: the story's morning is enough to see a reminder and a breach.
 */
export const DEMO_CONFIG = {
  timezone: ZONE,
  businessHours: {
    mon: '09:00-17:00',
    tue: '09:00-17:00',
    wed: '09:00-17:00',
    thu: '09:00-17:00',
    fri: '09:00-17:00',
  },
  reminders: ['75%'],
  desks: [
    {
      key: 'it',
      name: 'IT',
      channel: CHANNELS.desk,
      escalationChannel: CHANNELS.escalations,
      members: [PEOPLE.ana.id, PEOPLE.ben.id, PEOPLE.lia.id],
      leads: [PEOPLE.lia.id],
      assignment: 'none',
      mailbox: IT_MAILBOX,
      sla: {
        medium: { firstResponse: '30m', resolution: '2h' },
        low: { firstResponse: '8h', resolution: '40h' },
      },
    },
  ],
  categories: [
    { name: 'Hardware', desk: 'it' },
    { name: 'Accounts and access', desk: 'it' },
    { name: 'Other', desk: 'it' },
  ],
} satisfies HelpdeskConfigInput;

/** The jobs that run every few minutes; the story runs them whenever it moves the clock. */
const SWEEPS = ['sla', 'snooze', 'autoClose'] as const;
const SIGNING_SECRET = 'demo-signing-secret-0123456789';

export const names: Names = {
  person: (id) => Object.values(PEOPLE).find((p) => p.id === id)?.name ?? id,
  channel: (id) => channelNameOf(id),
  address: (address) => Object.values(OUTSIDERS).find((o) => o.address === address)?.name ?? address,
};

/** Everything the demo binds listens on loopback only. */
const LOOPBACK = '127.0.0.1';

export interface StageOptions {
  colour: boolean;
  write?: (text: string) => void;
}

export class Stage {
  readonly style: Style;
  readonly print: Printer;
  readonly observer: Observer;
  #logsChecked = 0;
  /** Signed requests sent into the app on people's behalf. */
  requests = 0;
  #step = 'starting';
  #jobsRanAt: number | undefined;

  private constructor(
    readonly fake: FakeSlack,
    readonly database: Database,
    readonly folio: RunningFolio,
    readonly slack: SlackRequests,
    readonly clock: ManualClock,
    /** The mail relay the app sends through (SMTP_URL): what arrives here reaches the outsiders. */
    readonly sink: SmtpSink,
    /** The outsiders' mail provider, delivering to the app's SMTP server. */
    readonly mailClient: MailClient,
    o: StageOptions,
    /** Every log line of the app, parsed. */
    readonly logs: JsonObject[],
  ) {
    this.style = makeStyle(o.colour);
    const order: Audience[] = [
      { kind: 'channel', id: CHANNELS.desk },
      { kind: 'channel', id: CHANNELS.escalations },
      ...Object.values(PEOPLE).map((p): Audience => ({ kind: 'person', id: p.id })),
      ...Object.values(OUTSIDERS).map((o): Audience => ({ kind: 'mail', address: o.address })),
    ];
    this.print = new Printer(this.style, names, order, o.write);
    this.observer = new Observer(fake, names, this.style, sink);
  }

  /** Starts everything; whatever was started is stopped again if a later part fails. */
  static async open(o: StageOptions): Promise<Stage> {
    const undo: (() => Promise<void>)[] = [];
    try {
      const fake = await FakeSlack.start();
      undo.push(() => fake.close());
      for (const p of Object.values(PEOPLE)) {
        fake.setUser(p.id, {
          name: p.name.toLowerCase(),
          real_name: p.fullName,
          tz: ZONE,
          profile: { real_name: p.fullName, display_name: p.name },
        });
      }
      const sink = await SmtpSink.start();
      undo.push(() => sink.close());
      // The same function `npm start` uses to open the embedded database; in memory, so nothing to clean.
      const database = await openDatabase({ kind: 'pglite' });
      undo.push(() => database.close());
      const logs: JsonObject[] = [];
      const env = parseEnv({
        SLACK_BOT_TOKEN: 'xoxb-demo-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
        LOG_LEVEL: 'info',
        // The mail channel: an SMTP server on a free loopback port, and outgoing mail to the sink.
        SMTP_PORT: '0',
        SMTP_HOST: LOOPBACK,
        SMTP_URL: sink.url,
      });
      const clock = new ManualClock(at('09:00'));
      const folio = await startFolio({
        env,
        config: parseHelpdeskConfig(DEMO_CONFIG, '(the demo configuration)'),
        database,
        clock,
        scheduler: 'manual',
        log: createLogger('info', {
          sink: (line) => {
            const parsed: unknown = JSON.parse(line);
            if (isRecord(parsed)) logs.push(parsed);
          },
        }),
      });
      undo.push(() => folio.stop());
      const slack = new SlackRequests({
        appUrl: `http://127.0.0.1:${folio.port}`,
        signingSecret: SIGNING_SECRET,
        fake,
      });
      if (folio.smtpPort === undefined) throw new DemoError('the app started without its SMTP server');
      const mailClient = new MailClient(LOOPBACK, folio.smtpPort);
      undo.push(async () => mailClient.close());
      return new Stage(fake, database, folio, slack, clock, sink, mailClient, o, logs);
    } catch (error) {
      await undoAll(undo);
      throw error;
    }
  }

  /** Stops the app, closes the database, the fake and the sink; never throws. */
  async close(): Promise<string[]> {
    return undoAll([
      () => this.fake.close(),
      () => this.sink.close(),
      () => this.database.close(),
      () => this.folio.stop(),
      async () => this.mailClient.close(),
    ]);
  }

  get step(): string {
    return this.#step;
  }

  // ----- time ---------------------------------------------------------------------------------------

  /** Starts a step: its heading, with the clock moved to `time` and the sweeps run there. */
  async scene(time: string, title: string, o: { quiet?: boolean } = {}): Promise<void> {
    this.#step = `${time} ${title}`;
    this.print.heading(time, title);
    if (o.quiet !== true) await this.moveTo(time);
  }

  /**
   * Moves the clock to `time` (today, in the desk's zone) and runs the sweeps the scheduler runs every
   * minute, through the scheduler's own claim (`runNow`). What they send is shown; with `announce`
   * the run is shown even when it did nothing.
   */
  async moveTo(time: string, o: { announce?: boolean } = {}): Promise<Sighting[]> {
    const when = at(time);
    this.clock.set(when);
    if (this.#jobsRanAt === when.getTime()) return [];
    this.#jobsRanAt = when.getTime();
    const done: string[] = [];
    for (const job of SWEEPS) {
      const outcome = await this.folio.scheduler.runNow(job, when);
      if (outcome.status === 'failed') throw new DemoError(`the ${job} job failed: ${outcome.error.message}`);
      if (outcome.status === 'skipped')
        throw new DemoError(`the ${job} job's fire at ${time} was already claimed`);
      const counts = Object.entries(outcome.summary)
        .filter(([, v]) => typeof v === 'number' && v > 0)
        .map(([k, v]) => `${k} ${String(v)}`);
      if (counts.length > 0) done.push(`${job}: ${counts.join(', ')}`);
    }
    await this.settle();
    const seen = this.observer.collect();
    if (o.announce || seen.length > 0) {
      this.print.action(
        `${time}: the scheduler's sweeps run (${SWEEPS.join(', ')}) — ${done.length > 0 ? done.join('; ') : 'nothing is due'}`,
      );
      this.print.sightings(seen);
    }
    return seen;
  }

  // ----- people -------------------------------------------------------------------------------------

  /**
   * One thing a person does: printed, sent, let run to the end (background work, then Slack
   * deliveries), and what everyone sees because of it printed and returned.
   */
  async does(who: Person, what: string, act: () => Promise<void>): Promise<Sighting[]> {
    this.print.action(`${this.style.bold(who.name)} ${what}`);
    await act();
    await this.settle();
    const seen = this.observer.collect();
    this.print.sightings(seen, who.id);
    return seen;
  }

  /**
   * An outsider writes a mail and sends it: it is shown as it looks, delivered to the app's SMTP
   * server, and the server's answer shown (250 only once the mail is committed); then everything is
   * let run to the end as after a person's action, and what everyone sees printed and returned.
   */
  async mails(who: Outsider, what: string, draft: Draft): Promise<Sighting[]> {
    this.print.action(`${this.style.bold(who.name)} ${what}`);
    const raw = await MailClient.compose(draft);
    const self: Audience = { kind: 'mail', address: who.address };
    const sent = {
      audience: self,
      what: 'her mail, as sent',
      lines: mailLines(await viewOfRaw(raw)),
      text: '',
    };
    let answer: string;
    try {
      answer = await this.mailClient.send(raw, { from: draft.from.address, to: draft.to });
    } catch (error) {
      throw new DemoError(`the app's SMTP server refused ${who.name}'s mail: ${String(error)}`);
    }
    const answered = {
      audience: self,
      what: `delivered: Folio's SMTP server answered "${answer}"`,
      lines: [],
      text: answer,
    };
    this.print.sightings([sent, answered]);
    await this.settle();
    const seen = this.observer.collect();
    this.print.sightings(seen);
    return seen;
  }

  /** The mails the sink passed on to `who`, oldest first. */
  mailsTo(who: Outsider): SinkMail[] {
    return this.sink.messages.filter((m) => m.envelope.to.includes(who.address));
  }

  /** Waits for what the last request started: background work, then the outbox's deliveries. */
  async settle(): Promise<void> {
    await this.folio.services.background.idle();
    await this.folio.relay.drain();
    this.#checkLogs();
    if (this.observer.refused.length > 0)
      throw new DemoError(`Slack refused calls from the app: ${this.observer.refused.join('; ')}`);
  }

  /** `/ticket …` typed by `who` in a channel, as Slack posts it. */
  async command(who: Person, text: string, channel: string = CHANNELS.general): Promise<string> {
    const res = await this.slack.command({ text, user: who.id, channel });
    this.requests++;
    this.observer.belongsTo(who.id, res);
    if (res.status !== 200) throw new DemoError(`/ticket ${text} was answered with HTTP ${res.status}`);
    this.observer.answered(who.id, res.json);
    return res.triggerId;
  }

  /** The modal the app opened on `triggerId`, as Slack holds it now. */
  modal(triggerId: string, title: string): ModalForm {
    const call = this.fake.callsTo('views.open').find((c) => c.args.trigger_id === triggerId);
    const id = stringAt(isRecord(call?.answer) ? call.answer.view : undefined, 'id');
    const view = id ? this.fake.view(id) : undefined;
    if (!view) throw new DemoError(`the ${title} modal did not open`);
    const form = ModalForm.from(view);
    if (form.title !== title) throw new DemoError(`expected the ${title} modal, but "${form.title}" opened`);
    return form;
  }

  /** Presses the modal's submit button. */
  async submit(who: Person, form: ModalForm): Promise<void> {
    const res = await form.submit(this.slack, who.id);
    this.requests++;
    this.observer.belongsTo(who.id, res);
    if (res.status !== 200)
      throw new DemoError(`submitting "${form.title}" was answered with HTTP ${res.status}`);
    this.observer.submitted(who.id, res.json);
  }

  /** The card of a ticket in the desk channel, as Slack holds it now. */
  card(folio: string): SlackMessage {
    const card = this.fake
      .messagesIn(CHANNELS.desk)
      .find((m) => (!m.thread_ts || m.thread_ts === m.ts) && String(m.text).startsWith(`${folio}:`));
    if (!card) throw new DemoError(`there is no card for ${folio} in #${names.channel(CHANNELS.desk)}`);
    return card;
  }

  /** Clicks a button of a ticket's card; returns the trigger of the click (for the modal it opens). */
  async clickOnCard(who: Person, folio: string, actionId: string): Promise<string> {
    const res = await this.slack.blockActions({
      user: who.id,
      channel: CHANNELS.desk,
      message: this.card(folio),
      actions: [{ action_id: actionId }],
    });
    return this.#clicked(who, res);
  }

  /** Chooses an option of the card's ⋯ menu, by its label. */
  async chooseFromMore(who: Person, folio: string, label: string): Promise<string> {
    const card = this.card(folio);
    const menu = recordsIn(card.blocks)
      .flatMap((b) => recordsIn(b.elements))
      .find((e) => e.action_id === ACTION.more);
    const option = recordsIn(menu?.options).find((o) => stringAt(o.text, 'text') === label);
    if (!option) throw new DemoError(`the card of ${folio} has no "${label}" in its ⋯ menu`);
    const res = await this.slack.blockActions({
      user: who.id,
      channel: CHANNELS.desk,
      message: card,
      actions: [{ action_id: ACTION.more, type: 'overflow', selected_option: option }],
    });
    return this.#clicked(who, res);
  }

  /** The first message of `who`'s conversation with the desk about `folio`, in their DM with the app. */
  conversation(who: Person, folio: string): SlackMessage {
    const first = this.fake
      .messagesIn(this.fake.dmChannelOf(who.id))
      .find((m) => (!m.thread_ts || m.thread_ts === m.ts) && String(m.text).includes(`*${folio}*`));
    if (!first) throw new DemoError(`${who.name} has no conversation about ${folio} in her DM with Folio`);
    return first;
  }

  /** The latest message in `who`'s conversation about `folio` that carries the button `actionId`. */
  messageWithButton(who: Person, folio: string, actionId: string): SlackMessage {
    const thread = this.conversation(who, folio).ts;
    const found = this.fake
      .messagesIn(this.fake.dmChannelOf(who.id))
      .filter((m) => m.thread_ts === thread || m.ts === thread)
      .reverse()
      .find((m) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${actionId}"`));
    if (!found) throw new DemoError(`${who.name}'s conversation about ${folio} has no ${actionId} button`);
    return found;
  }

  /** Clicks a button of a message in `who`'s DM with the app. */
  async clickInDm(who: Person, message: SlackMessage, actionId: string): Promise<void> {
    const res = await this.slack.blockActions({
      user: who.id,
      channel: this.fake.dmChannelOf(who.id),
      message,
      actions: [{ action_id: actionId }],
    });
    await this.#clicked(who, res);
  }

  /** `who` writes in a thread: the message appears in Slack and the `message` event is delivered. */
  async writeInThread(who: Person, channel: string, threadTs: string, text: string): Promise<void> {
    const res = await this.slack.userMessage({ channel, user: who.id, text, threadTs });
    this.requests++;
    if (res.status !== 200) throw new DemoError(`the message event was answered with HTTP ${res.status}`);
  }

  async #clicked(
    who: Person,
    res: { status: number; triggerId: string; responseUrl?: string; json: unknown },
  ): Promise<string> {
    this.requests++;
    this.observer.belongsTo(who.id, res);
    if (res.status !== 200) throw new DemoError(`the click was answered with HTTP ${res.status}`);
    this.observer.answered(who.id, res.json);
    return res.triggerId;
  }

  /** Fails the demo on any error the app logged (a listener, a delivery, a job). */
  #checkLogs(): void {
    const fresh = this.logs.slice(this.#logsChecked);
    this.#logsChecked = this.logs.length;
    const errors = fresh.filter((l) => l.level === 'error');
    if (errors.length > 0) {
      const first = errors[0];
      const err = isRecord(first?.err) ? `: ${String(first.err.message)}` : '';
      throw new DemoError(`the app logged an error: ${String(first?.msg)}${err}`);
    }
  }
}

/** Today at `time` (HH:mm) in the desk's zone. */
export function at(time: string): Date {
  return DateTime.fromISO(`${DAY}T${time}`, { zone: ZONE }).toJSDate();
}

async function undoAll(steps: (() => Promise<void>)[]): Promise<string[]> {
  const problems: string[] = [];
  for (const step of steps.reverse()) {
    try {
      await step();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}
