import { isRecord, type JsonObject, recordsIn, stringAt, withGeneratedIds } from './fakeSlack.js';
import type { InteractionResult, SendOptions, SlackRequests } from './slackRequests.js';

/**
 * Fills a modal in as a person would: by the visible label, choosing options by their visible text,
 * and submits it with the `state.values` Slack would build. Build it from the `view` argument of
 * `views.open`/`views.update`/`views.push`, or from the view the fake stored (`fake.view(id)`,
 * `fake.lastView()`); submitting needs the latter's `id`.
 */

/** One entry of `state.values[blockId][actionId]`: the element type and its value field(s). */
export interface StateValue {
  type: string;
  [field: string]: unknown;
}

export type StateValues = Record<string, Record<string, StateValue>>;

export interface ModalInput {
  label: string;
  blockId: string;
  actionId: string;
  type: string;
  optional: boolean;
}

/** Text, an option's text, a list of those, a user id, epoch seconds, or file objects. */
export type FillValue = string | number | readonly string[] | readonly JsonObject[];

export interface SubmitOptions extends SendOptions {
  /** Send even when Slack's client would refuse (a required input empty, text too long…). */
  skipClientValidation?: boolean;
}

/** How Slack reports one element type in `state.values`. */
interface ElementKind {
  /** The state before the person touches it: initial values count as filled. */
  initial(element: JsonObject): JsonObject;
  /** The state after the person enters `value`; throws for what a person could not enter. */
  fill(element: JsonObject, value: FillValue, label: string): JsonObject;
  /** Slack's client refuses to submit a required input in this state. */
  isEmpty(state: StateValue): boolean;
}

interface Field {
  blockId: string;
  actionId: string;
  element: JsonObject;
  kind: ElementKind | undefined;
  /** Present for `input` blocks; other stateful elements (in actions/sections) have no label. */
  input: ModalInput | undefined;
}

// ---------------------------------------------------------------------------------------------------
// Element kinds.

function fail(label: string, message: string): never {
  throw new Error(`Input "${label}": ${message}`);
}

function expectString(value: FillValue, label: string, what: string): string {
  return typeof value === 'string' ? value : fail(label, `expects ${what}, got ${JSON.stringify(value)}`);
}

function expectStrings(value: FillValue, label: string, what: string): string[] {
  const strings = Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
  if (!Array.isArray(value) || strings.length !== value.length) {
    fail(label, `expects an array of ${what}, got ${JSON.stringify(value)}`);
  }
  return strings;
}

function optionsOf(element: JsonObject): JsonObject[] {
  const grouped = recordsIn(element.option_groups).flatMap((group) => recordsIn(group.options));
  return [...recordsIn(element.options), ...grouped];
}

function optionText(option: JsonObject): string {
  return stringAt(option.text, 'text') ?? '';
}

/** The option whose visible text is `text` (exact, else case-insensitive). */
function findOption(element: JsonObject, text: string, label: string): JsonObject {
  const options = optionsOf(element);
  if (options.length === 0) {
    fail(label, `${String(element.type)} has no static options: use fillRaw() with a selected_option`);
  }
  const found =
    options.find((option) => optionText(option) === text) ??
    options.find((option) => optionText(option).toLowerCase() === text.toLowerCase());
  if (found) return found;
  const listed = options.map((option) => `"${optionText(option)}" (${String(option.value)})`).join(', ');
  return fail(label, `no option "${text}"; options: ${listed}`);
}

const textInput: ElementKind = {
  initial: (element) => ({ value: stringAt(element, 'initial_value') ?? null }),
  fill: (_element, value, label) => {
    const text = typeof value === 'number' ? String(value) : expectString(value, label, 'text');
    return { value: text === '' ? null : text };
  },
  isEmpty: (state) => state.value === null || state.value === '' || state.value === undefined,
};

