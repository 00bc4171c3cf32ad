/** The figures as a table on stdout, and as rows in the results file. */

export type Verdict = 'pass' | 'miss' | 'record';

export interface Row {
  benchmark: string;
  figure: string;
  value: string;
  floor: string;
  ratio: string;
  target: string;
  verdict: Verdict;
}

export function verdict(ok: boolean): Verdict {
  return ok ? 'pass' : 'miss';
}

export function fmt(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function printTable(rows: readonly Row[]): string {
  const head: Row = {
    benchmark: 'benchmark',
    figure: 'figure',
    value: 'value',
    floor: 'floor',
    ratio: 'ratio',
    target: 'target',
    verdict: 'record',
  };
  const cells = (r: Row, isHead = false) => [
    r.benchmark,
    r.figure,
    r.value,
    r.floor,
    r.ratio,
    r.target,
    isHead ? 'result' : r.verdict === 'record' ? '' : r.verdict.toUpperCase(),
  ];
  const all = [cells(head, true), ...rows.map((r) => cells(r))];
  const widths = all[0]?.map((_, i) => Math.max(...all.map((c) => (c[i] ?? '').length))) ?? [];
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [first, ...rest] = all;
  return [line(first ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rest.map(line)].join(
    '\n',
  );
}
