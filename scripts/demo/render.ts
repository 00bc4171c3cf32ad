import { isRecord, type JsonObject, recordsIn, stringAt } from '../../test/harness/fakeSlack.js';

/**
 * Block Kit and mrkdwn as plain text for a terminal: mentions as @name, channels as #name, dates as
 * their fallback text, buttons as [Take], fields as "Label  value", modal inputs as "Label  [value]".
 * Nothing here knows Folio: it reads whatever the app sent to the fake Slack.
 */

/** Who and where ids are, so `<@U_ANA>` reads `@Ana` and `<#C_IT_DESK>` reads `#it-desk`. */
export interface Names {
  person(userId: string): string;
  channel(channelId: string): string;
  /** Someone known by their mail address only: `Dana` for dana@contractor.example. */
  address(mailAddress: string): string;
}

/** Terminal styling: identity functions unless stdout is a TTY (and NO_COLOR is unset). */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  italic(text: string): string;
  accent(text: string): string;
  good(text: string): string;
  bad(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function makeStyle(colour: boolean): Style {
  const same = (text: string) => text;
  return colour
    ? {
        bold: sgr(1, 22),
        dim: sgr(2, 22),
        italic: sgr(3, 23),
        accent: sgr(36, 39),
        good: sgr(32, 39),
        bad: sgr(31, 39),
      }
    : { bold: same, dim: same, italic: same, accent: same, good: same, bad: same };
}

/** The emoji Folio writes, as the characters Slack would draw; unknown ones stay `:name:`. */
const EMOJI: Record<string, string> = {
  large_green_circle: '🟢',
  large_blue_circle: '🔵',
  hourglass_flowing_sand: '⏳',
  white_check_mark: '✅',
  lock: '🔒',
  small_blue_diamond: '🔹',
  small_orange_diamond: '🔸',
  large_orange_diamond: '🔶',
  rotating_light: '🚨',
  alarm_clock: '⏰',
  stopwatch: '⏱',
  warning: '⚠',
  zzz: '💤',
  paperclip: '📎',
  link: '🔗',
  ticket: '🎫',
  tada: '🎉',
  speech_balloon: '💬',
  memo: '📝',
  no_entry: '⛔',
  leftwards_arrow_with_hook: '↩',
};

/** One rendered line. Fields keep label and value apart so they can be laid out in columns. */
export type Line =
  | { kind: 'header' | 'text' | 'context' | 'actions' | 'divider'; text: string }
  | { kind: 'field'; text: string; label: string; value: string; wide?: boolean };

/** Slack's `&lt;` `&gt;` `&amp;`, after every real `<…>` entity has been read. */
function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** `<@U…>`, `<#C…|name>`, `<!date^…|fallback>`, `<!here>`, `<url|label>` as a reader sees them. */
function entity(inner: string, names: Names): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return `@${names.person(target.slice(1))}`;
  if (target.startsWith('#')) return `#${label ?? names.channel(target.slice(1))}`;
  if (target.startsWith('!date^')) return label ?? target;
  if (target.startsWith('!subteam^')) return label ?? '@team';
  if (target.startsWith('!')) return `@${target.slice(1)}`;
  return label && label !== target ? `${label} (${target})` : target;
}

/** mrkdwn → text: entities, emoji, *bold*, _italic_, ~strike~ (styled when the style can). */
export function mrkdwnText(text: string, names: Names, style: Style): string {
  const boundary = '(^|[\\s(\\[•·—-])';
  const end = '(?=$|[\\s).,:;!?\\]…’])';
  return unescapeEntities(
    text
      .replace(/<([^<>]+)>/g, (_whole, inner: string) => entity(inner, names))
      .replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole)
      .replace(
        new RegExp(`${boundary}\\*([^*\\n]+)\\*${end}`, 'g'),
        (_w, pre: string, inner: string) => `${pre}${style.bold(inner)}`,
      )
      .replace(
        new RegExp(`${boundary}_([^_\\n]+)_${end}`, 'g'),
        (_w, pre: string, inner: string) => `${pre}${style.italic(inner)}`,
      )
      .replace(
        new RegExp(`${boundary}~([^~\\n]+)~${end}`, 'g'),
        (_w, pre: string, inner: string) => `${pre}${inner}`,
      ),
  );
}

