import type { Db } from './db/client.js';
import type { DeskDirectory } from './desks/directory.js';
import type { Clock } from './lib/clock.js';
import type { FolioLogger } from './lib/logger.js';
import type { OutboxSignal } from './outbox/messages.js';

/** What use cases need from the outside world, passed in so tests can hand in their own. */
export interface Services {
  db: Db;
  /** Desks and categories, cached briefly (see DeskDirectory). */
  directory: DeskDirectory;
  clock: Clock;
  log: FolioLogger;
  outbox: OutboxSignal;
}
