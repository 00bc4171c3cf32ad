import type { Audience, Sighting } from './observer.js';
import { displayWidth, type Line, type Names, padEnd, type Style } from './render.js';

/** Lays the story out for a terminal: a heading per step, each action, then who sees what. */

const WIDTH = 100;
const FIELD_LABEL = 10;
const FIELD_COLUMN = 40;

export class Printer {
  /** How many things people have been shown so far. */
  shown = 0;

  constructor(
    private readonly style: Style,
    private readonly names: Names,
    /** Audiences in the order they are listed after an action (the actor always comes first). */
    private readonly order: readonly Audience[],
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  line(text = ''): void {
    this.write(`${text}\n`);
  }

  heading(time: string, title: string): void {
    const text = ` ${time} · ${title} `;
    this.line();
    this.line(this.style.bold(`━━${text}${'━'.repeat(Math.max(3, WIDTH - 2 - displayWidth(text)))}`));
  }

  /** Something a person (or the scheduler) does. */
  action(text: string): void {
    this.line();
    for (const [i, part] of wrap(text, WIDTH - 4).entries()) {
      this.line(i === 0 ? `${this.style.accent('▸')} ${part}` : `  ${part}`);
    }
  }

  note(text: string): void {
    for (const part of wrap(text, WIDTH - 4)) this.line(`  ${this.style.dim(part)}`);
  }

  /** Who sees what, grouped by audience: the actor first, then channels and people in cast order. */
  sightings(seen: readonly Sighting[], actor?: string): void {
    const rank = (a: Audience) => {
      if (a.kind === 'person' && a.id === actor) return -1;
      const i = this.order.findIndex((o) => sameAudience(o, a));
      return i === -1 ? this.order.length : i;
    };
    const sorted = seen
      .map((s, i) => ({ s, i }))
      .sort((a, b) => rank(a.s.audience) - rank(b.s.audience) || a.i - b.i)
      .map(({ s }) => s);
    this.shown += sorted.length;
    for (const s of sorted) {
      const who =
        s.audience.kind === 'person'
          ? this.names.person(s.audience.id)
          : s.audience.kind === 'mail'
            ? this.names.address(s.audience.address)
            : `#${this.names.channel(s.audience.id)}`;
      const where =
        s.audience.kind === 'mail'
          ? ' (mail)'
          : s.audience.kind === 'person' && !/modal|only you|replaced|removed/.test(s.what)
            ? ' (DM)'
            : '';
      this.line(`    ${this.style.bold(padEnd(`${who}${where}`, 16))} ${this.style.dim(s.what)}`);
      for (const text of this.#layout(s.lines)) this.line(`      ${this.style.dim('│')} ${text}`);
    }
  }

  #layout(lines: readonly Line[]): string[] {
    const out: string[] = [];
    const labelWidth = Math.max(
      FIELD_LABEL,
      ...lines.map((l) => (l.kind === 'field' && l.label ? displayWidth(l.label) + 1 : 0)),
    );
    const cell = (f: Field) =>
      f.label ? `${this.style.dim(padEnd(f.label, labelWidth))}${f.value}` : f.value;
    let fields: Field[] = [];
    let afterWide = false;
    const flush = () => {
      const wide = fields.some((f) => f.wide || displayWidth(f.value) > FIELD_COLUMN - labelWidth - 2);
      if (wide) for (const f of fields) out.push(...wrap(cell(f), WIDTH - 10));
      else
        for (let i = 0; i < fields.length; i += 2) {
          const left = fields[i];
          const right = fields[i + 1];
          if (left) out.push(right ? `${padEnd(cell(left), FIELD_COLUMN)}${cell(right)}` : cell(left));
        }
      afterWide = wide && fields.length > 0;
      fields = [];
    };
    for (const l of lines) {
      if (l.kind === 'field') {
        fields.push(l);
        continue;
      }
      flush();
      // A modal input's hint sits under its input.
      const indent = afterWide && l.kind === 'context' ? ' '.repeat(labelWidth) : '';
      const styled =
        l.kind === 'header' ? this.style.bold : l.kind === 'context' ? this.style.dim : (t: string) => t;
      for (const part of wrap(l.text, WIDTH - 10 - indent.length)) out.push(indent + styled(part));
    }
    flush();
    return out;
  }
}

type Field = Extract<Line, { kind: 'field' }>;

export function sameAudience(a: Audience, b: Audience): boolean {
  if (a.kind === 'mail') return b.kind === 'mail' && a.address === b.address;
  return b.kind !== 'mail' && a.kind === b.kind && a.id === b.id;
}

/** Word-wraps to `width` display columns; an empty text stays one empty line. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let current = '';
    for (const word of paragraph.split(' ')) {
      const candidate = current ? `${current} ${word}` : word;
      if (current && displayWidth(candidate) > width) {
        out.push(current);
        current = word;
      } else current = candidate;
    }
    out.push(current);
  }
  return out;
}
