import { describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema/index.js';
import { fileTicket } from '../support/flows.js';
import { useTestFolio } from '../support/folio.js';

/**
 * What reaches `POST /slack/events` that is not a request Folio can act on: malformed envelopes,
 * unknown but well-formed ones, signatures from outside Slack's 5-minute window. Each is answered at
 * once with its status, none stops or slows the app, and a ticket can be filed right after.
 */

const t = useTestFolio();
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const REQUESTER = 'U_REQ_RITA';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const payload = (value: unknown) => form({ payload: JSON.stringify(value) });
const user = { id: REQUESTER, username: 'rita', name: 'rita', team_id: 'T0FOLIO' };
const team = { id: 'T0FOLIO', domain: 'acme' };

async function refused(reason: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${t.folio.port}/metrics`);
  const line = new RegExp(
    `^folio_requests_refused_total\\{channel="slack",reason="${reason}"\\} (\\d+)$`,
    'm',
  );
  return Number(line.exec(await res.text())?.[1] ?? 0);
}

function errorLogs() {
  return t.logs.filter((line) => line.level === 'error');
}

/** The app still serves: /healthz answers and a ticket is filed end to end. */
async function stillServes() {
  const health = await fetch(`http://127.0.0.1:${t.folio.port}/healthz`);
  expect(health.status).toBe(200);
  const folio = await fileTicket(t, { user: REQUESTER, subject: 'Still here', category: 'IT' });
  const stored = await t.folio.services.db.select({ folio: tickets.folio }).from(tickets);
  expect(stored.map((row) => row.folio)).toContain(folio);
}

describe('malformed envelopes', () => {
  const cases: Array<[string, string, string]> = [
    ['a form whose payload is null', payload(null), FORM],
    ['a JSON body that is null', 'null', JSON_TYPE],
    ['a payload that is an empty object', payload({}), FORM],
    ['a payload that is an array', payload([]), FORM],
    ['a payload that is not JSON', form({ payload: '{"type":' }), FORM],
    ['a JSON body that is not JSON', '{"type":', JSON_TYPE],
    ['a form with neither payload nor command', form({ text: 'hello' }), FORM],
    [
      'block_actions whose actions are null',
      payload({ type: 'block_actions', user, team, actions: null, trigger_id: '1.2' }),
      FORM,
    ],
    [
      'block_actions without a user',
      payload({ type: 'block_actions', team, actions: [{ action_id: 'folio_take', type: 'button' }] }),
      FORM,
    ],
    ['a view submission without its view', payload({ type: 'view_submission', user, team }), FORM],
    [
      'a slash command without a user',
      form({ command: '/ticket', text: '', channel_id: 'C_GENERAL', trigger_id: '1.2', response_url: 'x' }),
      FORM,
    ],
    [
      'an event envelope without its event',
      JSON.stringify({ type: 'event_callback', event_id: 'Ev1' }),
      JSON_TYPE,
    ],
  ];

  it.each(cases)('answers %s with 400 at once, and keeps serving', async (_name, body, contentType) => {
    const before = await refused('malformed');
    const res = await t.slack.postRaw(body, contentType);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/^Malformed request: /);
    expect(await refused('malformed')).toBe(before + 1);
    expect(errorLogs()).toEqual([]);
    await stillServes();
  });
});

describe('well-formed requests nothing handles', () => {
  const cases: Array<[string, string, string]> = [
    [
      'a click on a button Folio never drew',
      payload({
        type: 'block_actions',
        user,
        team,
        trigger_id: '1.2',
        actions: [{ action_id: 'someone_elses_button', block_id: 'b', type: 'button', action_ts: '1.1' }],
      }),
      FORM,
    ],
    [
      'a modal Folio never opened',
      payload({
        type: 'view_submission',
        user,
        team,
        view: { id: 'V0NOTOURS', callback_id: 'someone_elses_modal', state: { values: {} } },
      }),
      FORM,
    ],
    ['an interaction type Folio does not use', payload({ type: 'dialog_submission', user, team }), FORM],
    ['an Events API envelope of another type', JSON.stringify({ type: 'app_deauthorized' }), JSON_TYPE],
  ];

  it.each(cases)('answers %s with 404 before Slack gives up, logging no error', async (_name, body, type) => {
    const before = await refused('unhandled');
    const started = Date.now();
    const res = await t.slack.postRaw(body, type);
    // Slack waits 3 seconds for an answer; Bolt's own receiver answered these only then.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(404);
    expect(await refused('unhandled')).toBe(before + 1);
    expect(errorLogs()).toEqual([]);
  });
});

describe('request timestamps', () => {
  const body = () =>
    form({
      ssl_check: '0',
      command: '/ticket',
      text: 'help',
      user_id: REQUESTER,
      channel_id: 'C_GENERAL',
      trigger_id: '1.2',
      response_url: 'https://hooks.example/1',
    });
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['10 minutes ahead', 600],
    ['10 minutes behind', -600],
    ['6 minutes ahead', 360],
  ])('refuses a correctly signed request %s with 401', async (_name, offset) => {
    const before = await refused('signature');
    const res = await t.slack.postRaw(body(), FORM, { timestamp: now() + offset });
    expect(res.status).toBe(401);
    expect(await refused('signature')).toBe(before + 1);
  });

  it('accepts one whose clock is 4 minutes off, either way', async () => {
    for (const offset of [240, -240]) {
      const res = await t.slack.postRaw(body(), FORM, { timestamp: now() + offset });
      expect(res.status).toBe(200);
      expect(String((res.json as { text?: string } | undefined)?.text)).toContain('/ticket');
    }
  });
});
