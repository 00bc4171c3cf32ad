import type { AttachmentRow, LinkRow, TicketRow } from '../../src/db/schema/index.js';
import type { Desk } from '../../src/desks/directory.js';
import type { TicketDetails } from '../../src/tickets/details.js';

/** Small factories for the pure builders' inputs: a plausible ticket, changed only where a test says. */

export const CREATED_AT = new Date('2026-03-02T09:15:00Z');

export function makeTicket(overrides: Partial<TicketRow> = {}): TicketRow {
  return {
    id: 1,
    folio: 'TKT001',
    subject: 'Printer on the 3rd floor is jammed',
    description: '',
    deskKey: 'it',
    categoryId: 2,
    priority: 'medium',
    status: 'open',
    requesterId: 'U_REQ_RITA',
    requesterEmail: null,
    requesterName: null,
    senderCheck: null,
    assigneeId: null,
    createdBy: 'U_REQ_RITA',
    source: 'slash_command',
    sourceChannelId: null,
    sourceMessageTs: null,
    sourcePermalink: null,
    cardChannelId: null,
    cardTs: null,
    requesterChannelId: null,
    requesterThreadTs: null,
    snoozedUntil: null,
    snoozeReason: null,
    resolutionNote: null,
    version: 1,
    idempotencyKey: null,
    firstRespondedAt: null,
    resolvedAt: null,
    closedAt: null,
    lastActivityAt: CREATED_AT,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
    ...overrides,
  };
}

export function makeDesk(overrides: Partial<Desk> = {}): Desk {
  return {
    key: 'it',
    name: 'IT',
    channel: 'C_IT_DESK',
    escalationChannel: 'C_IT_DESK',
    mailbox: null,
    private: false,
    members: ['U_AGENT_ANA', 'U_AGENT_BEN'],
    leads: ['U_AGENT_ANA'],
    assignment: 'round_robin',
    autoCloseAfterDays: 3,
    folioPrefix: 'TKT',
    timezone: 'UTC',
    businessHours: { mon: [[540, 1020]] },
    holidays: [],
    sla: {
      urgent: { firstResponse: 30, resolution: 240 },
      high: { firstResponse: 60, resolution: 480 },
      medium: { firstResponse: 240, resolution: 1440 },
      low: { firstResponse: 480, resolution: 2400 },
    },
    reminders: [{ kind: 'elapsed_percent', value: 75 }],
    templates: {},
    archived: false,
    lastAssigneeId: null,
    ...overrides,
  };
}

export function makeAttachment(overrides: Partial<AttachmentRow> = {}): AttachmentRow {
  return {
    id: 1,
    ticketId: 1,
    commentId: null,
    slackFileId: 'F001',
    name: 'report.pdf',
    mimetype: 'application/pdf',
    size: 1024,
    permalink: 'https://files.slack.test/F001/report.pdf',
    createdAt: CREATED_AT,
    ...overrides,
  };
}

export interface DetailsOverrides {
  ticket?: Partial<TicketRow>;
  desk?: Partial<Desk>;
  category?: { id: number; name: string } | null;
  attachments?: AttachmentRow[];
  links?: LinkRow[];
  slaDue?: Date | null;
  slaBreached?: boolean;
}

export function makeDetails(o: DetailsOverrides = {}): TicketDetails {
  return {
    ticket: makeTicket(o.ticket),
    desk: makeDesk(o.desk),
    category: o.category === undefined ? { id: 2, name: 'IT' } : o.category,
    attachments: o.attachments ?? [],
    links: o.links ?? [],
    slaDue: o.slaDue ?? null,
    slaBreached: o.slaBreached ?? false,
  };
}
