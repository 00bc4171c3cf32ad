import { z } from 'zod';
import { parseJsonAs } from '../../lib/json.js';

/**
 * What a ticket button carries: the ticket and the version it was rendered at, so an action taken
 * on an out-of-date card or list is refused with what changed instead of silently applied.
 */
export const ticketRefSchema = z.object({ t: z.number().int().positive(), v: z.number().int().positive() });
export type TicketRef = z.infer<typeof ticketRefSchema>;

export const ticketRefValue = (ticketId: number, version: number): string =>
  JSON.stringify({ t: ticketId, v: version });

export const readTicketRef = (value: string | undefined): TicketRef | undefined =>
  parseJsonAs(ticketRefSchema, value);
