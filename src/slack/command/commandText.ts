import { parseFolio } from '../../domain/folio.js';

/**
 * What `/ticket …` asks for. Subcommands that take nothing (`help`, `list`, `mine`, `stats`) count only when
 * typed alone, so `/ticket list of printers is wrong` is a new ticket's subject; `queue` takes a desk
 * and `search` the words to look for. A folio is recognised by the prefixes desks use. A single word
 * close to a subcommand (`lsit`) is taken for a typo and answered with help, not a ticket.
 */
export type TicketCommand =
  | { kind: 'create'; subject: string }
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'mine' }
  | { kind: 'queue'; desk: string | null }
  | { kind: 'show'; folio: string }
  | { kind: 'search'; words: string }
  | { kind: 'stats' }
  | { kind: 'unknown'; word: string; suggestion: string | null };

export const SUBCOMMANDS = ['help', 'list', 'mine', 'queue', 'search', 'stats'] as const;
const ALONE = new Set(['help', 'list', 'mine', 'stats']);

export function parseTicketCommand(text: string, folioPrefixes: readonly string[]): TicketCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'create', subject: '' };
  const [first = '', ...restWords] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  const rest = restWords.join(' ');

  if (ALONE.has(word) && rest === '') return { kind: word as 'help' | 'list' | 'mine' | 'stats' };
  if (word === 'queue') return { kind: 'queue', desk: rest === '' ? null : rest };
  if (word === 'search')
    return rest === '' ? { kind: 'unknown', word, suggestion: null } : { kind: 'search', words: rest };

  if (rest === '') {
    const folio = parseFolio(first);
    if (folio && folioPrefixes.includes(folio.prefix)) return { kind: 'show', folio: folio.folio };
    const suggestion = closestSubcommand(word);
    if (suggestion) return { kind: 'unknown', word: first, suggestion };
  }
  return { kind: 'create', subject: trimmed };
}

function closestSubcommand(word: string): string | null {
  if (word.length < 3) return null;
  let best: string | null = null;
  let bestDistance = 3;
  for (const subcommand of SUBCOMMANDS) {
    const distance = editDistance(word, subcommand);
    if (distance < bestDistance && distance <= Math.floor(subcommand.length / 2)) {
      best = subcommand;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, with transpositions counted as one edit ("lsit" → "list"). */
export function editDistance(source: string, target: string): number {
  const rows = source.length + 1;
  const cols = target.length + 1;
  const distances: number[][] = Array.from({ length: rows }, (_row, i) =>
    Array.from({ length: cols }, (_column, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => distances[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = source[i - 1] === target[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && source[i - 1] === target[j - 2] && source[i - 2] === target[j - 1])
        distance = Math.min(distance, at(i - 2, j - 2) + 1);
      const row = distances[i];
      if (row) row[j] = distance;
    }
  }
  return at(source.length, target.length);
}
