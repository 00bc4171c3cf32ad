import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { CREATE_INPUT, VIEW } from '../../../../src/slack/ids.js';
import {
  type CreateTicketModalOptions,
  createTicketMetadataSchema,
  createTicketModal,
  readCreateTicketForm,
} from '../../../../src/slack/intake/createTicketModal.js';
import { parseStateValues } from '../../../../src/slack/kit/state.js';

const DESKS = [
  { key: 'it', name: 'IT' },
  { key: 'hr', name: 'People & HR' },
];
const CATEGORIES = [
  { id: 1, name: 'Technical support' },
  { id: 2, name: 'IT' },
  { id: 3, name: 'HR' },
  { id: 4, name: 'Other' },
];

const modal = (o: Partial<CreateTicketModalOptions> = {}) =>
  createTicketModal({
    desks: DESKS,
    categories: CATEGORIES,
    metadata: { source: 'slash_command', channelId: 'C_GENERAL' },
    ...o,
  });

const inputs = (view: types.ModalView) =>
  view.blocks.filter((b): b is types.InputBlock => b.type === 'input');

function input(view: types.ModalView, id: string): types.InputBlock {
  const block = inputs(view).find((b) => b.block_id === id);
  if (!block) throw new Error(`no input block ${id}`);
  return block;
}

function textInput(view: types.ModalView, id: string): types.PlainTextInput {
  const { element } = input(view, id);
  if (element.type !== 'plain_text_input') throw new Error(`${id} is a ${element.type}`);
  return element;
}

function select(view: types.ModalView, id: string): types.StaticSelect {
  const { element } = input(view, id);
  if (element.type !== 'static_select') throw new Error(`${id} is a ${element.type}`);
  return element;
}

const optionPairs = (options: types.StaticSelect['options']) =>
  (options ?? []).map((o) => [o.text.text, o.value]);

/** A lone UTF-16 surrogate: half an emoji, which Slack shows as a broken character (or refuses). */
const hasBrokenCharacter = (text: string) => /\p{Cs}/u.test(text);

