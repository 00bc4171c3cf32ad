import type { types } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Queryable } from '../../db/client.js';
import { adminScope } from '../../desks/admin/read.js';
import type { HomeState } from '../../home/state.js';
import type { FolioLogger } from '../../lib/logger.js';
import { type WorkspaceAdmins, workspaceAdminsOf } from '../admin/workspaceAdmins.js';
import type { SlackServices } from '../context.js';
import { loadHome } from './data.js';
import { readHomeState } from './state.js';
import { homeView } from './view.js';

export interface HomeDeps {
  db: Queryable;
  admins: WorkspaceAdmins;
  log: FolioLogger;
  now: Date;
  /**
   * When Slack cannot say whether the person is an admin: `hide` publishes without the administration
   * area (a click deserves an answer now), `throw` lets the outbox retry later.
   */
  ifAdminUnknown: 'hide' | 'throw';
}

/** One person's Home tab as it should look now. */
export async function renderHome(deps: HomeDeps, viewer: string, state: HomeState): Promise<types.HomeView> {
  let workspaceAdmin = false;
  try {
    workspaceAdmin = await deps.admins.isAdmin(viewer);
  } catch (error) {
    if (deps.ifAdminUnknown === 'throw') throw error;
    deps.log.warn('Could not read whether a person is a workspace admin: Home published without it', error);
  }
  const admin = await adminScope(deps.db, { userId: viewer, workspaceAdmin });
  return homeView(await loadHome(deps.db, { viewer, now: deps.now, state, admin }));
}

/**
 * Publishes a person's Home in answer to something they did in Slack: now, with the app's clock, and
 * without the administration area when Slack cannot say whether they are an admin.
 */
export async function publishHomeNow(
  services: SlackServices,
  client: WebClient,
  viewer: string,
  state: HomeState,
): Promise<void> {
  await publishHomeView(
    client,
    {
      db: services.db,
      admins: workspaceAdminsOf(client),
      log: services.log,
      now: services.clock.now(),
      ifAdminUnknown: 'hide',
    },
    viewer,
    state,
  );
}

/**
 * Publishes a person's Home again as the view they clicked in showed it (its private_metadata), for
 * clicks in the Home that are not the Home's own (the administration area).
 */
export const refreshHome =
  (services: SlackServices) =>
  async (client: WebClient, viewer: string, privateMetadata: string): Promise<void> => {
    await publishHomeNow(services, client, viewer, readHomeState(privateMetadata));
  };

/** Renders and publishes; returns the number of blocks published. */
export async function publishHomeView(
  client: WebClient,
  deps: HomeDeps,
  viewer: string,
  state: HomeState,
): Promise<number> {
  const view = await renderHome(deps, viewer, state);
  await client.views.publish({ user_id: viewer, view });
  return view.blocks.length;
}
