/**
 * `npm run demo`: one morning at an IT desk, played through the real Folio with Slack faked at the
 * wire, printing what each person sees. See docs/demo.md. Exits non-zero when a step does not produce
 * what it should, so it doubles as a smoke test.
 */
import { performance } from 'node:perf_hooks';
import { makeStyle } from './demo/render.js';
import { DAY, DemoError, IT_MAILBOX, OUTSIDERS, PEOPLE, Stage, ZONE } from './demo/stage.js';
import { story } from './demo/story.js';

/** Well under the minute the demo promises, with room to clean up. */
const TIME_LIMIT_MS = 50_000;

const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const style = makeStyle(colour);
const out = (text = '') => process.stdout.write(`${text}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function intro(): void {
  out(style.bold('Folio demo: one morning at the IT desk'));
  out(
    'The real app (startFolio: HTTP receiver, SMTP server, listeners, use cases, outbox relay, jobs) on\n' +
      'an in-memory PGlite, talking to a fake Slack Web API over HTTP and sending mail to a local SMTP\n' +
      'server. Every action below is a signed Slack request into the app, or a mail sent to its SMTP\n' +
      'server; what people see is read back from what the app sent to Slack and by mail.',
  );
  out();
  for (const p of Object.values(PEOPLE)) out(`  ${p.name.padEnd(18)}${p.fullName}, ${p.role}`);
  for (const o of Object.values(OUTSIDERS))
    out(`  ${o.name.padEnd(18)}${o.fullName} <${o.address}>, ${o.role}`);
  out(`  ${IT_MAILBOX.padEnd(18)}the IT desk's mailbox: mail to it is an IT ticket`);
  out(`  ${'#it-desk'.padEnd(18)}the IT desk's channel: one card per ticket`);
  out(`  ${'#it-escalations'.padEnd(18)}where the desk's SLA breaches are announced`);
  out(`  ${'SLA, Medium'.padEnd(18)}first response 30 min, resolution 2 h (business time), reminder at 75 %`);
  out(`  ${'Business hours'.padEnd(18)}Mon–Fri 09:00–17:00 ${ZONE}; today is Monday ${DAY}`);
}

async function main(): Promise<number> {
  const started = performance.now();
  intro();
  out();
  out(style.dim('Starting Folio on a fresh embedded database…'));
  let stage: Stage | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stopSignals = () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
  const interrupted = () => {
    out(style.bad('\nInterrupted: stopping Folio…'));
    void (stage?.close() ?? Promise.resolve([])).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const run = (async () => {
      stage = await Stage.open({ colour });
      out(
        style.dim(
          `Folio is up in ${seconds(performance.now() - started)} (migrations, desks configuration).`,
        ),
      );
      await story(stage);
    })();
    const limit = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new DemoError(`the demo did not finish within ${seconds(TIME_LIMIT_MS)}`)),
        TIME_LIMIT_MS,
      );
    });
    // If the time limit wins, a later failure of the run must not surface as an unhandled rejection.
    run.catch(() => undefined);
    await Promise.race([run, limit]);
    const done = stage as unknown as Stage;
    out();
    out(style.good(`✓ The story ran end to end in ${seconds(performance.now() - started)}.`));
    out(
      style.dim(
        `  ${done.requests} signed Slack requests into the app; ${done.print.shown} things seen by the people and channels above.`,
      ),
    );
    return 0;
  } catch (error) {
    const step = stage ? ` at "${(stage as Stage).step}"` : ' while starting';
    out();
    out(style.bad(`✗ The demo failed${step}: ${error instanceof Error ? error.message : String(error)}`));
    if (!(error instanceof DemoError) && error instanceof Error && error.stack) out(style.dim(error.stack));
    const logged = (stage as Stage | undefined)?.logs.filter(
      (l) => l.level === 'error' || l.level === 'warn',
    );
    if (logged && logged.length > 0) {
      out(style.dim('The app logged:'));
      for (const l of logged.slice(-10)) out(style.dim(`  ${JSON.stringify(l).slice(0, 400)}`));
    }
    out(style.dim(`Elapsed: ${seconds(performance.now() - started)}`));
    return 1;
  } finally {
    clearTimeout(timer);
    const problems = await ((stage as Stage | undefined)?.close() ?? Promise.resolve([]));
    for (const p of problems) out(style.bad(`Cleaning up: ${p}`));
    stopSignals();
  }
}

// Exit explicitly: a failed step may leave a request or a timer behind, and the demo must not hang.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    out(`✗ ${String(error)}`);
    process.exit(1);
  },
);
