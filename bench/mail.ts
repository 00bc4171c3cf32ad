import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { Memory } from './app/protocol.js';
import { settledMemory } from './economy.js';
import { AppProcess } from './lib/appProcess.js';
import { type BenchContext, collectGarbage, resetFake } from './lib/context.js';
import { cpuSample, cpuSince, foreignShare, waitForQuiet } from './lib/cpu.js';
import { type BuiltMail, buildMail, DiscardingRelay, MailSender, sender } from './lib/mailLoad.js';
import { median, round } from './lib/stats.js';

/**
 * Mail intake, through the app's own SMTP server (SMTP_PORT) on loopback, its database on Postgres.
 *
 * - Throughput: `mails` small mails (a subject and a few lines, no attachment; each from an address
 *   outside the workspace, so each opens a ticket of an external requester) sent over `connections`
 *   SMTP connections kept open, each sending its next mail as soon as the previous one was answered.
 *   The app answers 250 only once the ticket is committed, so the clock runs from the first mail to
 *   the last 250: mails per second through SMTP to a committed ticket. The tickets are counted in the
 *   database at the end. The floor is the app's SMTP server itself (smtpServer.ts, the same settings)
 *   in a process of its own whose intake discards each mail once read: the SMTP conversation and the
 *   buffering without parsing and transaction. The same mails go to both, in rotating order.
 *   Meanwhile the app's relay posts the cards, sends each requester the `created` mail (to a
 *   discarding relay in the runner) and looks the senders up (`users.lookupByEmail`), as it would.
 * - Memory: `mails` mails of one `attachmentBytes` attachment each, over `connections` connections,
 *   into a fresh app; its RSS read every 200 ms while it takes them and until the outbox has uploaded
 *   every file to Slack (the bytes are held in the database until then), then once settled and after
 *   a GC; the peak is also the process's own (getrusage).
 */

export interface MailOptions {
  intake: { mails: number; connections: number; repetitions: number; warmup: number; senders: number };
  memory: { mails: number; connections: number; attachmentBytes: number; senders: number };
}

export interface IntakeRun {
  mailsPerSecond: number;
  /** CPU time of the measured process per mail, ms. */
  cpuMsPerMail: number;
  /** CPU time of the Postgres server per mail, ms (the floor writes nothing). */
  postgresCpuMsPerMail: number;
  /** Share of both cores used by other programs meanwhile (see cpu.ts); large means disturbed. */
  foreignCpuShare: number;
}

export interface MailResult {
  options: MailOptions;
  intake: {
    /** The median of the runs, figure by figure, and the runs. */
    app: IntakeRun & { runs: IntakeRun[] };
    floor: IntakeRun & { runs: IntakeRun[] };
    ratio: number;
    /** Bytes of one mail as sent. */
    mailBytes: number;
    /** Tickets from mail in the database at the end, and how many mails were sent to the app. */
    tickets: { counted: number; sent: number };
    /** After the last 250 of a run, how long the relay took to deliver the rest (median), s. */
    deliveredAfterSeconds: number;
    /** Mails the app sent (each requester's `created` mail), as the discarding relay counted them. */
    mailsOut: number;
  };
  memory: {
    mails: number;
    /** Bytes of one mail as sent (the attachment in base64, and the text). */
    mailBytes: number;
    atStart: Memory;
    /** When the last mail was answered. */
    atLastAnswer: Memory;
    /** Once every upload and card was delivered: the median of five readings. */
    settled: Memory;
    afterGc: Memory;
    /** The largest RSS read while sampling, and the process's own peak (getrusage, start included). */
    peakRss: number;
    maxRss: number;
    samples: { seconds: number; rss: number; heapUsed: number; external: number }[];
    /** Seconds from the first mail to the last 250, and from there until everything was delivered. */
    intakeSeconds: number;
    drainSeconds: number;
    /** Attachments still held in the database when the last mail was answered. */
    heldAtLastAnswer: { files: number; bytes: number };
    uploads: number;
    tickets: number;
  };
}

export async function mailBenchmark(ctx: BenchContext, o: MailOptions): Promise<MailResult> {
  const relay = await DiscardingRelay.start();
  try {
    const intake = await intakeThroughput(ctx, o.intake, relay);
    const memory = await memoryUnderAttachments(ctx, o.memory, relay);
    return { options: o, intake: { ...intake, mailsOut: relay.received }, memory };
  } finally {
    await relay.close();
  }
}

