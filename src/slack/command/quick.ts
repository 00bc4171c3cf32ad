import type { Background } from '../../lib/background.js';

/**
 * Slack wants an answer within 3 seconds. An answer that is ready in time rides on the ack itself (no
 * Web API call); one that is not is acked empty and sent through the response_url when ready, in the
 * background. If the work fails, the person gets `failure` and the error is logged.
 */
export const ACK_BUDGET_MS = 2000;

export async function answerQuickly<T>(o: {
  work: Promise<T>;
  ack: (answer?: T) => Promise<void>;
  respond: (answer: T) => Promise<unknown>;
  failure: T;
  background: Background;
}): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ACK_BUDGET_MS);
  });
  // Settled either way, so a late failure is not an unhandled rejection.
  const settled = o.work.then(
    (answer) => ({ answer }),
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([settled, late]).finally(() => clearTimeout(timer));
  if (first === 'late') {
    await o.ack();
    o.background.run('a late answer', async () => {
      const result = await settled;
      if ('answer' in result) await o.respond(result.answer);
      else {
        await o.respond(o.failure);
        throw result.error;
      }
    });
    return;
  }
  if ('answer' in first) {
    await o.ack(first.answer);
    return;
  }
  await o.ack(o.failure);
  throw first.error;
}