describe('createTicketModal', () => {
  it('is the create modal with short title and buttons', () => {
    const view = modal();
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe(VIEW.createTicket);
    expect([view.title.text, view.submit?.text, view.close?.text]).toEqual([
      'New ticket',
      'Create',
      'Cancel',
    ]);
    for (const t of [view.title, view.submit, view.close]) expect(t?.text.length).toBeLessThanOrEqual(24);
  });

  it('has six inputs, each with block_id and action_id from ids.ts', () => {
    const view = modal();
    expect(view.blocks).toHaveLength(6);
    expect(
      inputs(view).map((b) => [b.block_id, b.element.action_id, b.label.text, b.optional === true]),
    ).toEqual([
      [CREATE_INPUT.subject, CREATE_INPUT.subject, 'Subject', false],
      [CREATE_INPUT.description, CREATE_INPUT.description, 'Description', true],
      [CREATE_INPUT.category, CREATE_INPUT.category, 'Category', false],
      [CREATE_INPUT.priority, CREATE_INPUT.priority, 'Priority', false],
      [CREATE_INPUT.desk, CREATE_INPUT.desk, 'Desk', true],
      [CREATE_INPUT.attachments, CREATE_INPUT.attachments, 'Attachments', true],
    ]);
  });

  it('asks for the requester and lists the message’s files when made from a message', () => {
    const view = modal({
      fromMessage: { requester: 'U_AUTHOR', files: [{ name: 'screen <1>.png' }], truncated: true },
    });
    const requester = inputs(view).find((b) => b.block_id === CREATE_INPUT.requester);
    expect(requester?.element).toMatchObject({ type: 'users_select', initial_user: 'U_AUTHOR' });
    const note = JSON.stringify(view.blocks.at(-1));
    expect(note).toContain('screen &lt;1&gt;.png');
    expect(note).toContain('the ticket keeps all of it');
  });

  it('offers the categories, the priorities and the desks', () => {
    const view = modal();
    expect(optionPairs(select(view, CREATE_INPUT.category).options)).toEqual([
      ['Technical support', '1'],
      ['IT', '2'],
      ['HR', '3'],
      ['Other', '4'],
    ]);
    expect(optionPairs(select(view, CREATE_INPUT.priority).options)).toEqual([
      ['Low', 'low'],
      ['Medium', 'medium'],
      ['High', 'high'],
      ['Urgent', 'urgent'],
    ]);
    expect(optionPairs(select(view, CREATE_INPUT.desk).options)).toEqual([
      ['IT', 'it'],
      ['People & HR', 'hr'],
    ]);
  });

  it('starts empty, with Medium priority', () => {
    const view = modal();
    expect(textInput(view, CREATE_INPUT.subject).initial_value).toBeUndefined();
    expect(textInput(view, CREATE_INPUT.description).initial_value).toBeUndefined();
    expect(select(view, CREATE_INPUT.category).initial_option).toBeUndefined();
    expect(select(view, CREATE_INPUT.desk).initial_option).toBeUndefined();
    expect(select(view, CREATE_INPUT.priority).initial_option?.value).toBe('medium');
  });

  it('fills in the initial values it is given', () => {
    const view = modal({
      initial: {
        subject: 'printer on fire',
        description: 'Smoke from tray 2',
        categoryId: 2,
        deskKey: 'hr',
        priority: 'urgent',
      },
    });
    expect(textInput(view, CREATE_INPUT.subject).initial_value).toBe('printer on fire');
    expect(textInput(view, CREATE_INPUT.description).initial_value).toBe('Smoke from tray 2');
    expect(select(view, CREATE_INPUT.category).initial_option).toEqual({
      text: { type: 'plain_text', text: 'IT', emoji: true },
      value: '2',
    });
    expect(select(view, CREATE_INPUT.desk).initial_option?.value).toBe('hr');
    expect(select(view, CREATE_INPUT.priority).initial_option?.value).toBe('urgent');
  });

  it('preselects nothing for a category or desk it does not offer', () => {
    const view = modal({ initial: { categoryId: 99, deskKey: 'ops' } });
    expect(select(view, CREATE_INPUT.category).initial_option).toBeUndefined();
    expect(select(view, CREATE_INPUT.desk).initial_option).toBeUndefined();
  });

  it('cuts a pre-filled subject to 120 characters and a description to 3000, marking the cut', () => {
    const view = modal({ initial: { subject: 's'.repeat(200), description: 'd'.repeat(5000) } });
    expect(textInput(view, CREATE_INPUT.subject).initial_value).toBe(`${'s'.repeat(119)}…`);
    expect(textInput(view, CREATE_INPUT.subject).max_length).toBe(120);
    expect(textInput(view, CREATE_INPUT.description).initial_value).toBe(`${'d'.repeat(2999)}…`);
    expect(textInput(view, CREATE_INPUT.description).max_length).toBe(3000);
  });

  it('never cuts an emoji in half when shortening pre-filled text', () => {
    const view = modal({
      initial: { subject: `${'s'.repeat(119)}🔥 fire`, description: `${'d'.repeat(2999)}🔥 more text` },
    });
    const subject = textInput(view, CREATE_INPUT.subject).initial_value ?? '';
    const description = textInput(view, CREATE_INPUT.description).initial_value ?? '';
    expect(hasBrokenCharacter(subject)).toBe(false);
    expect(hasBrokenCharacter(description)).toBe(false);
    expect(subject.startsWith('s'.repeat(119))).toBe(true);
    expect(description.startsWith('d'.repeat(2999))).toBe(true);
  });

  it('keeps option texts within 75 characters and holds 100 categories in 5 blocks', () => {
    const categories = Array.from({ length: 100 }, (_, i) => ({
      id: i + 1,
      name: `Category ${i + 1} ${'x'.repeat(80)}`,
    }));
    const view = modal({ categories });
    const options = select(view, CREATE_INPUT.category).options ?? [];
    expect(options).toHaveLength(100);
    for (const o of options) expect(Array.from(o.text.text).length).toBeLessThanOrEqual(75);
    expect(options[0]?.text.text).toBe(`Category 1 ${'x'.repeat(63)}…`);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it.each([
    { source: 'slash_command' as const, channelId: 'C_GENERAL' },
    { source: 'global_shortcut' as const },
    { source: 'message_shortcut' as const, channelId: 'D_DM' },
  ])('carries its metadata through private_metadata: %o', (metadata) => {
    const view = modal({ metadata });
    const raw = view.private_metadata ?? '';
    expect(raw.length).toBeLessThanOrEqual(3000);
    expect(createTicketMetadataSchema.parse(JSON.parse(raw))).toEqual(metadata);
  });
});

type Picks = Partial<Record<string, string | null>>;

/**
 * `view.state.values` as Slack sends it on submission: one entry per input, keyed by block_id then
 * action_id, with what the person typed or picked (`picks`, by value) or else the input's initial value.
 * A pick that is not among the options (a stale or forged modal) is sent as is.
 */
function submitted(view: types.ModalView, picks: Picks): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const b of inputs(view)) {
    const id = b.block_id ?? '';
    const el = b.element;
    const action = el.action_id ?? '';
    const pick = picks[id];
    if (el.type === 'plain_text_input') {
      values[id] = {
        [action]: { type: el.type, value: pick === undefined ? (el.initial_value ?? null) : pick },
      };
    } else if (el.type === 'static_select') {
      const offered = (el.options ?? []).find((o) => o.value === pick);
      const selected =
        pick === undefined
          ? (el.initial_option ?? null)
          : pick === null
            ? null
            : (offered ?? { text: { type: 'plain_text', text: pick, emoji: true }, value: pick });
      values[id] = { [action]: { type: el.type, selected_option: selected } };
    }
  }
  return values;
}