async function intakeThroughput(
  ctx: BenchContext,
  o: MailOptions['intake'],
  relay: DiscardingRelay,
): Promise<Omit<MailResult['intake'], 'mailsOut'>> {
  resetFake(ctx);
  const url = await ctx.dbs.create('mail');
  const app = await AppProcess.start(
    { mode: 'folio', slackApiUrl: ctx.fake.apiUrl, databaseUrl: url, mail: { smtpUrl: relay.url } },
    ctx.runtime,
  );
  const floor = await AppProcess.start({ mode: 'smtp-floor', slackApiUrl: ctx.fake.apiUrl }, ctx.runtime);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const total = o.warmup + o.repetitions * o.mails;
    ctx.say(`mail: building ${total} mails`);
    const mails: BuiltMail[] = [];
    for (let i = 0; i < total; i++) {
      mails.push(
        await buildMail({
          from: sender(i, o.senders),
          subject: `Printer on the 2nd floor, mail ${i}`,
          text:
            'Hello,\n\nthe printer on the second floor jams on every page since this morning. ' +
            'Could someone have a look?\n\nThanks,\nA contractor\n',
          messageId: `intake.${i}.${Date.now()}@sender.example`,
        }),
      );
    }
    const warmup = mails.slice(0, o.warmup);
    for (const target of [floor, app]) await sendAll(target, warmup, o.connections);
    await app.settle();

    const appRuns: IntakeRun[] = [];
    const floorRuns: IntakeRun[] = [];
    const delivered: number[] = [];
    for (let r = 0; r < o.repetitions; r++) {
      const batch = mails.slice(o.warmup + r * o.mails, o.warmup + (r + 1) * o.mails);
      const order = r % 2 === 0 ? ([floor, app] as const) : ([app, floor] as const);
      for (const target of order) {
        const run = await timedRun(target, batch, o.connections);
        (target === app ? appRuns : floorRuns).push(run);
        ctx.say(
          `mail: run ${r + 1}/${o.repetitions}, ${target === app ? 'Folio' : 'SMTP floor'}: ` +
            `${round(run.mailsPerSecond, 1)} mails/s, ${round(run.cpuMsPerMail)} ms CPU per mail` +
            (run.foreignCpuShare > 0.1
              ? `, DISTURBED: ${round(run.foreignCpuShare * 100, 0)} % by others`
              : ''),
        );
        if (target === app) {
          const answered = Date.now();
          await app.settle();
          delivered.push((Date.now() - answered) / 1000);
        }
      }
    }
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from tickets where source = 'email'`;
    const counted = row?.n ?? 0;
    if (counted !== total)
      ctx.say(`mail: WARNING ${total} mails sent to the app, ${counted} tickets from mail`);
    const logs = await app.logs();
    if (Object.keys(logs.counts).length > 0) ctx.say(`mail: Folio logged ${JSON.stringify(logs.counts)}`);
    const appMedian = medianRun(appRuns);
    const floorMedian = medianRun(floorRuns);
    return {
      app: { ...appMedian, runs: appRuns },
      floor: { ...floorMedian, runs: floorRuns },
      ratio: appMedian.mailsPerSecond / floorMedian.mailsPerSecond,
      mailBytes: mails[0]?.raw.length ?? 0,
      tickets: { counted, sent: total },
      deliveredAfterSeconds: median(delivered),
    };
  } finally {
    await sql.end({ timeout: 5 });
    await floor.stop();
    await app.stop();
    await ctx.dbs.drop(url);
  }
}

/** Sends `mails` over `connections` connections and checks that each was answered 250. */
async function sendAll(target: AppProcess, mails: readonly BuiltMail[], connections: number): Promise<void> {
  if (target.smtpPort === undefined) throw new Error(`${target.mode} has no SMTP port`);
  const client = new MailSender(target.smtpPort, connections);
  try {
    await Promise.all(
      mails.map(async (mail) => {
        const answer = await client.send(mail);
        if (!answer.startsWith('250')) throw new Error(`${target.mode} answered "${answer}"`);
      }),
    );
  } finally {
    client.close();
  }
}

async function timedRun(
  target: AppProcess,
  mails: readonly BuiltMail[],
  connections: number,
): Promise<IntakeRun> {
  collectGarbage();
  await waitForQuiet();
  const cpuBefore = await target.cpu();
  const machineBefore = cpuSample();
  const clientBefore = process.cpuUsage();
  await target.profile('start');
  const started = Date.now();
  await sendAll(target, mails, connections);
  const seconds = (Date.now() - started) / 1000;
  await target.profile('stop', `mail-${target.mode}`);
  const cpuAfter = await target.cpu();
  const machine = cpuSince(machineBefore);
  const client = process.cpuUsage(clientBefore);
  const targetMs = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / 1000;
  return {
    mailsPerSecond: mails.length / seconds,
    cpuMsPerMail: targetMs / mails.length,
    postgresCpuMsPerMail: machine.postgresMs / mails.length,
    foreignCpuShare: foreignShare(machine, targetMs + (client.user + client.system) / 1000),
  };
}

function medianRun(runs: readonly IntakeRun[]): IntakeRun {
  return {
    mailsPerSecond: median(runs.map((r) => r.mailsPerSecond)),
    cpuMsPerMail: median(runs.map((r) => r.cpuMsPerMail)),
    postgresCpuMsPerMail: median(runs.map((r) => r.postgresCpuMsPerMail)),
    foreignCpuShare: Math.max(...runs.map((r) => r.foreignCpuShare)),
  };
}

/** How often the app's memory is read while it takes the mails. */
const SAMPLE_MS = 200;
const MB = 1024 * 1024;

async function memoryUnderAttachments(
  ctx: BenchContext,
  o: MailOptions['memory'],
  relay: DiscardingRelay,
): Promise<MailResult['memory']> {
  resetFake(ctx);
  const url = await ctx.dbs.create('mail_memory');
  const app = await AppProcess.start(
    { mode: 'folio', slackApiUrl: ctx.fake.apiUrl, databaseUrl: url, mail: { smtpUrl: relay.url } },
    ctx.runtime,
  );
  if (app.smtpPort === undefined) throw new Error('the app started without its SMTP server');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const samples: MailResult['memory']['samples'] = [];
  let sampling: NodeJS.Timeout | undefined;
  const client = new MailSender(app.smtpPort, o.connections);
  try {
    const atStart = await app.memory(false);
    // One file's bytes for every mail: random, so that nothing on the way compresses them.
    const content = randomBytes(o.attachmentBytes);
    const mailOf = (i: number) =>
      buildMail({
        from: sender(i, o.senders),
        subject: `Scan of the signed contract, mail ${i}`,
        text: 'Hello,\n\nplease find the signed contract attached.\n\nThanks,\nA contractor\n',
        messageId: `memory.${i}.${Date.now()}@sender.example`,
        attachment: { filename: `contract-${i}.pdf`, content, contentType: 'application/pdf' },
      });
    const mailBytes = (await mailOf(-1)).raw.length;

    const started = Date.now();
    const sample = () => {
      app.memory(false).then(
        (m) =>
          samples.push({
            seconds: round((Date.now() - started) / 1000, 1),
            rss: m.rss,
            heapUsed: m.heapUsed,
            external: m.external,
          }),
        () => undefined,
      );
    };
    sampling = setInterval(sample, SAMPLE_MS);

    // A closed loop: each connection sends its next mail (built just before) once the last was answered.
    let next = 0;
    let answered = 0;
    const worker = async () => {
      for (let i = next++; i < o.mails; i = next++) {
        const answer = await client.send(await mailOf(i));
        if (!answer.startsWith('250')) throw new Error(`the app answered "${answer}"`);
        answered += 1;
        if (answered % 100 === 0) {
          const m = await app.memory(false);
          ctx.say(
            `mail: ${answered} mails of ${round(o.attachmentBytes / MB, 1)} MB taken, ` +
              `${round((Date.now() - started) / 1000, 1)} s, app RSS ${round(m.rss / MB, 1)} MB`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: o.connections }, worker));
    const intakeSeconds = (Date.now() - started) / 1000;
    const atLastAnswer = await app.memory(false);
    const [held] = await sql<{ files: number; bytes: string }[]>`
      select count(*)::int as files, coalesce(sum(length(content)), 0)::text as bytes
      from file_uploads where content is not null`;
    const heldAtLastAnswer = { files: held?.files ?? 0, bytes: Number(held?.bytes ?? 0) };
    ctx.say(
      `mail: all ${o.mails} taken in ${round(intakeSeconds, 1)} s; ${heldAtLastAnswer.files} files ` +
        `(${round(heldAtLastAnswer.bytes / MB, 0)} MB) still held in the database for upload`,
    );
    await app.settle(600_000);
    const drainSeconds = (Date.now() - started) / 1000 - intakeSeconds;
    clearInterval(sampling);
    sampling = undefined;
    const settled = await settledMemory(app);
    const afterGc = await app.memory(true);
    const [tickets] = await sql<
      { n: number }[]
    >`select count(*)::int as n from tickets where source = 'email'`;
    const uploads = ctx.fake.uploads.length;
    const peakRss = Math.max(atLastAnswer.rss, ...samples.map((s) => s.rss));
    ctx.say(
      `mail: uploads delivered ${round(drainSeconds, 1)} s later; RSS peak ${round(peakRss / MB, 1)} MB ` +
        `(process peak ${round(settled.maxRss / MB, 1)} MB), settled ${round(settled.rss / MB, 1)} MB, ` +
        `heap after GC ${round(afterGc.heapUsed / MB, 1)} MB; ${uploads} files uploaded to Slack`,
    );
    const logs = await app.logs();
    if (Object.keys(logs.counts).length > 0) ctx.say(`mail: Folio logged ${JSON.stringify(logs.counts)}`);
    return {
      mails: o.mails,
      mailBytes,
      atStart,
      atLastAnswer,
      settled,
      afterGc,
      peakRss,
      maxRss: settled.maxRss,
      samples,
      intakeSeconds,
      drainSeconds,
      heldAtLastAnswer,
      uploads,
      tickets: tickets?.n ?? 0,
    };
  } finally {
    clearInterval(sampling);
    client.close();
    await sql.end({ timeout: 5 });
    await app.stop();
    await ctx.dbs.drop(url);
    // The fake keeps every uploaded file's bytes.
    resetFake(ctx);
  }
}
