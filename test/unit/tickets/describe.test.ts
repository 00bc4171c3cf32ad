import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../src/tickets/workflow/describe.js';

/** A ticket's history reads as sentences, whatever kind of change it records. */
describe('describeEvent', () => {
  const ANA = 'U_AGENT_ANA';
  it.each([
    [{ type: 'ticket.created', actorId: 'U_REQ_RITA', data: {} }, '<@U_REQ_RITA> opened it'],
    [{ type: 'ticket.taken', actorId: ANA, data: { to: ANA } }, `<@${ANA}> took it`],
    [{ type: 'ticket.assigned', actorId: ANA, data: { to: null } }, `<@${ANA}> put it back in To assign`],
    [
      {
        type: 'ticket.status_changed',
        actorId: ANA,
        data: { from: 'in_progress', to: 'waiting', note: 'a <b>' },
      },
      `<@${ANA}> moved it from In progress to Waiting on requester: “a &lt;b&gt;”`,
    ],
    [
      { type: 'ticket.priority_changed', actorId: ANA, data: { from: 'medium', to: 'urgent' } },
      `<@${ANA}> changed the priority from Medium to Urgent`,
    ],
    [
      { type: 'sla.reminder', actorId: null, data: { clock: 'first_response' } },
      'Folio reminded the desk: the first response deadline is near',
    ],
    [
      { type: 'sla.breached', actorId: null, data: { clock: 'resolution' } },
      'Folio escalated it: the resolution deadline passed',
    ],
    [
      { type: 'ticket.escalated', actorId: 'U_REQ_RITA', data: {} },
      '<@U_REQ_RITA> escalated it: the desk’s promise was overdue',
    ],
    [
      { type: 'ticket.auto_closed', actorId: null, data: {} },
      'Folio closed it: nobody answered after it was resolved',
    ],
    [{ type: 'something.new', actorId: ANA, data: {} }, `<@${ANA}>: something.new`],
  ])('%o reads as %s', (event, sentence) => {
    expect(describeEvent(event)).toBe(sentence);
  });
});