const read = (picks: Picks, view = modal()) => readCreateTicketForm(parseStateValues(submitted(view, picks)));

describe('readCreateTicketForm', () => {
  it('reads a complete submission', () => {
    expect(
      read({
        subject: 'Printer jammed',
        description: 'Tray 2, since this morning',
        category: '2',
        priority: 'high',
        desk: 'hr',
      }),
    ).toEqual({
      value: {
        subject: 'Printer jammed',
        description: 'Tray 2, since this morning',
        categoryId: 2,
        deskKey: 'hr',
        priority: 'high',
        files: [],
      },
      errors: {},
    });
  });

  it('reads optional inputs left empty (Slack sends null) as empty', () => {
    expect(read({ subject: 'Printer jammed', description: null, category: '1' })).toEqual({
      value: {
        subject: 'Printer jammed',
        description: '',
        categoryId: 1,
        deskKey: null,
        priority: 'medium',
        files: [],
      },
      errors: {},
    });
  });

  it('reads the pre-filled values when nothing is changed', () => {
    const view = modal({
      initial: { subject: 'printer on fire', categoryId: 3, deskKey: 'hr', priority: 'low' },
    });
    expect(read({}, view).value).toEqual({
      subject: 'printer on fire',
      description: '',
      categoryId: 3,
      deskKey: 'hr',
      priority: 'low',
      files: [],
    });
  });

  it('asks for a category when none is chosen', () => {
    expect(read({ subject: 'x', category: null })).toEqual({
      value: {
        subject: 'x',
        description: '',
        categoryId: null,
        deskKey: null,
        priority: 'medium',
        files: [],
      },
      errors: { [CREATE_INPUT.category]: 'Choose a category.' },
    });
  });

  it.each(['abc', '0', '-3', '2.5', ''])('refuses the category value %j the modal never offered', (value) => {
    const result = read({ subject: 'x', category: value });
    expect(result.errors).toEqual({ [CREATE_INPUT.category]: 'Choose one of the categories offered.' });
    expect(result.value.categoryId).toBeNull();
  });

  it('refuses a priority the modal never offered', () => {
    expect(read({ subject: 'x', category: '1', priority: 'critical' })).toEqual({
      value: { subject: 'x', description: '', categoryId: 1, deskKey: null, priority: 'medium', files: [] },
      errors: { [CREATE_INPUT.priority]: 'Choose one of the priorities offered.' },
    });
  });

  it('reports every shape problem at once', () => {
    expect(read({ subject: 'x', category: 'abc', priority: 'critical' }).errors).toEqual({
      [CREATE_INPUT.category]: 'Choose one of the categories offered.',
      [CREATE_INPUT.priority]: 'Choose one of the priorities offered.',
    });
  });

  it('reads a payload of the wrong shape as empty, asking for a category', () => {
    expect(readCreateTicketForm(parseStateValues({ subject: 'not an object' }))).toEqual({
      value: { subject: '', description: '', categoryId: null, deskKey: null, priority: 'medium', files: [] },
      errors: { [CREATE_INPUT.category]: 'Choose a category.' },
    });
  });
});
