import type { types } from '@slack/bolt';
import { BREACHING_SOON_HOURS } from '../../home/lists.js';
import {
  DEFAULT_LIST_SIZE,
  type HomeState,
  LIST_SIZE_STEP,
  type ListKind,
  MAX_LIST_SIZE,
} from '../../home/state.js';
import { escapeMrkdwn, mentionUser } from '../../lib/mrkdwn.js';
import { adminArea } from '../admin/homeArea.js';
import { ticketLine } from '../command/ticketList.js';
import { ACTION, HOME_ACTION } from '../ids.js';
import { context, type KnownBlock, option, plain, section, slackDate } from '../kit/elements.js';
import { ticketRefValue } from '../kit/ticketRef.js';
import type { HomeData, HomeItem } from './data.js';
import { FOLDED_PER_SECTION, type HomePlan, type PlannedList } from './plan.js';
import { homeMetadata, resizeValue } from './state.js';

/** The App Home tab, built from HomeData exactly as plan.ts counted it. Pure. */

type Button = types.Button;

const header = (text: string): KnownBlock => ({ type: 'header', text: plain(text, 150) });

const button = (actionId: string, text: string, value: string, style?: 'primary'): Button => ({
  type: 'button',
  action_id: actionId,
  text: plain(text, 75),
  value,
  ...(style ? { style } : {}),
});

const EMPTY: Record<ListKind, string> = {
  requests: 'You have not asked for anything yet. Type `/ticket` to open a request.',
  assigned: 'Nothing is assigned to you. :tada:',
  toAssign: 'Nothing is waiting to be assigned.',
  breaching: `No deadline in the next ${BREACHING_SOON_HOURS} hours.`,
  snoozed: 'Nothing is snoozed.',
};

function title(list: PlannedList, requestsOpen: number): string {
  switch (list.kind) {
    case 'requests':
      return `*My requests* · ${requestsOpen} open, ${list.total} in all`;
    case 'assigned':
      return `*Assigned to me* · ${list.total}`;
    case 'toAssign':
      return `*To assign* · ${list.total}`;
    case 'breaching':
      return `*Breaching soon* (deadline within ${BREACHING_SOON_HOURS} h) · ${list.total}`;
    case 'snoozed':
      return `*Snoozed* · ${list.total}`;
  }
}

/** Where the whole list can be read when the Home shows only part of it. */
function fullListHint(list: PlannedList): string {
  switch (list.kind) {
    case 'requests':
      return '`/ticket list` lists them all.';
    case 'assigned':
      return '`/ticket mine` lists them all.';
    case 'toAssign':
      return `\`/ticket queue ${list.deskKey ?? ''}\` lists them all.`;
    case 'breaching':
      return 'The nearest deadlines come first.';
    case 'snoozed':
      return 'The next to wake come first.';
  }
}

function itemBlocks(kind: ListKind, { ticket, version }: HomeItem, viewer: string, now: Date): KnownBlock[] {
  const ref = ticketRefValue(ticket.id, version);
  const open = button(ACTION.showTicket, 'Open', ticket.folio);
  const assign = button(ACTION.assign, 'Assign…', ref);
  const line = ticketLine(ticket, now);
  switch (kind) {
    case 'requests':
    case 'snoozed':
      return [{ ...section(line), accessory: open }];
    case 'assigned':
      return [
        section(line),
        { type: 'actions', elements: [open, button(ACTION.status, 'Status…', ref), assign] },
      ];
    case 'toAssign':
      return [
        section(line),
        { type: 'actions', elements: [button(ACTION.take, 'Take', ref, 'primary'), assign, open] },
      ];
    case 'breaching': {
      const who = ticket.assigneeId ? `assigned to ${mentionUser(ticket.assigneeId)}` : 'unassigned';
      const take = ticket.assigneeId === viewer ? [] : [button(ACTION.take, 'Take', ref, 'primary')];
      return [section(`${line} · ${who}`), { type: 'actions', elements: [...take, assign, open] }];
    }
  }
}

