import type { Background } from '../../lib/background.js';

/**
 * Slack wants an answer within 3 seconds. An answer that is ready in time rides on the ack itself (no
 * Web API call); one that is not is acked empty and sent through the response_url when ready, in the
 * background. If the work fails, the person gets `failure` and the error is logged.
 */
export const ACK_BUDGET_MS = 2000;

export async function answerQuickly<Answer>(job: {
  work: Promise<Answer>;
  ack: (answer?: Answer) => Promise<void>;
  respond: (answer: Answer) => Promise<unknown>;
  failure: Answer;
  background: Background;
}): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ACK_BUDGET_MS);
  });
  // Settled either way, so a late failure is not an unhandled rejection.
  const settled = job.work.then(
    (answer) => ({ answer }),
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([settled, late]).finally(() => clearTimeout(timer));
  if (first === 'late') {
    await job.ack();
    job.background.run('a late answer', async () => {
      const result = await settled;
      if ('answer' in result) await job.respond(result.answer);
      else {
        await job.respond(job.failure);
        throw result.error;
      }
    });
    return;
  }
  if ('answer' in first) {
    await job.ack(first.answer);
    return;
  }
  await job.ack(job.failure);
  throw first.error;
}
