import { performance } from 'node:perf_hooks';
import type { SlackMessage } from '../test/harness/fakeSlack.js';
import type { SlackRequests } from '../test/harness/slackRequests.js';
import { AppProcess, type Measured, SplitFolio } from './lib/appProcess.js';
import { DESK_CHANNEL, requester } from './lib/config.js';
import { type BenchContext, collectGarbage, requestsTo, resetFake } from './lib/context.js';
import { cpuSample, cpuSince, foreignShare, waitForQuiet } from './lib/cpu.js';
import { type Captured, PayloadRecorder, Sender } from './lib/sender.js';
import {
  clickTake,
  closedLoop,
  expectAck,
  type FilledModal,
  openCreateModals,
  submitModal,
} from './lib/slackLoad.js';
import { type Latency, latency, median, medianLatency, round, shuffled } from './lib/stats.js';

/**
 * Ack latency: `concurrency` clients in a closed loop send a mix of signed requests — `/ticket`
 * commands, Take clicks on ticket cards, create-ticket submissions — into Folio (HTTP receiver,
 * Postgres, the fake Slack), then the same mix into a Bolt app whose listeners only ack and into a
 * bare node:http server that only verifies the signature. Latency is measured by the client, from
 * sending the request to reading the whole answer (what Slack waits for). The three targets run one
 * after the other, in a rotating order, within each repetition; figures are medians of repetitions.
 */

export type Kind = 'command' | 'click' | 'submission';
/** `folio-split` only with --experiments: Folio with its relay in a second process (see AppMode). */
export type Target = 'folio' | 'bolt-noop' | 'bare-http' | 'folio-split';

export interface AckOptions {
  perKind: number;
  repetitions: number;
  concurrency: number;
  /** Also measure the split experiment. */
  split?: boolean;
}

interface Prepared {
  modals: FilledModal[];
  cards: SlackMessage[];
}

interface RunFigures {
  all: Latency;
  byKind: Record<Kind, Latency>;
  /** CPU time of the app process per request, ms (user + system). */
  cpuMsPerRequest: number;
  /** The same for the load generator (this process, with the fake Slack in it). */
  clientCpuMsPerRequest: number;
  /** The same for the Postgres server. */
  postgresCpuMsPerRequest: number;
  /** Share of both cores busy during the measurement. */
  machineUtilisation: number;
  /** Share of both cores used by other programs meanwhile (see cpu.ts); large means disturbed. */
  foreignCpuShare: number;
  requestsPerSecond: number;
  errors: number;
}

export interface AckTargetResult extends RunFigures {
  runs: RunFigures[];
}

export interface AckResult {
  options: AckOptions;
  targets: Record<Exclude<Target, 'folio-split'>, AckTargetResult> & { 'folio-split'?: AckTargetResult };
  /** Folio's p99 over the no-op Bolt app's, and over the bare server's (medians of the runs). */
  p99VsBolt: number;
  p99VsBare: number;
  boltVsBare: number;
}

let subjects = 0;

/** Tickets with their card posted (for clicks) and create modals opened (for submissions), untimed. */
async function prepare(ctx: BenchContext, app: Measured, slack: SlackRequests, n: number): Promise<Prepared> {
  const batch = ++subjects;
  const forCards = Array.from({ length: n }, (_, i) => ({
    subject: `ack ${batch} card ${i}`,
    user: requester(i, 500),
  }));
  const toSubmit = Array.from({ length: n }, (_, i) => ({
    subject: `ack ${batch} form ${i}`,
    user: requester(i + n, 500),
  }));
  const carded = await openCreateModals(slack, ctx.tail, forCards, 25);
  await closedLoop(carded, 25, async (m) => expectAck(await submitModal(slack, m), 'submission'));
  await ctx.tail.until(
    () => forCards.every((r) => ctx.tail.cardBySubject.has(r.subject)),
    'the cards of the prepared tickets',
  );
  const cards = forCards.map((r) => {
    const post = ctx.tail.cardBySubject.get(r.subject);
    const card = post ? ctx.fake.message(DESK_CHANNEL, post.ts) : undefined;
    if (!card) throw new Error(`no card for ${r.subject}`);
    return card;
  });
  const modals = await openCreateModals(slack, ctx.tail, toSubmit, 25);
  await app.settle();
  return { modals, cards };
}

