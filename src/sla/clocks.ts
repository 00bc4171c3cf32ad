import type { Tx } from '../db/client.js';
import type { TicketRow } from '../db/schema/index.js';
import type { Desk } from '../desks/directory.js';

/**
 * Keeps a ticket's SLA clocks (sla_timers) in step with the ticket, inside the transaction that
 * changes it: paused while Waiting on requester, met on the first response and on resolution,
 * retargeted when the priority changes.
 */
export async function followTicket(
  _tx: Tx,
  _before: TicketRow,
  _after: TicketRow,
  _desk: Desk,
  _now: Date,
): Promise<void> {}
