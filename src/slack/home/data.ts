import type { Queryable } from '../../db/client.js';
import type { AdminScope } from '../../desks/admin/read.js';
import { homeOverview, homeTickets } from '../../home/lists.js';
import type { HomeState } from '../../home/state.js';
import type { TicketSummary } from '../../tickets/lists.js';
import { type HomePlan, planHome } from './plan.js';

/**
 * Everything one person's Home tab shows: the lists' sizes (src/home/lists.ts), how much of each fits
 * in the view (plan.ts), then those tickets; a few indexed queries in all.
 */

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

export async function loadHome(
  db: Queryable,
  home: { viewer: string; now: Date; state: HomeState; admin: AdminScope | undefined },
): Promise<HomeData> {
  const overview = await homeOverview(db, home.viewer, home.now);
  const plan = planHome(
    {
      admin: home.admin !== undefined,
      requests: overview.requests,
      assigned: overview.assigned,
      desks: overview.desks,
    },
    home.state,
  );
  const lists = [...plan.mine, ...plan.desks.flatMap((desk) => desk.lists)];
  const found = await homeTickets(
    db,
    home.viewer,
    home.now,
    lists.map((list) => ({ key: list.key, kind: list.kind, deskKey: list.deskKey, limit: list.shown })),
  );
  const items = new Map(
    lists.map((list) => [
      list.key,
      (found.get(list.key) ?? []).map((ticket) => ({ ticket, version: ticket.version })),
    ]),
  );
  return { ...home, plan, items, requestsOpen: overview.requestsOpen };
}
