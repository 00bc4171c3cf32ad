import { WebClient } from '@slack/web-api';
import { parseHelpdeskConfig } from '../../src/config/desks.js';
import { DeskDirectory } from '../../src/desks/directory.js';
import type { HelpdeskConfigInput } from '../../src/desks/model.js';
import { syncConfig } from '../../src/desks/sync.js';
import { type Clock, systemClock } from '../../src/lib/clock.js';
import { createLogger, type FolioLogger } from '../../src/lib/logger.js';
import { mailDeliverer } from '../../src/mail/outbound/deliverer.js';
import { OutboxRelay, type RelayOptions } from '../../src/outbox/relay.js';
import type { Services } from '../../src/services.js';
import { slackDeliverer } from '../../src/slack/delivery/deliverer.js';
import { SlackFileContent } from '../../src/slack/kit/fileContent.js';
import type { FakeSlack } from '../harness/fakeSlack.js';
import type { TestDatabase } from './db.js';
import { TEST_CONFIG } from './folio.js';

/** A logger that keeps its lines, parsed, for assertions. */
export function memoryLogger(): { log: FolioLogger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return {
    log: createLogger('debug', { sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    lines,
  };
}

/** Use-case services on a test database, without the Slack app; the outbox is delivered by hand. */
export async function testServices(
  database: TestDatabase,
  o: { config?: HelpdeskConfigInput; clock?: Clock } = {},
): Promise<Services & { lines: Record<string, unknown>[] }> {
  const { log, lines } = memoryLogger();
  await syncConfig(database.db, parseHelpdeskConfig(o.config ?? TEST_CONFIG), log);
  return {
    db: database.db,
    directory: new DeskDirectory(),
    clock: o.clock ?? systemClock,
    log,
    outbox: { kick: () => {} },
    lines,
  };
}

/** A relay on the test database, talking to the fake Slack through the real Web API client. */
export function testRelay(
  database: TestDatabase,
  fake: FakeSlack,
  o: Partial<Omit<RelayOptions, 'deliverers'>> & { timeoutMs?: number } = {},
): OutboxRelay {
  const { timeoutMs = 1000, ...relay } = o;
  const db = relay.db ?? database.db;
  const log = relay.log ?? memoryLogger().log;
  const slack = new WebClient('xoxb-test-token', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  });
  const directory = new DeskDirectory();
  // No SMTP relay here: a mail to send fails and the desk is told (the mail tests start their own).
  const mail = mailDeliverer({
    db,
    directory,
    transport: null,
    files: new SlackFileContent(slack, 'xoxb-test-token'),
    outbox: { kick: () => outboxRelay.kick() },
    log,
  });
  const outboxRelay: OutboxRelay = new OutboxRelay({
    db,
    deliverers: [slackDeliverer({ db, directory, slack, log }), mail],
    log,
    baseBackoffSeconds: 0.05,
    requestTimeoutMs: timeoutMs,
    ...relay,
  });
  return outboxRelay;
}
