import type { WebClient } from '@slack/web-api';
import type { AdminActor } from '../../desks/admin/rights.js';
import type { FolioLogger } from '../../lib/logger.js';
import { workspaceAdminsOf } from './workspaceAdmins.js';

/**
 * Who is acting, for the administration use cases. Slack is asked whether they are a workspace admin
 * (cached, see workspaceAdmins.ts), within ADMIN_CHECK_BUDGET_MS so a submission is still answered
 * inside Slack's 3 seconds. When Slack cannot tell, they act as a non-admin (fail closed): a lead
 * still edits their desks, and a refusal says the rights could not be checked.
 */
export const ADMIN_CHECK_BUDGET_MS = 1500;

export interface ResolvedActor {
  actor: AdminActor;
  /** False when Slack could not confirm the admin role in time. */
  certain: boolean;
}

export async function resolveActor(
  client: WebClient,
  userId: string,
  log: FolioLogger,
): Promise<ResolvedActor> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ADMIN_CHECK_BUDGET_MS);
  });
  try {
    const admin = await Promise.race([workspaceAdminsOf(client).isAdmin(userId), late]);
    if (admin === 'late') {
      log.warn('Slack did not say in time whether a person is a workspace admin: treated as not', { userId });
      return { actor: { userId, workspaceAdmin: false }, certain: false };
    }
    return { actor: { userId, workspaceAdmin: admin }, certain: true };
  } catch (error) {
    log.warn('Could not read whether a person is a workspace admin: treated as not', error);
    return { actor: { userId, workspaceAdmin: false }, certain: false };
  } finally {
    clearTimeout(timer);
  }
}

export const UNCERTAIN_REFUSAL =
  'Folio could not check your rights with Slack just now. Please try again in a moment.';
