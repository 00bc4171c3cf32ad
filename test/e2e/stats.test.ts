import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaTimers, tickets } from '../../src/db/schema/index.js';
import type { Status } from '../../src/domain/status.js';
import { ManualClock } from '../../src/lib/clock.js';
import { deskStats } from '../../src/stats/deskStats.js';
import { startTestFolio, type TestFolio } from '../support/folio.js';

const NOW = new Date('2030-06-15T12:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

let t: TestFolio;

beforeAll(async () => {
  t = await startTestFolio({ clock: new ManualClock(NOW) });
  await fixture();
});
afterAll(async () => {
  await t?.stop();
});

interface Row {
  folio: string;
  desk?: 'it' | 'hr';
  status: Status;
  created: Date;
  responded?: Date;
  resolved?: Date;
}

/**
 * A hand-counted fixture, written directly in the database (no Slack flow makes tickets in the past).
 * IT, relative to now:
 *   a  created 1d ago,  answered +10m, resolved +2h          resolved
 *   b  created 2d ago,  answered +30m, resolved +6h          closed
 *   c  created 3d ago,  answered +50m                        in progress
 *   d  created 5d ago,  never answered                       open
 *   h  created 6d ago,  answered +20m                        waiting
 *   e  created 10d ago, answered +2h,  resolved +24h         closed
 *   f  created 20d ago, answered +4h,  resolved 3d ago (17d) resolved
 *   g  created 40d ago, answered +1h,  resolved 35d ago      closed
 * HR: one open ticket created 1d ago.
 */
async function fixture() {
  const rows: Row[] = [
    {
      folio: 'A1',
      status: 'resolved',
      created: ago(DAY),
      responded: ago(DAY - 10 * MIN),
      resolved: ago(DAY - 2 * HOUR),
    },
    {
      folio: 'B1',
      status: 'closed',
      created: ago(2 * DAY),
      responded: ago(2 * DAY - 30 * MIN),
      resolved: ago(2 * DAY - 6 * HOUR),
    },
    { folio: 'C1', status: 'in_progress', created: ago(3 * DAY), responded: ago(3 * DAY - 50 * MIN) },
    { folio: 'D1', status: 'open', created: ago(5 * DAY) },
    { folio: 'H1', status: 'waiting', created: ago(6 * DAY), responded: ago(6 * DAY - 20 * MIN) },
    {
      folio: 'E1',
      status: 'closed',
      created: ago(10 * DAY),
      responded: ago(10 * DAY - 2 * HOUR),
      resolved: ago(9 * DAY),
    },
    {
      folio: 'F1',
      status: 'resolved',
      created: ago(20 * DAY),
      responded: ago(20 * DAY - 4 * HOUR),
      resolved: ago(3 * DAY),
    },
    {
      folio: 'G1',
      status: 'closed',
      created: ago(40 * DAY),
      responded: ago(40 * DAY - HOUR),
      resolved: ago(35 * DAY),
    },
    { folio: 'R1', desk: 'hr', status: 'open', created: ago(DAY) },
  ];
  const inserted = await t.folio.services.db
    .insert(tickets)
    .values(
      rows.map((r) => ({
        folio: r.folio,
        subject: `Ticket ${r.folio}`,
        deskKey: r.desk ?? 'it',
        priority: 'medium' as const,
        status: r.status,
        requesterId: 'U_REQ_RITA',
        createdBy: 'U_REQ_RITA',
        source: 'api' as const,
        createdAt: r.created,
        lastActivityAt: r.created,
        firstRespondedAt: r.responded ?? null,
        resolvedAt: r.resolved ?? null,
      })),
    )
    .returning({ id: tickets.id, folio: tickets.folio });
  const id = (folio: string) => inserted.find((r) => r.folio === folio)?.id ?? 0;
  const clock = (
    folio: string,
    kind: 'first_response' | 'resolution',
    c: Partial<typeof slaTimers.$inferInsert>,
  ) => ({
    ticketId: id(folio),
    kind,
    targetMinutes: 60,
    startedAt: ago(50 * DAY),
    ...c,
  });
  await t.folio.services.db.insert(slaTimers).values([
    // 1. met on time (7 and 30 days)
    clock('A1', 'first_response', { dueAt: ago(DAY - 30 * MIN), metAt: ago(DAY - 10 * MIN) }),
    // 2. breached, then met late: settled at its deadline, missed (7, 30)
    clock('B1', 'first_response', {
      dueAt: ago(2 * DAY - 15 * MIN),
      breachedAt: ago(2 * DAY - 15 * MIN),
      metAt: ago(2 * DAY - 30 * MIN),
    }),
    // 3. running, past due an hour ago, not yet reported by the sweep: missed (7, 30)
    clock('C1', 'resolution', { dueAt: ago(HOUR) }),
    // 4. met on time (7, 30)
    clock('C1', 'first_response', { dueAt: ago(3 * DAY - 60 * MIN), metAt: ago(3 * DAY - 50 * MIN) }),
    // 5. running, due in two hours: not settled
    clock('D1', 'first_response', { dueAt: new Date(NOW.getTime() + 2 * HOUR) }),
    // 6. met late without a recorded breach: settled at its deadline 9 days ago, missed (30 only)
    clock('E1', 'resolution', { dueAt: ago(9 * DAY + HOUR), metAt: ago(9 * DAY) }),
    // 7. met while paused with time left: on time (7, 30)
    clock('F1', 'resolution', {
      dueAt: null,
      pausedAt: ago(4 * DAY),
      remainingSeconds: 3600,
      metAt: ago(3 * DAY),
    }),
    // 8. met 40 days ago: outside both windows
    clock('G1', 'first_response', { dueAt: ago(40 * DAY - 2 * HOUR), metAt: ago(40 * DAY - HOUR) }),
    // 9. met on time (7, 30)
    clock('H1', 'first_response', { dueAt: ago(6 * DAY - HOUR), metAt: ago(6 * DAY - 20 * MIN) }),
    // 10. paused, not met: not settled
    clock('H1', 'resolution', { dueAt: null, pausedAt: ago(5 * DAY), remainingSeconds: 1000 }),
  ]);
}

describe('/ticket stats', () => {
  it('computes the hand-counted figures', async () => {
    const [it, hr] = await deskStats(t.folio.services.db, ['it', 'hr'], NOW);
    expect(it).toEqual({
      deskKey: 'it',
      byStatus: { open: 1, in_progress: 1, waiting: 1, resolved: 2, closed: 3 },
      windows: {
        // created a b c d h; answered a 10m, h 20m, b 30m, c 50m; resolved a 2h, b 6h, f 17d;
        // clocks settled 1 2 3 4 7 9, met 1 4 7 9
        7: {
          created: 5,
          responded: 4,
          medianFirstResponse: 25 * 60,
          resolved: 3,
          medianResolution: 6 * 3600,
          slaSettled: 6,
          slaMet: 4,
        },
        // and e, f created; e 2h and f 4h answered; e resolved in 24h; clock 6 settled, missed
        30: {
          created: 7,
          responded: 6,
          medianFirstResponse: 40 * 60,
          resolved: 4,
          medianResolution: 15 * 3600,
          slaSettled: 7,
          slaMet: 4,
        },
      },
    });
    expect(hr).toMatchObject({
      byStatus: { open: 1, in_progress: 0, waiting: 0, resolved: 0, closed: 0 },
      windows: { 7: { created: 1, responded: 0, medianFirstResponse: null, slaSettled: 0 } },
    });
  });

  it('shows a person the desks they may see, private ones only to their members', async () => {
    const res = await t.slack.command({ text: 'stats', user: 'U_OTHER_OTTO' });
    const answer = res.json as { response_type: string; blocks: { text?: { text: string } }[] };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.blocks.map((b) => b.text?.text)).toEqual([
      '*Helpdesk statistics*',
      [
        '*IT*',
        '*Now:* Open 1 · In progress 1 · Waiting on requester 1 · Resolved 2 · Closed 3',
        '*7 days:* 5 created · first response 25m (4 of 5 answered) · resolution 6h (3 resolved) · SLA met 67% (4 of 6)',
        '*30 days:* 7 created · first response 40m (6 of 7 answered) · resolution 15h (4 resolved) · SLA met 57% (4 of 7)',
      ].join('\n'),
      undefined,
    ]);

    const member = await t.slack.command({ text: 'stats', user: 'U_HR_HUGO' });
    const texts = (member.json as { blocks: { text?: { text: string } }[] }).blocks.map(
      (b) => b.text?.text ?? '',
    );
    expect(texts[2]).toBe(
      [
        '*People &amp; HR* :lock:', // escaped: a desk name cannot inject markup
        '*Now:* Open 1 · In progress 0 · Waiting on requester 0 · Resolved 0 · Closed 0',
        '*7 days:* 1 created · no first response yet · none resolved · no SLA deadline settled',
        '*30 days:* 1 created · no first response yet · none resolved · no SLA deadline settled',
      ].join('\n'),
    );
  });
});
