import type { Queryable } from '../../db/client.js';
import type { AdminScope } from '../../desks/admin/read.js';
import { listDesks } from '../../desks/directory.js';
import { assignedTo, requestedBy, snoozed, type TicketSummary, toAssign } from '../../tickets/lists.js';
import { type HomePlan, type PlannedList, planHome } from './plan.js';
import { breachingSoon, homeCounts } from './queries.js';
import type { HomeState } from './state.js';

/** Everything one person's Home tab shows, read in a few indexed queries. */

export interface HomeItem {
  ticket: TicketSummary;
  /** Carried by the ticket's buttons, so an action on an out-of-date Home is refused. */
  version: number;
}

export interface HomeData {
  viewer: string;
  now: Date;
  state: HomeState;
  plan: HomePlan;
  /** Tickets by list key, at most `shown` of each. */
  items: Map<string, HomeItem[]>;
  requestsOpen: number;
  admin: AdminScope | undefined;
}

function itemsOf(q: Queryable, viewer: string, now: Date, l: PlannedList): Promise<TicketSummary[]> {
  const n = l.shown;
  if (n === 0) return Promise.resolve([]);
  const desk = l.deskKey ?? '';
  switch (l.kind) {
    case 'requests':
      return requestedBy(q, viewer, 0, n).then((page) => page.items);
    case 'assigned':
      return assignedTo(q, viewer, 0, n).then((page) => page.items);
    case 'toAssign':
      return toAssign(q, desk, now, 0, n).then((page) => page.items);
    case 'breaching':
      return breachingSoon(q, desk, now, n);
    case 'snoozed':
      return snoozed(q, desk, now, 0, n).then((page) => page.items);
  }
}

export async function loadHome(
  q: Queryable,
  o: { viewer: string; now: Date; state: HomeState; admin: AdminScope | undefined },
): Promise<HomeData> {
  const desks = (await listDesks(q)).filter((d) => d.members.includes(o.viewer));
  const counts = await homeCounts(
    q,
    o.viewer,
    desks.map((d) => d.key),
    o.now,
  );
  const plan = planHome(
    {
      admin: o.admin !== undefined,
      requests: counts.requests,
      assigned: counts.assigned,
      desks: desks.map((d) => ({
        key: d.key,
        name: d.name,
        ...(counts.desks.get(d.key) ?? { toAssign: 0, breaching: 0, snoozed: 0 }),
      })),
    },
    o.state,
  );
  const lists = [...plan.mine, ...plan.desks.flatMap((d) => d.lists)];
  const found = await Promise.all(lists.map((l) => itemsOf(q, o.viewer, o.now, l)));
  const items = new Map(
    lists.map((l, i) => [l.key, (found[i] ?? []).map((ticket) => ({ ticket, version: ticket.version }))]),
  );
  return { ...o, plan, items, requestsOpen: counts.requestsOpen };
}
