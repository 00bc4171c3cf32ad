import { relations } from 'drizzle-orm';
import { attachments, links } from './conversation.js';
import { categories } from './desks.js';
import { slaTimers } from './sla.js';
import { tickets } from './tickets.js';

/**
 * How tables relate, for drizzle's relational queries: a ticket is read with its category, files,
 * links and clocks in a single statement (src/tickets/details.ts).
 */
export const ticketRelations = relations(tickets, ({ one, many }) => ({
  category: one(categories, { fields: [tickets.categoryId], references: [categories.id] }),
  attachments: many(attachments),
  links: many(links, { relationName: 'ticketLinks' }),
  slaTimers: many(slaTimers),
}));

export const attachmentRelations = relations(attachments, ({ one }) => ({
  ticket: one(tickets, { fields: [attachments.ticketId], references: [tickets.id] }),
}));

export const linkRelations = relations(links, ({ one }) => ({
  ticket: one(tickets, { fields: [links.ticketId], references: [tickets.id], relationName: 'ticketLinks' }),
}));

export const slaTimerRelations = relations(slaTimers, ({ one }) => ({
  ticket: one(tickets, { fields: [slaTimers.ticketId], references: [tickets.id] }),
}));
