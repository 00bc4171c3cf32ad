/**
 * A desk's templates are Slack mrkdwn (tickets/templates.ts); a mail is plain text. The template's own
 * markup is turned into text here, while the values put into it (a subject, a comment, a name) go in
 * exactly as written: `<!channel>` or `*stars*` in a subject stay literal text in the mail.
 */

/** A Slack user id → the person's display name, for the people Folio could name. */
export type KnownNames = ReadonlyMap<string, string>;

/** Who a mention of a Slack user becomes when Folio cannot name the person. */
export const UNNAMED_MEMBER = 'the desk';

// Where each value goes while the template's markup is turned into text: characters of Unicode's
// private use area, removed from the template first so that a template cannot forge one.
const SLOT_OPEN = '\uE000';
const SLOT_CLOSE = '\uE001';
const SLOT_CHARS = /[\uE000\uE001]/g;
const SLOT = /\uE000(\d+)\uE001/g;

/** Renders a desk's mrkdwn template as plain text, with `values` put in literally. */
export function renderTemplateAsText(
  template: string,
  values: Readonly<Record<string, string>>,
  names: KnownNames = new Map(),
): string {
  const slots: string[] = [];
  const marked = template.replace(SLOT_CHARS, '').replace(/\{([a-z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    slots.push(value);
    return `${SLOT_OPEN}${slots.length - 1}${SLOT_CLOSE}`;
  });
  return mrkdwnToText(marked, names).replace(SLOT, (_whole, index: string) => slots[Number(index)] ?? '');
}

// Emphasis as Slack reads it: a marker next to text on the inside and to a space, a line's edge or
// punctuation on the outside (so snake_case and 2*3*4 stay as they are).
const EMPHASIS = /(^|[\s([{"'“‘])([*_~])(?=\S)(.*?\S)\2(?=$|[\s)\]}.,;:!?"'”’])/gm;
/** Nested emphasis (`*_both_*`) loses one level per pass. */
const EMPHASIS_PASSES = 3;

/**
 * Slack mrkdwn as plain text: *bold*, _italic_ and ~strike~ lose their markers; `<url|label>` becomes
 * "label (url)"; a user mention becomes the person's name when known, else "the desk"; channels,
 * special mentions and dates their readable form; entities decoded.
 */
export function mrkdwnToText(text: string, names: KnownNames = new Map()): string {
  let out = text.replace(/<([^<>\n]+)>/g, (_whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? undefined : inner.slice(bar + 1);
    if (target.startsWith('@')) return label || names.get(target.slice(1)) || UNNAMED_MEMBER;
    if (target.startsWith('#')) return label ? `#${label}` : 'a Slack channel';
    if (target.startsWith('!subteam^')) return label || 'the team';
    if (target.startsWith('!date^')) return label ?? '';
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    const url = target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
    return label && label !== url ? `${label} (${url})` : url;
  });
  for (let pass = 0; pass < EMPHASIS_PASSES; pass++) {
    const next = out.replace(EMPHASIS, '$1$3');
    if (next === out) break;
    out = next;
  }
  return out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
