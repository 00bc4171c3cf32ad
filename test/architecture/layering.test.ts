import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house's shape, kept true: which part of `src/` may import which, no import cycles, and no SQL in
 * a channel. A channel (Slack today; mail, the HTTP API, the web form next) is a folder on top of the
 * core; the core records changes and enqueues messages as data and never imports a channel.
 *
 *   lib ← domain (and the desk model) ← db ← outbox ← core (tickets, desks, sla, audit, stats, jobs, home)
 *   config (loads the file and the environment) ← entry points
 *   http (the router, /healthz, /metrics) ← channels ← entry points (app.ts, main.ts, db/migrateCli.ts)
 */

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

type Layer = 'lib' | 'domain' | 'db' | 'outbox' | 'core' | 'config' | 'http' | 'channel' | 'entry';

/** Folders that are channels: each may import the core, never another channel. */
const CHANNELS = ['slack', 'mail', 'api', 'web', 'webhooks'];
const CORE = ['tickets', 'desks', 'sla', 'audit', 'stats', 'jobs', 'home', 'services.ts'];

function layerOf(file: string): Layer {
  const [top = ''] = file.split('/');
  if (file === 'app.ts' || file === 'main.ts' || file === 'db/migrateCli.ts') return 'entry';
  if (file === 'desks/model.ts') return 'domain';
  if (top === 'lib') return 'lib';
  if (top === 'domain') return 'domain';
  if (top === 'db') return 'db';
  if (top === 'outbox') return 'outbox';
  if (top === 'config') return 'config';
  if (top === 'http') return 'http';
  if (CHANNELS.includes(top)) return 'channel';
  if (CORE.includes(top)) return 'core';
  throw new Error(`src/${file} is in no layer: add its folder to layering.test.ts`);
}

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  lib: ['lib'],
  domain: ['lib', 'domain'],
  db: ['lib', 'domain', 'db'],
  outbox: ['lib', 'domain', 'db', 'outbox'],
  core: ['lib', 'domain', 'db', 'outbox', 'core'],
  config: ['lib', 'domain', 'config'],
  http: ['lib', 'domain', 'db', 'outbox', 'core', 'http'],
  channel: ['lib', 'domain', 'db', 'outbox', 'core', 'http', 'channel'],
  entry: ['lib', 'domain', 'db', 'outbox', 'core', 'config', 'http', 'channel', 'entry'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

/** The project files a file imports (`import`, `export … from`, `import()`), as paths under src/. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm)];
  return specifiers.map((m) =>
    relative(SRC, resolve(SRC, dirname(file), m[1] ?? '')).replace(/\.js$/, '.ts'),
  );
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f, readFileSync(join(SRC, f), 'utf8'))]));

function layerViolations(g: Map<string, string[]>): string[] {
  return [...g].flatMap(([file, imports]) =>
    imports.flatMap((target) => {
      const from = layerOf(file);
      const to = layerOf(target);
      const channelOf = (f: string) => f.split('/')[0];
      if (!MAY_IMPORT[from].includes(to)) return [`${file} (${from}) imports ${target} (${to})`];
      if (from === 'channel' && to === 'channel' && channelOf(file) !== channelOf(target))
        return [`${file} imports another channel's ${target}`];
      return [];
    }),
  );
}

/** Every import cycle, as its files (Tarjan's strongly connected components). */
function cycles(g: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the layering of src/', () => {
  it('puts every file in a layer, and every import points down or across', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps SQL out of the channels: their data comes from the core', () => {
    const withSql = files.filter(
      (f) => layerOf(f) === 'channel' && /from 'drizzle-orm/.test(readFileSync(join(SRC, f), 'utf8')),
    );
    expect(withSql).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    const forged = new Map([
      ['outbox/relay.ts', ['slack/webErrors.ts']],
      ['slack/webErrors.ts', []],
      ['tickets/a.ts', ['tickets/b.ts']],
      ['tickets/b.ts', ['tickets/a.ts']],
      ['mail/inbound.ts', ['slack/people.ts']],
      ['slack/people.ts', []],
    ]);
    expect(layerViolations(forged)).toEqual([
      'outbox/relay.ts (outbox) imports slack/webErrors.ts (channel)',
      "mail/inbound.ts imports another channel's slack/people.ts",
    ]);
    expect(cycles(forged)).toEqual([['tickets/a.ts', 'tickets/b.ts']]);
    expect(
      importsOf('outbox/relay.ts', "import { x } from '../slack/webErrors.js';\nexport * from './a.js';"),
    ).toEqual(['slack/webErrors.ts', 'outbox/a.ts']);
  });
});
