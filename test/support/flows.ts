import { asc, desc, eq } from 'drizzle-orm';
import { comments, tickets } from '../../src/db/schema/index.js';
import { ACTION } from '../../src/slack/ids.js';
import { isRecord, type JsonObject, type SlackMessage } from '../harness/fakeSlack.js';
import { ModalForm } from '../harness/modalForm.js';
import type { TestFolio } from './folio.js';

/** What people do again and again in the end-to-end tests, done the way they do it in Slack. */

/** The modal that opened on `triggerId`, as the fake holds it now (after any loading view's update). */
export async function modalOpenedOn(t: TestFolio, triggerId: string): Promise<ModalForm> {
  const call = await t.fake.waitForCall('views.open', (a) => a.trigger_id === triggerId);
  const view = isRecord(call.answer) && isRecord(call.answer.view) ? call.answer.view : undefined;
  const stored = typeof view?.id === 'string' ? t.fake.view(view.id) : undefined;
  if (!stored) throw new Error(`views.open on ${triggerId} answered without a view`);
  return ModalForm.from(stored);
}

/** `/ticket <subject>`, the category chosen (and a description typed), submitted; returns the folio. */
export async function fileTicket(
  t: TestFolio,
  o: { user: string; subject: string; category: string; description?: string },
): Promise<string> {
  const res = await t.slack.command({ text: o.subject, user: o.user });
  const form = await modalOpenedOn(t, res.triggerId);
  form.fill('Category', o.category);
  if (o.description) form.fill('Description', o.description);
  const sent = await form.submit(t.slack, o.user);
  if (sent.status !== 200 || sent.json !== undefined)
    throw new Error(`the ticket was not created: ${sent.text}`);
  const [latest] = await t.folio.services.db
    .select({ folio: tickets.folio })
    .from(tickets)
    .orderBy(desc(tickets.id))
    .limit(1);
  if (!latest) throw new Error('no ticket was stored');
  return latest.folio;
}

/** Lets everything started by the last request finish: background work, then Slack deliveries. */
export async function settle(t: TestFolio): Promise<void> {
  await t.folio.services.background.idle();
  await t.folio.relay.drain();
}

/**
 * The helpers of a test that files tickets into one desk, bound to its app: `desk` is the desk's channel,
 * `requester` who files them (in `category`, IT unless told).
 */
export function deskFlows(t: TestFolio, o: { desk: string; requester: string; category?: string }) {
  const db = () => t.folio.services.db;
  const flows = {
    db,
    settle: () => settle(t),
    /** The stored ticket `folio`. */
    async ticket(folio: string) {
      const [row] = await db().select().from(tickets).where(eq(tickets.folio, folio));
      if (!row) throw new Error(`no ticket ${folio}`);
      return row;
    },
    /** The ticket's card in the desk channel. */
    card(folio: string): SlackMessage {
      // A thread's parent carries its own ts as thread_ts once it has replies, as in Slack.
      const m = t.fake
        .messagesIn(o.desk)
        .find((x) => (!x.thread_ts || x.thread_ts === x.ts) && String(x.text).startsWith(`${folio}:`));
      if (!m) throw new Error(`no card for ${folio}`);
      return m;
    },
    /** A ticket opened by the requester through /ticket, with its card and DM delivered; returns the folio. */
    async openTicket(subject: string): Promise<string> {
      const folio = await fileTicket(t, { user: o.requester, subject, category: o.category ?? 'IT' });
      await settle(t);
      return folio;
    },
    /** Clicks a button (or an option of the More menu) on the ticket's card as `user`. */
    async clickOnCard(folio: string, user: string, actionId: string, moreOption?: string) {
      const message = flows.card(folio);
      const actions = moreOption
        ? [{ action_id: ACTION.more, type: 'overflow', selected_option: moreSelection(message, moreOption) }]
        : [{ action_id: actionId }];
      const res = await t.slack.blockActions({ user, channel: o.desk, message, actions });
      if (res.status !== 200) throw new Error(`Slack got ${res.status} for ${actionId}`);
      await t.folio.services.background.idle();
      return res;
    },
    /** The modal the last views.open showed, as the fake holds it now. */
    lastModal: () => ModalForm.from(t.fake.lastView() ?? {}),
    /** Every comment stored, oldest first. */
    storedComments: () => db().select().from(comments).orderBy(asc(comments.id)),
  };
  return flows;
}

/** The option of the card's More menu that does `o`, as Slack sends it when chosen. */
export function moreSelection(message: SlackMessage, o: string): JsonObject {
  for (const block of message.blocks ?? []) {
    for (const element of ((block as JsonObject).elements as JsonObject[] | undefined) ?? []) {
      if (element.action_id !== ACTION.more) continue;
      for (const option of (element.options as JsonObject[] | undefined) ?? []) {
        if ((JSON.parse(String(option.value)) as { o?: string }).o === o) return option;
      }
    }
  }
  throw new Error(`no More option ${o}`);
}
