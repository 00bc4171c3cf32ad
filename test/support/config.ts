import type { HelpdeskConfigInput } from '../../src/desks/model.js';

// A module of its own, without vitest, so that the bench's app process can run on it too
// (bench/lib/config.ts).

/** Desks and people the end-to-end tests use. */
export const TEST_CONFIG = {
  desks: [
    {
      key: 'it',
      name: 'IT',
      channel: 'C_IT_DESK',
      escalationChannel: 'C_IT_ESCALATIONS',
      members: ['U_AGENT_ANA', 'U_AGENT_BEN', 'U_LEAD_LIA'],
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
