/**
 * Slack wants an answer within 3 seconds. An answer that is ready in time rides on the ack itself (no
 * Web API call); one that is not is acked empty and sent through the response_url when ready. If the
 * work fails, the person gets `failure` and the error goes on to the app's error handler.
 */
export const ACK_BUDGET_MS = 2000;

export async function answerQuickly<T>(o: {
  work: Promise<T>;
  ack: (answer?: T) => Promise<void>;
  respond: (answer: T) => Promise<unknown>;
  failure: T;
}): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ACK_BUDGET_MS);
  });
  let acked = false;
  try {
    const first = await Promise.race([o.work.then((answer) => ({ answer })), late]);
    if (first !== 'late') {
      acked = true;
      await o.ack(first.answer);
      return;
    }
    acked = true;
    await o.ack();
    await o.respond(await o.work);
  } catch (error) {
    if (acked) await o.respond(o.failure);
    else await o.ack(o.failure);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
