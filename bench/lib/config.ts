import type { HelpdeskConfigInput } from '../../src/config/desks.js';

/**
 * The desks the bench runs against: the end-to-end tests' configuration (test/support/folio.ts), kept
 * here so that the app process does not load vitest (it would count in its RSS). The IT desk has a
 * channel, an escalation channel, three members (one lead) and no automatic assignment, so every new
 * ticket waits in its "To assign" queue, as most tickets of a real desk do.
 */
export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-bench-token';

export const DESK_CHANNEL = 'C_IT_DESK';
export const ESCALATION_CHANNEL = 'C_IT_ESCALATIONS';
export const AGENT = 'U_AGENT_ANA';

export const BENCH_CONFIG = {
  desks: [
    {
      key: 'it',
      name: 'IT',
      channel: DESK_CHANNEL,
      escalationChannel: ESCALATION_CHANNEL,
      members: [AGENT, 'U_AGENT_BEN', 'U_LEAD_LIA'],
      leads: ['U_LEAD_LIA'],
      assignment: 'none',
      timezone: 'Europe/Madrid',
    },
    {
      key: 'hr',
      name: 'People & HR',
      channel: 'G_HR_DESK',
      private: true,
      members: ['U_HR_HUGO'],
      leads: ['U_HR_HUGO'],
      assignment: 'round_robin',
    },
  ],
  categories: [
    { name: 'Technical support', desk: 'it' },
    { name: 'IT', desk: 'it' },
    { name: 'HR', desk: 'hr' },
    { name: 'Other', desk: 'it' },
  ],
} satisfies HelpdeskConfigInput;

/** Requester ids: `count` distinct people, as in a company where many people file a few tickets each. */
export function requester(i: number, count: number): string {
  return `U_REQ_${String(i % count).padStart(5, '0')}`;
}
