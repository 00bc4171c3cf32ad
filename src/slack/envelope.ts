import { z } from 'zod';

/**
 * What Slack sends to `POST /slack/events`, checked before Bolt sees it. Bolt reads fields of the body
 * without checking them (`body.ssl_check` of a `null` payload, `body.user.id` of a click without a
 * user) and would throw, or answer nothing until its 3-second timeout; a body that does not match one
 * of these shapes is answered 400 at once. The shapes hold only what Bolt and Folio's listeners rely
 * on; Slack's other fields pass through untouched.
 *
 * Bolt tells kinds apart by keys (`event`, `command`, `actions`, `name`), not by `type`: the keys that
 * would send a body to another kind of listener are refused where Slack never sends them.
 */

const id = z.string().min(1);
const person = z.looseObject({ id });
/** Org-wide installs send `team: null` on some interactions. */
const team = z.looseObject({ id }).nullish();
/** A key that must not be there. */
const absent = z.never().optional();
/** Keys by which Bolt would route an interaction to a listener of another kind. */
const notOtherKinds = { event: absent, command: absent, name: absent };

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user: person,
  team,
  actions: z.array(z.looseObject({ action_id: id })).min(1),
  ...notOtherKinds,
});

const view = z.looseObject({ id, callback_id: z.string() });

const viewSubmission = z.looseObject({
  type: z.literal('view_submission'),
  user: person,
  team,
  view,
  ...notOtherKinds,
  actions: absent,
});

const viewClosed = z.looseObject({
  type: z.literal('view_closed'),
  user: person,
  team,
  view,
  ...notOtherKinds,
  actions: absent,
});

const globalShortcut = z.looseObject({
  type: z.literal('shortcut'),
  callback_id: id,
  trigger_id: id,
  user: person,
  team,
  ...notOtherKinds,
  actions: absent,
});

const messageShortcut = z.looseObject({
  type: z.literal('message_action'),
  callback_id: id,
  trigger_id: id,
  user: person,
  team,
  channel: z.looseObject({ id }),
  message: z.looseObject({ ts: id }),
  ...notOtherKinds,
  actions: absent,
});

/** The interactions Folio has listeners for; any other `type` is well-formed but unhandled. */
const interaction = z.discriminatedUnion('type', [
  blockActions,
  viewSubmission,
  viewClosed,
  globalShortcut,
  messageShortcut,
]);
const HANDLED_INTERACTIONS: ReadonlySet<string> = new Set(
  interaction.options.map((option) => option.shape.type.value),
);

/** A slash command: a flat form, as Slack posts it. */
const slashCommand = z.looseObject({
  command: z.string().startsWith('/'),
  text: z.string(),
  user_id: id,
  channel_id: id,
  trigger_id: id,
  response_url: id,
  team_id: z.string().optional(),
});

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: id,
  team_id: z.string().optional(),
  event: z.looseObject({ type: id }),
  command: absent,
  name: absent,
  event_time: z.number().optional(),
  actions: absent,
});

const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: z.string() });

/** Any JSON object that says what it is: the start of every shape above. */
const typed = z.looseObject({ type: z.string() });

export type Envelope =
  /** Slack checking the TLS certificate: answered 200, needs no signature. */
  | { kind: 'ssl_check' }
  | { kind: 'url_verification'; challenge: string }
  /** For Bolt: one of the shapes above. */
  | { kind: 'dispatch'; body: Record<string, unknown> }
  /** Well-formed, but nothing in Folio handles it (an interaction type, an Events API envelope). */
  | { kind: 'unhandled'; type: string }
  | { kind: 'malformed'; reason: string };

const FORM = 'application/x-www-form-urlencoded';

export function isForm(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === FORM;
}

/** Only an unsigned `ssl_check=1` form may skip the signature (Slack does not sign it). */
export function isSslCheck(contentType: string | undefined, raw: string): boolean {
  return isForm(contentType) && new URLSearchParams(raw).get('ssl_check') === '1';
}

/** Reads a signed request's body into one of the envelopes Folio knows. */
export function readEnvelope(contentType: string | undefined, raw: string): Envelope {
  if (isForm(contentType)) {
    const form = formFields(raw);
    if (!form) return { kind: 'malformed', reason: 'a form field appears more than once' };
    if (form.ssl_check === '1') return { kind: 'ssl_check' };
    if (form.payload !== undefined) return fromInteraction(form.payload);
    if (form.command !== undefined) return check(slashCommand, form);
    return { kind: 'malformed', reason: 'a form without payload or command' };
  }
  const body = parseJson(raw);
  if (body === undefined) return { kind: 'malformed', reason: 'the body is not JSON' };
  const head = typed.safeParse(body);
  if (!head.success) return { kind: 'malformed', reason: 'the body is not an object with a type' };
  switch (head.data.type) {
    case 'url_verification': {
      const parsed = urlVerification.safeParse(body);
      return parsed.success
        ? { kind: 'url_verification', challenge: parsed.data.challenge }
        : { kind: 'malformed', reason: reasonOf(parsed.error) };
    }
    case 'event_callback':
      return check(eventCallback, body);
    default:
      return { kind: 'unhandled', type: head.data.type };
  }
}

function fromInteraction(payload: string): Envelope {
  const body = parseJson(payload);
  if (body === undefined) return { kind: 'malformed', reason: 'the payload is not JSON' };
  const head = typed.safeParse(body);
  if (!head.success) return { kind: 'malformed', reason: 'the payload is not an object with a type' };
  if (!HANDLED_INTERACTIONS.has(head.data.type)) return { kind: 'unhandled', type: head.data.type };
  return check(interaction, body);
}

function check(schema: z.ZodType<Record<string, unknown>>, body: unknown): Envelope {
  const parsed = schema.safeParse(body);
  return parsed.success
    ? { kind: 'dispatch', body: parsed.data }
    : { kind: 'malformed', reason: reasonOf(parsed.error) };
}

/** `user.id: expected string` — the first problem, for the log. */
function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** A form's fields; undefined when a field is repeated (Slack never sends one twice). */
function formFields(raw: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (Object.hasOwn(fields, key)) return undefined;
    fields[key] = value;
  }
  return fields;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
