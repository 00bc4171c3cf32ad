import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type RunningFolio, startFolio } from '../../src/app.js';
import { parseHelpdeskConfig } from '../../src/config/desks.js';
import { parseEnv } from '../../src/config/env.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import type { Clock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { FakeSlack } from '../harness/fakeSlack.js';
import { SlackRequests } from '../harness/slackRequests.js';
import { TEST_CONFIG } from './config.js';
import { openTestDatabase, type TestDatabase } from './db.js';

export const SIGNING_SECRET = 'test-signing-secret';

export { TEST_CONFIG };

export interface TestFolio {
  fake: FakeSlack;
  slack: SlackRequests;
  folio: RunningFolio;
  database: TestDatabase;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Empties tickets and the fake's recordings between tests; the app keeps running. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestFolioOptions {
  config?: HelpdeskConfigInput;
  clock?: Clock;
  /** Reuse a database (to restart the app on the same data). */
  database?: TestDatabase;
  fake?: FakeSlack;
  env?: Record<string, string>;
  scheduler?: 'timers' | 'manual';
  /** DNS answers for the mail sender checks (there is no DNS here). */
  mailResolver?: (name: string, rrtype: string) => Promise<unknown>;
}

/** The real app (HTTP receiver, real database, real Web API client) wired to a fake Slack. */
export async function startTestFolio(o: TestFolioOptions = {}): Promise<TestFolio> {
  const fake = o.fake ?? (await FakeSlack.start());
  const database = o.database ?? (await openTestDatabase());
  const logs: Record<string, unknown>[] = [];
  const log = createLogger('debug', {
    sink: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const env = parseEnv({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...o.env,
  });
  const folio = await startFolio({
    env,
    config: parseHelpdeskConfig(o.config ?? TEST_CONFIG),
    database,
    log,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.mailResolver ? { mailResolver: o.mailResolver } : {}),
    relay: { pollMs: 50 },
    // Tests move time and run jobs themselves (folio.scheduler.runNow).
    scheduler: o.scheduler ?? 'manual',
    slackTimeoutMs: 1000,
  });
  const slack = new SlackRequests({
    appUrl: `http://127.0.0.1:${folio.port}`,
    signingSecret: SIGNING_SECRET,
    fake,
  });
  return {
    fake,
    slack,
    folio,
    database,
    logs,
    async reset() {
      await folio.services.background.idle();
      await folio.relay.stop();
      await folio.relay.drain();
      await database.resetTickets();
      fake.reset();
      logs.length = 0;
      folio.relay.start();
    },
    async stop() {
      await folio.stop();
      if (!o.database) await database.close();
      if (!o.fake) await fake.close();
    },
  };
}

/**
 * The app for one test file: started before its first test, reset before each test (empty tickets, a
 * fresh fake Slack), stopped after its last.
 */
export function useTestFolio(o: TestFolioOptions = {}): TestFolio {
  return useStarted(() => startTestFolio(o));
}

/**
 * An app `start` makes, for one test file: started before its first test, reset before each, stopped
 * after its last. What is returned reads the app of the moment, so a test file can hold it from the top.
 */
export function useStarted<App extends Pick<TestFolio, 'reset' | 'stop'>>(start: () => Promise<App>): App {
  let current: App | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    await current?.stop();
  });
  beforeEach(async () => {
    await current?.reset();
  });
  return new Proxy({} as App, {
    get(_target, key) {
      if (!current) throw new Error('the app starts in beforeAll: use it inside a test');
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
