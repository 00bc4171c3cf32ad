import { desc } from 'drizzle-orm';
import { tickets } from '../../src/db/schema/index.js';
import { isRecord } from '../harness/fakeSlack.js';
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
