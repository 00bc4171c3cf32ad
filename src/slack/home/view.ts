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

function title(l: PlannedList, requestsOpen: number): string {
  switch (l.kind) {
    case 'requests':
      return `*My requests* · ${requestsOpen} open, ${l.total} in all`;
    case 'assigned':
      return `*Assigned to me* · ${l.total}`;
    case 'toAssign':
      return `*To assign* · ${l.total}`;
    case 'breaching':
      return `*Breaching soon* (deadline within ${BREACHING_SOON_HOURS} h) · ${l.total}`;
    case 'snoozed':
      return `*Snoozed* · ${l.total}`;
  }
}

/** Where the whole list can be read when the Home shows only part of it. */
function fullListHint(l: PlannedList): string {
  switch (l.kind) {
    case 'requests':
      return '`/ticket list` lists them all.';
    case 'assigned':
      return '`/ticket mine` lists them all.';
    case 'toAssign':
      return `\`/ticket queue ${l.deskKey ?? ''}\` lists them all.`;
    case 'breaching':
      return 'The nearest deadlines come first.';
    case 'snoozed':
      return 'The next to wake come first.';
  }
}

function itemBlocks(
  kind: ListKind,
  { ticket: t, version }: HomeItem,
  viewer: string,
  now: Date,
): KnownBlock[] {
  const ref = ticketRefValue(t.id, version);
  const open = button(ACTION.showTicket, 'Open', t.folio);
  const assign = button(ACTION.assign, 'Assign…', ref);
  const line = ticketLine(t, now);
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
      const who = t.assigneeId ? `assigned to ${mentionUser(t.assigneeId)}` : 'unassigned';
      const take = t.assigneeId === viewer ? [] : [button(ACTION.take, 'Take', ref, 'primary')];
      return [section(`${line} · ${who}`), { type: 'actions', elements: [...take, assign, open] }];
    }
  }
}

const resize = (l: PlannedList, label: string, suffix: string, n: number): Button =>
  button(`${HOME_ACTION.resize}_${suffix}`, label, resizeValue({ list: l.key, size: n }));

function footer(l: PlannedList): KnownBlock[] {
  const fewer = l.requested > DEFAULT_LIST_SIZE ? [resize(l, 'Show fewer', 'fewer', DEFAULT_LIST_SIZE)] : [];
  switch (l.footer) {
    case 'none':
      return [];
    case 'more':
      return [
        {
          type: 'actions',
          elements: [
            resize(l, 'Show more', 'more', Math.min(l.requested + LIST_SIZE_STEP, MAX_LIST_SIZE)),
            ...fewer,
          ],
        },
      ];
    case 'fewer':
      return [{ type: 'actions', elements: fewer }];
    case 'capped': {
      const text = section(`Showing ${l.shown} of ${l.total}. ${fullListHint(l)}`);
      return [fewer[0] ? { ...text, accessory: fewer[0] } : text];
    }
  }
}

function listBlocks(l: PlannedList, d: HomeData): KnownBlock[] {
  const items = (d.items.get(l.key) ?? []).slice(0, l.shown);
  const head = title(l, d.requestsOpen);
  return [
    section(l.total === 0 ? `${head}\n${EMPTY[l.kind]}` : head),
    ...items.flatMap((item) => itemBlocks(l.kind, item, d.viewer, d.now)),
    ...footer(l),
  ];
}

function foldedBlocks(plan: HomePlan): KnownBlock[] {
  if (plan.folded.length === 0) return [];
  const lines = plan.folded.map(
    (f) =>
      `*${escapeMrkdwn(f.name)}*: ${f.toAssign} to assign · ${f.breaching} breaching soon · ${f.snoozed} snoozed`,
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
          options: plan.folded.slice(0, 100).map((f) => option(f.name, f.key)),
        },
      ],
    },
  ];
}

/** The state worth keeping: sizes of the lists on show, and the desk in front. */
function keptState(d: HomeData): HomeState {
  const shown = new Set([...d.plan.mine, ...d.plan.desks.flatMap((x) => x.lists)].map((l) => l.key));
  const listSizes = Object.fromEntries(Object.entries(d.state.listSizes).filter(([k]) => shown.has(k)));
  const { focusedDesk } = d.state;
  return {
    listSizes,
    ...(focusedDesk && d.plan.desks.some((x) => x.key === focusedDesk) ? { focusedDesk } : {}),
  };
}

export function homeView(d: HomeData): types.HomeView {
  const { plan } = d;
  const blocks: KnownBlock[] = [
    header('Your helpdesk'),
    context([
      `Type \`/ticket\` to ask for help, \`/ticket help\` for more. Updated ${slackDate(d.now, '{time}')}.`,
    ]),
    ...(d.admin ? adminArea(d.admin, String(d.now.getTime())) : []),
    header('Your tickets'),
    ...plan.mine.flatMap((l) => listBlocks(l, d)),
    ...plan.desks.flatMap((desk) => [
      header(`${desk.name} queues`),
      ...desk.lists.flatMap((l) => listBlocks(l, d)),
    ]),
    ...foldedBlocks(plan),
  ];
  return { type: 'home', private_metadata: homeMetadata(keptState(d)), blocks };
}
