import type { types } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { noticeModal, plain, section } from './elements.js';

/**
 * Opens a modal on a trigger that expires 3 seconds after Slack sent it. When its content is ready
 * quickly, it opens as is; when it is not (a slow database, a slow Slack call), a loading view opens at
 * once and is replaced by the content, or by an apology if building it failed.
 */
export const QUICK_BUILD_MS = 1000;

export async function openModal(
  client: WebClient,
  triggerId: string,
  build: Promise<types.ModalView>,
  quickMs = QUICK_BUILD_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<'slow'>((resolve) => {
    timer = setTimeout(() => resolve('slow'), quickMs);
  });
  // Keep a rejection of `build` handled even while we wait for the loading view.
  const settled = build.then(
    (view) => ({ view }),
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([settled, slow]).finally(() => clearTimeout(timer));
  if (first !== 'slow' && 'view' in first) {
    await client.views.open({ trigger_id: triggerId, view: first.view });
    return;
  }
  if (first !== 'slow') throw first.error;

  const opened = await client.views.open({ trigger_id: triggerId, view: loadingModal() });
  const result = await settled;
  const target = { view_id: opened.view?.id ?? '', ...(opened.view?.hash ? { hash: opened.view.hash } : {}) };
  if ('view' in result) {
    await client.views.update({ ...target, view: result.view });
    return;
  }
  await client.views.update({ ...target, view: failedModal() });
  throw result.error;
}

export function loadingModal(): types.ModalView {
  return { type: 'modal', title: plain('Folio', 24), blocks: [section(':hourglass_flowing_sand: Loading…')] };
}

function failedModal(): types.ModalView {
  return noticeModal('Folio', 'Sorry, this form could not be loaded. Close it and try again in a moment.');
}
