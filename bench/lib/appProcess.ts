import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildOptions, Command, LogSummary, Memory, ProcessFacts, Reply } from '../app/protocol.js';

const CHILD = fileURLToPath(new URL('../app/child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * How the measured process runs. `node` is the app as `npm start` runs it: the JavaScript compiled
 * into `buildDir` (see compile.ts), on plain node with the `start` script's Node flags. `tsx` is the
 * TypeScript run through tsx's loader, as `npm run dev` runs it (`--tsx`, for comparison).
 */
export type Runtime = { kind: 'node'; buildDir: string; nodeFlags: string[] } | { kind: 'tsx' };

/** The app (or a floor) running in its own process, driven over IPC. */
export class AppProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #next = 0;

  private constructor(
    child: ChildProcess,
    readonly port: number,
    /** The app's SMTP port (mail benchmark), or the SMTP floor's. */
    readonly smtpPort: number | undefined,
    readonly mode: ChildOptions['mode'],
    /** How the process was started, as it reports itself (results file). */
    readonly facts: ProcessFacts,
  ) {
    this.#child = child;
    child.on('message', (reply: Reply) => {
      if (reply.type !== 'result') return;
      const waiting = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.value);
      else waiting?.reject(new Error(`${mode}: ${reply.error}`));
    });
    child.on('exit', (code) => {
      for (const w of this.#pending.values()) w.reject(new Error(`${mode} process exited (${code})`));
      this.#pending.clear();
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  /**
   * Floors and Folio alike run under `runtime`, so that the ratios compare like with like.
   * --expose-gc (the only flag `npm start` does not give) lets the memory figure be read after a GC.
   */
  static start(options: ChildOptions, runtime: Runtime): Promise<AppProcess> {
    const entry = runtime.kind === 'tsx' ? CHILD : `${runtime.buildDir}bench/app/child.js`;
    const child = fork(entry, [], {
      cwd: ROOT,
      execArgv: [
        ...(runtime.kind === 'tsx' ? ['--import', 'tsx'] : runtime.nodeFlags),
        '--expose-gc',
        // BENCH_APP_FLAGS="--max-old-space-size=96 …": more Node flags for the app process (experiments).
        ...(process.env.BENCH_APP_FLAGS?.split(' ').filter(Boolean) ?? []),
      ],
      env: { ...process.env, BENCH_CHILD: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.mode} did not start within 60 s`)), 60_000);
      child.once('exit', (code) => reject(new Error(`${options.mode} exited during start (${code})`)));
      child.on('message', (reply: Reply) => {
        if (reply.type !== 'ready') return;
        clearTimeout(timer);
        const missing =
          runtime.kind === 'node' ? runtime.nodeFlags.filter((f) => !reply.process.execArgv.includes(f)) : [];
        if (missing.length > 0) reject(new Error(`${options.mode} started without ${missing.join(' ')}`));
        else resolve(new AppProcess(child, reply.port, reply.smtpPort, options.mode, reply.process));
      });
    });
  }

  #call<T>(command: Command): Promise<T> {
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.#child.send({ ...command, id });
    });
  }

  settle(timeoutMs?: number): Promise<void> {
    return this.#call({ cmd: 'settle', ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  }

  memory(gc: boolean): Promise<Memory> {
    return this.#call({ cmd: 'memory', gc });
  }

  cpu(): Promise<NodeJS.CpuUsage> {
    return this.#call({ cmd: 'cpu' });
  }

  runJob(name: string, at: Date): Promise<unknown> {
    return this.#call({ cmd: 'runJob', name, at: at.toISOString() });
  }

  /** With BENCH_CPU_PROF=<dir>, profiles the app between `start` and `stop` into <dir>/<name>.cpuprofile. */
  async profile(action: 'start' | 'stop', name = 'window'): Promise<void> {
    const dir = process.env.BENCH_CPU_PROF;
    if (!dir) return;
    await (action === 'start'
      ? this.#call({ cmd: 'profile', action })
      : this.#call({ cmd: 'profile', action, file: `${dir}/${name}-${this.pid}-${Date.now()}.cpuprofile` }));
  }

  queries(): Promise<Record<string, number>> {
    return this.#call({ cmd: 'queries' });
  }

  logs(): Promise<LogSummary> {
    return this.#call({ cmd: 'logs' });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const timeout = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
    this.#call({ cmd: 'stop' }).catch(() => undefined);
    await Promise.race([exited, timeout(30_000)]);
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await exited;
  }
}

/** What a measurement needs of the thing it measures: one process, or Folio split in two. */
export type Measured = Pick<AppProcess, 'url' | 'mode' | 'settle' | 'cpu' | 'profile' | 'logs' | 'stop'>;

/**
 * The split experiment: Folio's HTTP side in one process and its outbox relay in another (see
 * AppMode). CPU is the sum of both; settling waits for the relay's deliveries.
 */
export class SplitFolio implements Measured {
  readonly mode = 'folio-web' as const;

  private constructor(
    readonly web: AppProcess,
    readonly relay: AppProcess,
  ) {}

  static async start(o: { slackApiUrl: string; databaseUrl: string }, runtime: Runtime): Promise<SplitFolio> {
    const web = await AppProcess.start({ mode: 'folio-web', ...o }, runtime);
    const relay = await AppProcess.start({ mode: 'folio-relay', ...o }, runtime);
    return new SplitFolio(web, relay);
  }

  get url(): string {
    return this.web.url;
  }

  settle(): Promise<void> {
    return this.web.settle();
  }

  async cpu(): Promise<NodeJS.CpuUsage> {
    const [a, b] = await Promise.all([this.web.cpu(), this.relay.cpu()]);
    return { user: a.user + b.user, system: a.system + b.system };
  }

  async profile(action: 'start' | 'stop', name = 'window'): Promise<void> {
    await Promise.all([this.web.profile(action, `${name}-web`), this.relay.profile(action, `${name}-relay`)]);
  }

  async logs(): Promise<LogSummary> {
    const [a, b] = await Promise.all([this.web.logs(), this.relay.logs()]);
    const counts = { ...a.counts };
    for (const [k, n] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + n;
    return { counts, samples: [...a.samples, ...b.samples] };
  }

  async stop(): Promise<void> {
    await this.web.stop();
    await this.relay.stop();
  }
}
