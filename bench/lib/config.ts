import { TEST_CONFIG } from '../../test/support/config.js';

export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-bench-token';

export const DESK_CHANNEL = 'C_IT_DESK';
export const ESCALATION_CHANNEL = 'C_IT_ESCALATIONS';
export const AGENT = 'U_AGENT_ANA';

/**
 * The desks the bench runs against: the end-to-end tests' configuration (test/support/config.ts,
 * which loads no vitest: the app process's RSS is a figure). The IT desk has a channel, an escalation
 * channel, three members (one lead) and no automatic assignment, so every new ticket waits in its
 * "To assign" queue, as most tickets of a real desk do.
 */
export const BENCH_CONFIG = TEST_CONFIG;

/** Requester ids: `count` distinct people, as in a company where many people file a few tickets each. */
export function requester(i: number, count: number): string {
  return `U_REQ_${String(i % count).padStart(5, '0')}`;
}