const resize = (list: PlannedList, label: string, suffix: string, size: number): Button =>
  button(`${HOME_ACTION.resize}_${suffix}`, label, resizeValue({ list: list.key, size }));

function footer(list: PlannedList): KnownBlock[] {
  const fewer =
    list.requested > DEFAULT_LIST_SIZE ? [resize(list, 'Show fewer', 'fewer', DEFAULT_LIST_SIZE)] : [];
  switch (list.footer) {
    case 'none':
      return [];
    case 'more':
      return [
        {
          type: 'actions',
          elements: [
            resize(list, 'Show more', 'more', Math.min(list.requested + LIST_SIZE_STEP, MAX_LIST_SIZE)),
            ...fewer,
          ],
        },
      ];
    case 'fewer':
      return [{ type: 'actions', elements: fewer }];
    case 'capped': {
      const text = section(`Showing ${list.shown} of ${list.total}. ${fullListHint(list)}`);
      return [fewer[0] ? { ...text, accessory: fewer[0] } : text];
    }
  }
}

function listBlocks(list: PlannedList, home: HomeData): KnownBlock[] {
  const items = (home.items.get(list.key) ?? []).slice(0, list.shown);
  const head = title(list, home.requestsOpen);
  return [
    section(list.total === 0 ? `${head}\n${EMPTY[list.kind]}` : head),
    ...items.flatMap((item) => itemBlocks(list.kind, item, home.viewer, home.now)),
    ...footer(list),
  ];
}

function foldedBlocks(plan: HomePlan): KnownBlock[] {
  if (plan.folded.length === 0) return [];
  const lines = plan.folded.map(
    (desk) =>
      `*${escapeMrkdwn(desk.name)}*: ${desk.toAssign} to assign · ${desk.breaching} breaching soon · ${desk.snoozed} snoozed`,
  );
  const sections: KnownBlock[] = [];
  for (let i = 0; i < lines.length; i += FOLDED_PER_SECTION) {
    sections.push(section(lines.slice(i, i + FOLDED_PER_SECTION).join('\n')));
  }
  return [
    header('Your other desks'),
    ...sections,
    {
      type: 'actions',
      elements: [
        {
          type: 'static_select',
          action_id: HOME_ACTION.focus,
          placeholder: plain('Show a desk’s queues', 150),
          options: plan.folded.slice(0, 100).map((desk) => option(desk.name, desk.key)),
        },
      ],
    },
  ];
}

/** The state worth keeping: sizes of the lists on show, and the desk in front. */
function keptState(home: HomeData): HomeState {
  const shown = new Set(
    [...home.plan.mine, ...home.plan.desks.flatMap((desk) => desk.lists)].map((list) => list.key),
  );
  const listSizes = Object.fromEntries(
    Object.entries(home.state.listSizes).filter(([key]) => shown.has(key)),
  );
  const { focusedDesk } = home.state;
  return {
    listSizes,
    ...(focusedDesk && home.plan.desks.some((desk) => desk.key === focusedDesk) ? { focusedDesk } : {}),
  };
}

export function homeView(home: HomeData): types.HomeView {
  const { plan } = home;
  const blocks: KnownBlock[] = [
    header('Your helpdesk'),
    context([
      `Type \`/ticket\` to ask for help, \`/ticket help\` for more. Updated ${slackDate(home.now, '{time}')}.`,
    ]),
    ...(home.admin ? adminArea(home.admin, String(home.now.getTime())) : []),
    header('Your tickets'),
    ...plan.mine.flatMap((list) => listBlocks(list, home)),
    ...plan.desks.flatMap((desk) => [
      header(`${desk.name} queues`),
      ...desk.lists.flatMap((list) => listBlocks(list, home)),
    ]),
    ...foldedBlocks(plan),
  ];
  return { type: 'home', private_metadata: homeMetadata(keptState(home)), blocks };
}