const singleOption: ElementKind = {
  initial: (element) => ({
    selected_option: isRecord(element.initial_option) ? element.initial_option : null,
  }),
  fill: (element, value, label) => ({
    selected_option: findOption(element, expectString(value, label, 'the text of an option'), label),
  }),
  isEmpty: (state) => state.selected_option === null || state.selected_option === undefined,
};

const multiOption: ElementKind = {
  initial: (element) => ({ selected_options: recordsIn(element.initial_options) }),
  fill: (element, value, label) => ({
    selected_options: expectStrings(value, label, 'option texts').map((text) =>
      findOption(element, text, label),
    ),
  }),
  isEmpty: (state) => !Array.isArray(state.selected_options) || state.selected_options.length === 0,
};

/** users_select, conversations_select, channels_select: one id. */
function singleId(selected: string, initial: string): ElementKind {
  return {
    initial: (element) => ({ [selected]: stringAt(element, initial) ?? null }),
    fill: (_element, value, label) => ({ [selected]: expectString(value, label, 'an id') }),
    isEmpty: (state) => typeof state[selected] !== 'string',
  };
}

/** multi_users_select, multi_conversations_select, multi_channels_select: a list of ids. */
function manyIds(selected: string, initial: string): ElementKind {
  return {
    initial: (element) => ({
      [selected]: Array.isArray(element[initial])
        ? element[initial].filter((id) => typeof id === 'string')
        : [],
    }),
    fill: (_element, value, label) => ({ [selected]: expectStrings(value, label, 'ids') }),
    isEmpty: (state) => !Array.isArray(state[selected]) || state[selected].length === 0,
  };
}

/** datepicker (YYYY-MM-DD) and timepicker (HH:mm): a string Slack checks the format of. */
function formatted(selected: string, initial: string, pattern: RegExp, format: string): ElementKind {
  return {
    initial: (element) => ({ [selected]: stringAt(element, initial) ?? null }),
    fill: (_element, value, label) => {
      const text = expectString(value, label, format);
      return pattern.test(text) ? { [selected]: text } : fail(label, `expects ${format}, got "${text}"`);
    },
    isEmpty: (state) => typeof state[selected] !== 'string',
  };
}

const dateTime: ElementKind = {
  initial: (element) => ({
    selected_date_time: typeof element.initial_date_time === 'number' ? element.initial_date_time : null,
  }),
  fill: (_element, value, label) => {
    if (typeof value !== 'number' || !Number.isInteger(value))
      fail(label, 'expects epoch seconds (an integer)');
    // Date.now() is milliseconds; Slack's datetimepicker speaks seconds.
    if (value > 100_000_000_000)
      fail(label, `${value} looks like milliseconds; datetimepicker uses epoch seconds`);
    return { selected_date_time: value };
  },
  isEmpty: (state) => typeof state.selected_date_time !== 'number',
};

const fileInput: ElementKind = {
  initial: () => ({ files: [] }),
  fill: (_element, value, label) => {
    const files = Array.isArray(value) ? value.filter(isRecord) : [];
    if (!Array.isArray(value) || files.length !== value.length)
      fail(label, 'expects an array of file objects');
    return { files };
  },
  isEmpty: (state) => !Array.isArray(state.files) || state.files.length === 0,
};

const richText: ElementKind = {
  initial: (element) => ({
    rich_text_value: isRecord(element.initial_value)
      ? element.initial_value
      : { type: 'rich_text', elements: [] },
  }),
  fill: (_element, value, label) => ({
    rich_text_value: {
      type: 'rich_text',
      elements: [
        { type: 'rich_text_section', elements: [{ type: 'text', text: expectString(value, label, 'text') }] },
      ],
    },
  }),
  isEmpty: (state) =>
    recordsIn(isRecord(state.rich_text_value) ? state.rich_text_value.elements : []).length === 0,
};

