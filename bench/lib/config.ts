import type { HelpdeskConfigInput } from '../../src/desks/model.js';
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

/** The IT desk's mailbox in the mail benchmark: mail to it is an IT ticket. */
export const BENCH_MAILBOX = 'it@bench.example';

/** BENCH_CONFIG with the IT desk's mailbox (the other benchmarks run without one). */
export const BENCH_MAIL_CONFIG: HelpdeskConfigInput = {
  ...TEST_CONFIG,
  desks: TEST_CONFIG.desks.map((desk) => (desk.key === 'it' ? { ...desk, mailbox: BENCH_MAILBOX } : desk)),
};

/** Requester ids: `count` distinct people, as in a company where many people file a few tickets each. */
export function requester(i: number, count: number): string {
  return `U_REQ_${String(i % count).padStart(5, '0')}`;
}
