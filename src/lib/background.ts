import type { FolioLogger } from './logger.js';

/**
 * Work a Slack listener starts after acknowledging, so that its HTTP answer is not held back (the app
 * answers only when its listeners return, which is what lets a failed event reach Slack as a 500 and
 * be delivered again). Tasks are tracked: failures are logged, and shutdown waits for them.
 */
export class Background {
  readonly #tasks = new Set<Promise<void>>();

  constructor(private readonly log: FolioLogger) {}

  run(what: string, work: () => Promise<unknown>): void {
    const task: Promise<void> = Promise.resolve()
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => this.log.error(`${what} failed`, error),
      )
      .finally(() => this.#tasks.delete(task));
    this.#tasks.add(task);
  }

  /** Resolves once every task started so far, and any they started, has finished. */
  async idle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.all([...this.#tasks]);
  }
}
