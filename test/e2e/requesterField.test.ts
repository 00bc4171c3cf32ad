import { describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema/index.js';
import { CREATE_INPUT, SHORTCUT } from '../../src/slack/ids.js';
import type { ModalForm } from '../harness/modalForm.js';
import { modalOpenedOn, settle } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

/**
 * Who a ticket is for: only the modal made from a message offers a Requester field (its author, or
 * whoever the person chooses). `/ticket` and "New ticket" file for the person who submits, and a
 * submission naming a requester its modal did not offer is refused.
 */

const FILER = 'U_REQ_RITA';
const VICTIM = 'U_OTHER_OTTO';
const AUTHOR = 'U_AUTHOR_ALEX';

const t = useTestFolio();
const allTickets = () => t.folio.services.db.select().from(tickets).orderBy(tickets.id);

/** Submits `form` with a requester chosen, as a forged submission would: the view itself unchanged. */
function submitNaming(form: ModalForm, requester: string) {
  const view = form.viewId === undefined ? undefined : t.fake.view(form.viewId);
  if (!view) throw new Error('the fake holds no such view');
  return t.slack.viewSubmission({
    view,
    user: FILER,
    values: {
      ...form.stateValues(),
      [CREATE_INPUT.requester]: {
        [CREATE_INPUT.requester]: { type: 'users_select', selected_user: requester },
      },
    },
  });
}

describe('the requester of a new ticket', () => {
  it('refuses a /ticket submission naming a requester the modal did not offer, and saves nothing', async () => {
    const res = await t.slack.command({ text: 'Laptop stolen', user: FILER });
    const form = await modalOpenedOn(t, res.triggerId);
    expect(form.inputs().map((i) => i.label)).not.toContain('Requester');
    form.fill('Category', 'IT');

    const forged = await submitNaming(form, VICTIM);
    expect(forged.status).toBe(200);
    expect(forged.json).toEqual({
      response_action: 'errors',
      errors: {
        [CREATE_INPUT.subject]: expect.stringContaining('This form does not choose who the ticket is for'),
      },
    });
    await settle(t);
    expect(await allTickets()).toEqual([]);
    expect(t.fake.messagesIn(t.fake.dmChannelOf(VICTIM))).toEqual([]);

    // The same form, submitted as Slack sends it, files the ticket for the person who submits.
    expect((await form.submit(t.slack, FILER)).json).toBeUndefined();
    expect((await allTickets()).map((r) => [r.requesterId, r.createdBy])).toEqual([[FILER, FILER]]);
  });

  it('refuses the same from the "New ticket" shortcut’s modal', async () => {
    const res = await t.slack.globalShortcut({ callback_id: SHORTCUT.newTicket, user: FILER });
    const form = await modalOpenedOn(t, res.triggerId);
    form.fill('Subject', 'Badge not working').fill('Category', 'IT');
    const forged = await submitNaming(form, VICTIM);
    expect(JSON.stringify(forged.json)).toContain('This form does not choose who the ticket is for');
    expect(await allTickets()).toEqual([]);
  });

  it('takes the requester the modal made from a message offered, changed or not', async () => {
    const message = t.fake.seedMessage('C_GENERAL', { user: AUTHOR, text: 'The VPN is down again' });
    const res = await t.slack.messageShortcut({
      callback_id: SHORTCUT.createFromMessage,
      user: FILER,
      channel: 'C_GENERAL',
      message,
    });
    const form = await modalOpenedOn(t, res.triggerId);
    expect(form.inputs().map((i) => i.label)).toContain('Requester');
    const sent = await submitNaming(form.fill('Category', 'IT'), VICTIM);
    expect(sent.json).toBeUndefined();
    expect((await allTickets()).map((r) => [r.requesterId, r.createdBy])).toEqual([[VICTIM, FILER]]);
  });
});
