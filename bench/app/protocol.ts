/** Messages between the bench runner and the app process it forks (bench/app/child.ts). */

/**
 * `folio`: the app as `npm start` runs it. `folio-web` and `folio-relay` are an experiment (not
 * something src/ offers): the same app with its outbox relay in a second process, as a web/worker
 * split would run it; the relay polls every 20 ms where a real split would be woken by NOTIFY.
 */
export type AppMode = 'folio' | 'folio-web' | 'folio-relay' | 'bolt-noop' | 'bare-http' | 'smtp-floor';
// `smtp-floor`: Folio's own SMTP server (src/mail/inbound/smtpServer.ts, the app's settings) whose
// intake accepts every mail for the desk's mailbox and discards it: the floor of mail intake.

export interface ChildOptions {
  mode: AppMode;
  slackApiUrl: string;
  /** Postgres URL; absent for PGlite (in memory, folio mode only). */
  databaseUrl?: string;
  /**
   * Count the SQL statements the app sends (Postgres only): the database is then opened here, as
   * src/db/client.ts opens it, with a drizzle logger that counts. Off where latency is measured.
   */
  countQueries?: boolean;
  /**
   * The mail channel (folio mode): the IT desk gets the bench's mailbox, the app's SMTP server listens
   * on a free loopback port, and its outgoing mail goes to `smtpUrl` (the runner's discarding relay).
   */
  mail?: { smtpUrl: string };
}

export type Command =
  /**
   * Waits for background work, then until no outbox row is pending (home refreshes wait 3 s); fails
   * after `timeoutMs` (120 s unless told).
   */
  | { cmd: 'settle'; timeoutMs?: number }
  | { cmd: 'memory'; gc: boolean }
  | { cmd: 'cpu' }
  | { cmd: 'logs' }
  /** Statements sent so far, by kind (`select tickets`, `insert outbox`…). */
  | { cmd: 'queries' }
  /** A V8 CPU profile of a measured window (BENCH_CPU_PROF=<dir>): started, then stopped and written to `file`. */
  | { cmd: 'profile'; action: 'start' }
  | { cmd: 'profile'; action: 'stop'; file: string }
  /** Runs a job now through the scheduler's claim (`scheduler.runNow`), as a fire at `at` would. */
  | { cmd: 'runJob'; name: string; at: string }
  | { cmd: 'stop' };

export type Request = Command & { id: number };

export interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Peak resident set size of the process so far (getrusage), bytes. */
  maxRss: number;
}

export interface LogSummary {
  /** warn/error lines by message, counted. */
  counts: Record<string, number>;
  /** The first few of them, whole. */
  samples: string[];
}

/** How the measured process runs, as it sees itself: to check that it is the production setup. */
export interface ProcessFacts {
  node: string;
  execArgv: string[];
  /** V8's heap limit (old generation and the rest), bytes: `--max-old-space-size` shows here. */
  heapSizeLimit: number;
  /** The file the process started from: …/child.js compiled, …/child.ts under tsx. */
  entry: string;
}

export type Reply =
  /** `smtpPort`: where the app's SMTP server (or the SMTP floor) listens, when it has one. */
  | { type: 'ready'; port: number; smtpPort?: number; process: ProcessFacts }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: string };
