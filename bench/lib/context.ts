import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FakeSlack } from '../../test/harness/fakeSlack.js';
import { SlackRequests } from '../../test/harness/slackRequests.js';
import type { AppProcess, Runtime } from './appProcess.js';
import { SIGNING_SECRET } from './config.js';
import type { BenchDatabases } from './databases.js';
import type { CallTail } from './slackLoad.js';

/** What every benchmark gets from the runner. */
export interface BenchContext {
  dbs: BenchDatabases;
  fake: FakeSlack;
  tail: CallTail;
  /** How app processes (Folio and the floors) run: compiled, as `npm start` runs it, unless --tsx. */
  runtime: Runtime;
  /** A progress line on stderr (stdout carries the table). */
  say(message: string): void;
}

export function requestsTo(ctx: BenchContext, app: Pick<AppProcess, 'url'>): SlackRequests {
  return new SlackRequests({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake: ctx.fake });
}

/** Forgets the fake's state between benchmarks (its memory grows with every call it records). */
export function resetFake(ctx: BenchContext): void {
  ctx.tail.resetFake();
  ctx.tail.clearCounts();
  ctx.tail.viewByTrigger.clear();
  ctx.tail.cardBySubject.clear();
}

/**
 * A full GC of this process (the load generator and the fake Slack) before a measurement, so that a
 * collection of what the previous one left does not land inside the next. `npm run bench` starts
 * without --expose-gc, so the flag is set at run time.
 */
let gc: (() => void) | undefined;
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