/** Stateful element types; buttons and overflow menus have no state. */
const KINDS: Record<string, ElementKind> = {
  plain_text_input: textInput,
  email_text_input: textInput,
  url_text_input: textInput,
  number_input: textInput,
  static_select: singleOption,
  external_select: singleOption,
  radio_buttons: singleOption,
  multi_static_select: multiOption,
  multi_external_select: multiOption,
  checkboxes: multiOption,
  users_select: singleId('selected_user', 'initial_user'),
  conversations_select: singleId('selected_conversation', 'initial_conversation'),
  channels_select: singleId('selected_channel', 'initial_channel'),
  multi_users_select: manyIds('selected_users', 'initial_users'),
  multi_conversations_select: manyIds('selected_conversations', 'initial_conversations'),
  multi_channels_select: manyIds('selected_channels', 'initial_channels'),
  datepicker: formatted(
    'selected_date',
    'initial_date',
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
    'YYYY-MM-DD',
  ),
  timepicker: formatted('selected_time', 'initial_time', /^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm'),
  datetimepicker: dateTime,
  file_input: fileInput,
  rich_text_input: richText,
};

// ---------------------------------------------------------------------------------------------------
// Reading the view.

function inputField(block: JsonObject): Field | undefined {
  const element = block.element;
  if (!isRecord(element)) return undefined;
  const type = stringAt(element, 'type') ?? '';
  const input: ModalInput = {
    label: stringAt(block.label, 'text') ?? '',
    blockId: stringAt(block, 'block_id') ?? '',
    actionId: stringAt(element, 'action_id') ?? '',
    type,
    optional: block.optional === true,
  };
  return { blockId: input.blockId, actionId: input.actionId, element, kind: KINDS[type], input };
}

/** Since 2020 `state.values` also carries stateful elements outside input blocks. */
function otherStatefulFields(block: JsonObject): Field[] {
  const elements = block.type === 'actions' ? recordsIn(block.elements) : [block.accessory].filter(isRecord);
  return elements.flatMap((element) => {
    const kind = KINDS[stringAt(element, 'type') ?? ''];
    const blockId = stringAt(block, 'block_id');
    const actionId = stringAt(element, 'action_id');
    return kind && blockId && actionId ? [{ blockId, actionId, element, kind, input: undefined }] : [];
  });
}

function fieldsOf(blocks: unknown[]): Field[] {
  return recordsIn(withGeneratedIds(blocks)).flatMap((block) => {
    if (block.type === 'input') return [inputField(block)].filter((field) => field !== undefined);
    return otherStatefulFields(block);
  });
}

/** What Slack's client checks before it lets a person submit. */
function clientSideProblem(
  input: ModalInput,
  element: JsonObject,
  kind: ElementKind,
  state: StateValue,
): string[] {
  if (kind.isEmpty(state)) return input.optional ? [] : [`"${input.label}" is required`];
  const problems: string[] = [];
  const text = typeof state.value === 'string' ? state.value : undefined;
  const { min_length: min, max_length: max, max_selected_items: maxItems } = element;
  if (text !== undefined && typeof min === 'number' && text.length < min) {
    problems.push(`"${input.label}" needs at least ${min} characters`);
  }
  if (text !== undefined && typeof max === 'number' && text.length > max) {
    problems.push(`"${input.label}" allows at most ${max} characters`);
  }
  const chosen = [
    state.selected_options,
    state.selected_users,
    state.selected_conversations,
    state.selected_channels,
  ];
  const count = Math.max(0, ...chosen.map((list) => (Array.isArray(list) ? list.length : 0)));
  if (typeof maxItems === 'number' && count > maxItems) {
    problems.push(`"${input.label}" allows at most ${maxItems} selections`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------

export class ModalForm {
  private readonly filled = new Map<Field, StateValue>();

  private constructor(
    private readonly source: JsonObject,
    private readonly fields: Field[],
  ) {}

  static from(view: unknown): ModalForm {
    if (!isRecord(view) || !Array.isArray(view.blocks)) {
      throw new Error(
        `ModalForm.from expects a view with blocks, got ${JSON.stringify(view)?.slice(0, 200)}`,
      );
    }
    return new ModalForm(view, fieldsOf(view.blocks));
  }

  /** The id the fake gave the view; undefined for a view taken from call arguments. */
  get viewId(): string | undefined {
    return stringAt(this.source, 'id');
  }

  get title(): string {
    return stringAt(this.source.title, 'text') ?? '';
  }

  get callbackId(): string {
    return stringAt(this.source, 'callback_id') ?? '';
  }

  get privateMetadata(): string {
    return stringAt(this.source, 'private_metadata') ?? '';
  }

  inputs(): ModalInput[] {
    return this.fields.flatMap((field) => (field.input ? [field.input] : []));
  }

  /** Enters `value` in the input labelled `label`, the way a person can (see FillValue). */
  fill(label: string, value: FillValue): this {
    const field = this.inputLabelled(label);
    const type = field.input?.type ?? '';
    if (field.kind === undefined) return fail(label, `element type ${type} is not supported: use fillRaw()`);
    this.filled.set(field, { type, ...field.kind.fill(field.element, value, label) });
    return this;
  }

  /** Writes a state value as is (for inputs a person could not produce, or external selects). */
  fillRaw(label: string, stateValue: Omit<StateValue, 'type'> & { type?: string }): this {
    const field = this.inputLabelled(label);
    this.filled.set(field, { type: field.input?.type ?? '', ...stateValue });
    return this;
  }

  /** `view.state.values` as Slack sends it on submission: every stateful element, filled or not. */
  stateValues(): StateValues {
    const values: StateValues = {};
    for (const field of this.fields) {
      const block = values[field.blockId] ?? {};
      block[field.actionId] = this.stateOf(field);
      values[field.blockId] = block;
    }
    return values;
  }

  /** Why Slack's client would refuse to submit the form as it stands (empty when it would send it). */
  clientSideProblems(): string[] {
    return this.fields.flatMap((field) =>
      field.input && field.kind
        ? clientSideProblem(field.input, field.element, field.kind, this.stateOf(field))
        : [],
    );
  }

  /** Submits the view the fake holds under this form's view id, with this form's values. */
  async submit(
    requests: SlackRequests,
    user?: string,
    options: SubmitOptions = {},
  ): Promise<InteractionResult> {
    const { skipClientValidation = false, ...send } = options;
    const problems = this.clientSideProblems();
    if (problems.length > 0 && !skipClientValidation) {
      throw new Error(`Slack would not submit "${this.title}": ${problems.join('; ')}`);
    }
    const view = this.viewId === undefined ? undefined : requests.fake.view(this.viewId);
    if (view === undefined) {
      throw new Error(
        `Cannot submit "${this.title}": the fake holds no view with id ${String(this.viewId)}. ` +
          'Build the form from fake.view(id) or fake.lastView(), not from call arguments.',
      );
    }
    return requests.viewSubmission({ view, values: this.stateValues(), ...(user ? { user } : {}), ...send });
  }

  private stateOf(field: Field): StateValue {
    const type = stringAt(field.element, 'type') ?? '';
    return this.filled.get(field) ?? { type, ...field.kind?.initial(field.element) };
  }

  private inputLabelled(label: string): Field {
    const inputs = this.fields.filter((field) => field.input !== undefined);
    const exact = inputs.filter((field) => field.input?.label === label);
    const matches =
      exact.length > 0
        ? exact
        : inputs.filter((field) => field.input?.label.trim().toLowerCase() === label.trim().toLowerCase());
    const [only, ...others] = matches;
    const labels = inputs.map((field) => `"${field.input?.label}"`).join(', ');
    if (only === undefined)
      throw new Error(`No input labelled "${label}" in "${this.title}". Inputs: ${labels}`);
    if (others.length > 0)
      throw new Error(`Several inputs are labelled "${label}" in "${this.title}": ${labels}`);
    return only;
  }
}