/** A text object (`plain_text` or `mrkdwn`) as text. */
export function textOf(value: unknown, names: Names, style: Style): string {
  const text = stringAt(value, 'text') ?? '';
  return stringAt(value, 'type') === 'mrkdwn' ? mrkdwnText(text, names, style) : text;
}

/** The date a datetimepicker or a date fallback would show: UTC, as Folio's own fallbacks. */
export function utcMinutes(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** An interactive element as a reader sees it: `[Take]`, `[Medium ▾]`, `[⋯ Resolve | Close]`. */
export function elementText(element: JsonObject, names: Names, style: Style): string {
  const type = stringAt(element, 'type') ?? '';
  switch (type) {
    case 'button': {
      const label = `[${textOf(element.text, names, style)}]`;
      return stringAt(element, 'style') === 'primary' ? style.bold(label) : label;
    }
    case 'overflow':
      return `[⋯ ${recordsIn(element.options)
        .map((o) => textOf(o.text, names, style))
        .join(' | ')}]`;
    case 'static_select':
    case 'external_select': {
      const chosen = isRecord(element.initial_option)
        ? textOf(element.initial_option.text, names, style)
        : '';
      return `[${chosen || style.dim(textOf(element.placeholder, names, style) || 'Choose')} ▾]`;
    }
    case 'users_select':
      return `[${stringAt(element, 'initial_user') ? `@${names.person(stringAt(element, 'initial_user') ?? '')}` : 'a person'} ▾]`;
    case 'datetimepicker': {
      const at = element.initial_date_time;
      return `[${typeof at === 'number' ? utcMinutes(at) : 'date and time'} 📅]`;
    }
    case 'datepicker':
      return `[${stringAt(element, 'initial_date') ?? 'date'} 📅]`;
    case 'file_input':
      return `[📎 ${style.dim('add files')}]`;
    case 'plain_text_input': {
      // Empty, with its placeholder beside it: in a plain terminal it must not read as typed text.
      const initial = stringAt(element, 'initial_value');
      const placeholder = textOf(element.placeholder, names, style);
      if (initial !== undefined) return `[${initial}]`;
      return `[${' '.repeat(12)}]${placeholder ? style.dim(`  e.g. ${placeholder}`) : ''}`;
    }
    case 'image':
      return `[image: ${stringAt(element, 'alt_text') ?? ''}]`;
    default:
      return `[${type}]`;
  }
}

function richText(value: unknown): string {
  if (!isRecord(value)) return '';
  if (typeof value.text === 'string') return value.text;
  return recordsIn(value.elements).map(richText).join('');
}

/** Each block as one or more lines. */
export function renderBlocks(blocks: unknown, names: Names, style: Style): Line[] {
  const lines: Line[] = [];
  for (const block of recordsIn(blocks)) {
    switch (block.type) {
      case 'header':
        lines.push({ kind: 'header', text: textOf(block.text, names, style) });
        break;
      case 'section': {
        if (block.text !== undefined) {
          const accessory = isRecord(block.accessory) ? ` ${elementText(block.accessory, names, style)}` : '';
          for (const [i, part] of textOf(block.text, names, style).split('\n').entries()) {
            lines.push({ kind: 'text', text: i === 0 ? `${part}${accessory}` : part });
          }
        }
        for (const field of recordsIn(block.fields)) {
          const raw = stringAt(field, 'text') ?? '';
          const labelled = /^\*([^*\n]+)\*\n([\s\S]*)$/.exec(raw);
          const label = labelled?.[1] ?? '';
          const value = textOf({ ...field, text: labelled?.[2] ?? raw }, names, style).replace(/\n/g, ' ');
          lines.push({ kind: 'field', label, value, text: label ? `${label}: ${value}` : value });
        }
        break;
      }
      case 'context': {
        const parts = recordsIn(block.elements).map((e) =>
          e.type === 'image' ? '' : textOf(e, names, style),
        );
        lines.push({ kind: 'context', text: parts.filter(Boolean).join('  ') });
        break;
      }
      case 'actions':
        lines.push({
          kind: 'actions',
          text: recordsIn(block.elements)
            .map((e) => elementText(e, names, style))
            .join(' '),
        });
        break;
      case 'divider':
        lines.push({ kind: 'divider', text: '─'.repeat(24) });
        break;
      case 'rich_text':
        lines.push({ kind: 'text', text: richText(block) });
        break;
      case 'image':
        lines.push({ kind: 'text', text: `[image: ${stringAt(block, 'alt_text') ?? ''}]` });
        break;
      default:
        lines.push({ kind: 'context', text: `(${String(block.type)} block)` });
    }
  }
  return lines;
}

/** A message: its blocks, or its text when it has none; then its files, as Slack lists them under it. */
export function renderMessage(
  message: { text?: unknown; blocks?: unknown; files?: unknown },
  names: Names,
  style: Style,
): Line[] {
  const blocks = recordsIn(message.blocks);
  const text = typeof message.text === 'string' ? message.text : '';
  const lines =
    blocks.length > 0
      ? renderBlocks(blocks, names, style)
      : text === ''
        ? []
        : text.split('\n').map((t): Line => ({ kind: 'text', text: mrkdwnText(t, names, style) }));
  for (const file of recordsIn(message.files)) {
    const size = typeof file.size === 'number' ? ` (${file.size} bytes)` : '';
    lines.push({ kind: 'text', text: `📎 ${stringAt(file, 'name') ?? 'a file'}${size}` });
  }
  return lines;
}

/** A modal: its title and buttons, then each input as `Label  [value]` (required ones marked *). */
export function renderModal(view: JsonObject, names: Names, style: Style): { title: string; lines: Line[] } {
  const close = textOf(view.close, names, style);
  const submit = textOf(view.submit, names, style);
  const buttons = [close && `[${close}]`, submit && style.bold(`[${submit}]`)].filter(Boolean).join(' ');
  const lines: Line[] = [];
  for (const block of recordsIn(view.blocks)) {
    if (block.type !== 'input') {
      lines.push(...renderBlocks([block], names, style));
      continue;
    }
    const element = isRecord(block.element) ? block.element : {};
    const label = `${textOf(block.label, names, style)}${block.optional === true ? '' : ' *'}`;
    const options = recordsIn(element.options).map((o) => textOf(o.text, names, style));
    const choices =
      options.length > 1 && options.length <= 8 && element.type === 'static_select'
        ? style.dim(`  ${options.join(' · ')}`)
        : '';
    const hint = textOf(block.hint, names, style);
    lines.push({
      kind: 'field',
      label,
      value: `${elementText(element, names, style)}${choices}`,
      text: `${label}: ${elementText(element, names, style)}`,
      wide: true,
    });
    if (hint) lines.push({ kind: 'context', text: hint });
  }
  return { title: `${textOf(view.title, names, style)}${buttons ? `   ${buttons}` : ''}`, lines };
}

const STYLE_CODE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The text without terminal styling. */
export function unstyled(text: string): string {
  return text.replace(STYLE_CODE, '');
}

/** Columns as a terminal draws them: emoji take two, combining marks and escapes none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of unstyled(text)) {
    if (/\p{Mark}|\u200d|\ufe0f/u.test(ch)) continue;
    width += /\p{Emoji_Presentation}/u.test(ch) ? 2 : 1;
  }
  return width;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
