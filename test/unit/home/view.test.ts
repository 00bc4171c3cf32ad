import { describe, expect, it } from 'vitest';
import { type HomeState, listKey, MAX_LIST_SIZE } from '../../../src/home/state.js';
import type { HomeData, HomeItem } from '../../../src/slack/home/data.js';
import { type HomeCounts, planBlocks, planHome } from '../../../src/slack/home/plan.js';
import { homeView } from '../../../src/slack/home/view.js';
import { ACTION, ADMIN_ACTION, HOME_ACTION } from '../../../src/slack/ids.js';
import type { TicketSummary } from '../../../src/tickets/lists.js';

const NOW = new Date('2030-01-07T10:00:00Z');
const VIEWER = 'U_AGENT_ANA';

let nextId = 1;
function item(o: Partial<TicketSummary> = {}): HomeItem {
  const id = nextId++;
  return {
    version: 2,
    ticket: {
      id,
      version: 2,
      folio: `TKT${String(id).padStart(3, '0')}`,
      subject: `Ticket ${id}`,
      status: 'open',
      priority: 'medium',
      deskKey: 'it',
      deskName: 'IT',
      requesterId: 'U_REQ_RITA',
      assigneeId: null,
      snoozedUntil: null,
      lastActivityAt: NOW,
      createdAt: NOW,
      dueAt: null,
      ...o,
    },
  };
}

/** Home data with as many tickets in each list as the plan shows. */
function data(counts: HomeCounts, state: HomeState, admin = false): HomeData {
  const plan = planHome(counts, state);
  const lists = [...plan.mine, ...plan.desks.flatMap((d) => d.lists)];
  return {
    viewer: VIEWER,
    now: NOW,
    state,
    plan,
    items: new Map(lists.map((l) => [l.key, Array.from({ length: l.shown }, () => item())])),
    requestsOpen: 3,
    admin: admin
      ? {
          workspaceAdmin: true,
          mayCreateDesk: true,
          desks: [{ key: 'it', name: 'IT' }],
          categories: [{ id: 1, name: 'Laptops', deskName: 'IT' }],
        }
      : undefined,
  };
}

const allActionIds = (blocks: unknown[]): string[] =>
  [...JSON.stringify(blocks).matchAll(/"action_id":"([a-z_]+)"/g)].map((m) => m[1] ?? '');

describe('homeView', () => {
  it('builds exactly the blocks the plan counted', () => {
    const desks = ['it', 'hr', 'fac', 'ops', 'law'].map((key) => ({
      key,
      name: key,
      toAssign: 60,
      breaching: 9,
      snoozed: 2,
    }));
    const counts: HomeCounts = { admin: true, requests: 12, assigned: 70, desks };
    const states: HomeState[] = [
      { listSizes: {} },
      { listSizes: { assigned: MAX_LIST_SIZE, [listKey('toAssign', 'hr')]: 20 }, focusedDesk: 'ops' },
    ];
    for (const state of states) {
      const d = data(counts, state, true);
      const view = homeView(d);
      expect(view.blocks).toHaveLength(planBlocks(d.plan));
      expect(view.blocks.length).toBeLessThanOrEqual(100);
    }
  });

  it('gives queue tickets Take, Assign and Open, and lets people enlarge lists', () => {
    const d = data(
      {
        admin: false,
        requests: 1,
        assigned: 0,
        desks: [{ key: 'it', name: 'IT', toAssign: 7, breaching: 0, snoozed: 0 }],
      },
      { listSizes: {} },
    );
    const view = homeView(d);
    const ids = allActionIds(view.blocks);
    expect(ids.filter((id) => id === ACTION.take)).toHaveLength(5);
    expect(ids).toContain(`${HOME_ACTION.resize}_more`);
    const more = JSON.stringify(view.blocks).match(/"value":"(\{\\"k\\":\\"toAssign:it\\",\\"n\\":10\})"/);
    expect(more).not.toBeNull();
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ s: {} });
  });

  it('does not offer Take on a breaching ticket the viewer already has', () => {
    const d = data(
      {
        admin: false,
        requests: 0,
        assigned: 0,
        desks: [{ key: 'it', name: 'IT', toAssign: 0, breaching: 2, snoozed: 0 }],
      },
      { listSizes: {} },
    );
    d.items.set('breaching:it', [item({ assigneeId: VIEWER }), item({ assigneeId: 'U_AGENT_BEN' })]);
    const view = homeView(d);
    const actions = view.blocks.filter((b) => b.type === 'actions').map((b) => allActionIds([b]));
    expect(actions).toEqual([
      [ACTION.assign, ACTION.showTicket],
      [ACTION.take, ACTION.assign, ACTION.showTicket],
    ]);
    expect(JSON.stringify(view.blocks)).toContain('assigned to <@U_AGENT_BEN>');
  });

  it('shows the administration area only with a scope', () => {
    const counts: HomeCounts = { admin: false, requests: 0, assigned: 0, desks: [] };
    expect(
      allActionIds(homeView(data(counts, { listSizes: {} })).blocks).some((id) =>
        id.startsWith('folio_admin'),
      ),
    ).toBe(false);
    const admin = homeView(data({ ...counts, admin: true }, { listSizes: {} }, true));
    expect(allActionIds(admin.blocks)).toEqual([
      ADMIN_ACTION.newDesk,
      ADMIN_ACTION.deskSettings,
      ADMIN_ACTION.deskSla,
      ADMIN_ACTION.deskHours,
      ADMIN_ACTION.deskTemplates,
      ADMIN_ACTION.newCategory,
      ADMIN_ACTION.category,
    ]);
  });
});