/** The mix, as Slack would post it: one command, one click and one submission per prepared ticket. */
async function buildMix(ctx: BenchContext, prepared: Prepared, seed: number): Promise<Task[]> {
  const recorder = new PayloadRecorder(ctx.fake);
  const tasks: Task[] = [];
  for (const [i, card] of prepared.cards.entries()) {
    const user = requester(i, 500);
    tasks.push({
      kind: 'command',
      request: await recorder.capture((r) => r.command({ text: `ack probe ${seed} ${i}`, user })),
    });
    tasks.push({ kind: 'click', request: await recorder.capture((r) => clickTake(r, card)) });
    const modal = prepared.modals[i];
    if (modal)
      tasks.push({ kind: 'submission', request: await recorder.capture((r) => submitModal(r, modal)) });
  }
  return shuffled(tasks, seed);
}

interface Task {
  kind: Kind;
  request: Captured;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function measure(
  ctx: BenchContext,
  app: Measured,
  tasks: readonly Task[],
  o: AckOptions,
): Promise<RunFigures> {
  await waitForQuiet();
  const sender = new Sender(app.url, ctx.fake);
  await sender.warmConnections(o.concurrency);
  const times: Record<Kind, number[]> = { command: [], click: [], submission: [] };
  let errors = 0;
  collectGarbage();
  const cpuBefore = await app.cpu();
  const clientBefore = process.cpuUsage();
  const machineBefore = cpuSample();
  await app.profile('start');
  const started = performance.now();
  await closedLoop(tasks, o.concurrency, async (task) => {
    const res = await sender.send(task.request);
    times[task.kind].push(res.ms);
    // Folio closes the modal with an empty ack; anything else (errors shown in the modal) is counted.
    if (res.status !== 200 || res.text !== '') errors++;
  });
  const wallMs = performance.now() - started;
  const machine = cpuSince(machineBefore);
  const clientCpu = cpuMs(process.cpuUsage(clientBefore));
  const cpuAfter = await app.cpu();
  await app.profile('stop', `ack-${app.mode}`);
  sender.close();
  return {
    requestsPerSecond: (tasks.length / wallMs) * 1000,
    clientCpuMsPerRequest: clientCpu / tasks.length,
    postgresCpuMsPerRequest: machine.postgresMs / tasks.length,
    machineUtilisation: machine.machineUtilisation,
    foreignCpuShare: foreignShare(machine, clientCpu + cpuMs(cpuAfter) - cpuMs(cpuBefore)),
    all: latency([...times.command, ...times.click, ...times.submission]),
    byKind: {
      command: latency(times.command),
      click: latency(times.click),
      submission: latency(times.submission),
    },
    cpuMsPerRequest: (cpuMs(cpuAfter) - cpuMs(cpuBefore)) / tasks.length,
    errors,
  };
}

function summarise(runs: RunFigures[]): AckTargetResult {
  return {
    all: medianLatency(runs.map((r) => r.all)),
    byKind: {
      command: medianLatency(runs.map((r) => r.byKind.command)),
      click: medianLatency(runs.map((r) => r.byKind.click)),
      submission: medianLatency(runs.map((r) => r.byKind.submission)),
    },
    cpuMsPerRequest: median(runs.map((r) => r.cpuMsPerRequest)),
    clientCpuMsPerRequest: median(runs.map((r) => r.clientCpuMsPerRequest)),
    postgresCpuMsPerRequest: median(runs.map((r) => r.postgresCpuMsPerRequest)),
    machineUtilisation: median(runs.map((r) => r.machineUtilisation)),
    foreignCpuShare: Math.max(...runs.map((r) => r.foreignCpuShare)),
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    runs,
  };
}

export async function ackLatency(ctx: BenchContext, o: AckOptions): Promise<AckResult> {
  resetFake(ctx);
  const url = await ctx.dbs.create('ack');
  const splitUrl = o.split ? await ctx.dbs.create('ack_split') : undefined;
  const apps: Partial<Record<Target, Measured>> = {
    folio: await AppProcess.start(
      { mode: 'folio', slackApiUrl: ctx.fake.apiUrl, databaseUrl: url },
      ctx.runtime,
    ),
    'bolt-noop': await AppProcess.start({ mode: 'bolt-noop', slackApiUrl: ctx.fake.apiUrl }, ctx.runtime),
    'bare-http': await AppProcess.start({ mode: 'bare-http', slackApiUrl: ctx.fake.apiUrl }, ctx.runtime),
    ...(splitUrl
      ? {
          'folio-split': await SplitFolio.start(
            { slackApiUrl: ctx.fake.apiUrl, databaseUrl: splitUrl },
            ctx.runtime,
          ),
        }
      : {}),
  };
  const targets = Object.keys(apps) as Target[];
  const app = (t: Target): Measured => {
    const a = apps[t];
    if (!a) throw new Error(`no ${t}`);
    return a;
  };
  /** The floors answer the same requests as Folio; the split Folio has its own tickets and modals. */
  const mixes = async (n: number, seed: number) => {
    const folio = await buildMix(
      ctx,
      await prepare(ctx, app('folio'), requestsTo(ctx, app('folio')), n),
      seed,
    );
    const split = apps['folio-split'];
    return {
      folio,
      split: split ? await buildMix(ctx, await prepare(ctx, split, requestsTo(ctx, split), n), seed) : folio,
    };
  };
  const runs: Record<Target, RunFigures[]> = {
    folio: [],
    'bolt-noop': [],
    'bare-http': [],
    'folio-split': [],
  };
  try {
    ctx.say('ack: warming up');
    const warm = await mixes(Math.min(50, o.perKind), 0);
    for (const target of targets) {
      await measure(ctx, app(target), target === 'folio-split' ? warm.split : warm.folio, o);
      await app(target).settle();
    }
    for (let r = 0; r < o.repetitions; r++) {
      // The fake keeps every view and message: start each repetition with it empty.
      ctx.tail.resetFake();
      const tasks = await mixes(o.perKind, r + 1);
      for (let k = 0; k < targets.length; k++) {
        const target = targets[(r + k) % targets.length] as Target;
        const figures = await measure(
          ctx,
          app(target),
          target === 'folio-split' ? tasks.split : tasks.folio,
          o,
        );
        await app(target).settle();
        runs[target].push(figures);
        ctx.say(
          `ack: run ${r + 1}/${o.repetitions} ${target}: p50 ${round(figures.all.p50)} ms, p99 ${round(figures.all.p99)} ms, ` +
            `${round(figures.requestsPerSecond)} req/s, app CPU ${round(figures.cpuMsPerRequest)} ms/req, ` +
            `client CPU ${round(figures.clientCpuMsPerRequest)} ms/req, ` +
            `Postgres CPU ${round(figures.postgresCpuMsPerRequest)} ms/req, machine ${round(figures.machineUtilisation * 100, 0)} % busy` +
            (figures.foreignCpuShare > 0.1
              ? `, DISTURBED: ${round(figures.foreignCpuShare * 100, 0)} % by other programs`
              : ''),
        );
      }
    }
    const logs = await app('folio').logs();
    if (Object.keys(logs.counts).length > 0) ctx.say(`ack: Folio logged ${JSON.stringify(logs.counts)}`);
  } finally {
    for (const a of Object.values(apps)) await a.stop();
    await ctx.dbs.drop(url);
    if (splitUrl) await ctx.dbs.drop(splitUrl);
  }
  const summary = {
    folio: summarise(runs.folio),
    'bolt-noop': summarise(runs['bolt-noop']),
    'bare-http': summarise(runs['bare-http']),
    ...(runs['folio-split'].length > 0 ? { 'folio-split': summarise(runs['folio-split']) } : {}),
  };
  return {
    options: o,
    targets: summary,
    p99VsBolt: summary.folio.all.p99 / summary['bolt-noop'].all.p99,
    p99VsBare: summary.folio.all.p99 / summary['bare-http'].all.p99,
    boltVsBare: summary['bolt-noop'].all.p99 / summary['bare-http'].all.p99,
  };
}
