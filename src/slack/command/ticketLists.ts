import type { Desk } from '../../desks/directory.js';
import { escapeMrkdwn } from '../../lib/mrkdwn.js';
import { assignedTo, requestedBy, toAssign } from '../../tickets/lists.js';
import { searchTickets } from '../../tickets/search.js';
import { canSeeDesk } from '../../tickets/visibility.js';
import type { SlackServices } from '../context.js';
import { type KnownBlock, notice } from '../kit/elements.js';
import { type ListRequest, ticketListMessage } from './ticketList.js';

type Message = { text: string; blocks: KnownBlock[] };

/** The page of a list a person asked for, as an ephemeral message. */
export async function listAnswer(
  services: SlackServices,
  viewer: string,
  request: ListRequest,
): Promise<Message> {
  const now = services.clock.now();
  switch (request.l) {
    case 'list':
      return ticketListMessage({
        title: 'Your requests',
        page: await requestedBy(services.db, viewer, request.p),
        request,
        empty: 'You have not opened any tickets yet. Type `/ticket` to open one.',
        now,
      });
    case 'mine':
      return ticketListMessage({
        title: 'Assigned to you',
        page: await assignedTo(services.db, viewer, request.p),
        request,
        empty: 'Nothing is assigned to you. :tada:',
        now,
      });
    case 'queue': {
      const desk = (await visibleDesks(services, viewer)).find((candidate) => candidate.key === request.d);
      if (!desk) return notice(`There is no desk \`${escapeMrkdwn(request.d)}\`.`);
      return ticketListMessage({
        title: `${escapeMrkdwn(desk.name)}: to assign`,
        page: await toAssign(services.db, desk.key, now, request.p),
        request,
        empty: 'Nothing is waiting to be assigned.',
        now,
      });
    }
    case 'search':
      return ticketListMessage({
        title: `Tickets matching “${escapeMrkdwn(request.q)}”`,
        page: await searchTickets(services.db, viewer, request.q, request.p),
        request,
        empty: 'No ticket you can see matches those words.',
        now,
      });
  }
}

/** Desks a person may list: every public desk, and the private desks they belong to. */
async function visibleDesks(services: SlackServices, viewer: string): Promise<Desk[]> {
  return (await services.directory.desks(services.db)).filter((desk) => canSeeDesk(viewer, desk));
}

/**
 * `/ticket queue [desk]`: the named desk (by key or name), or the viewer's own desk when they belong
 * to exactly one.
 */
export async function queueAnswer(
  services: SlackServices,
  viewer: string,
  deskName: string | null,
): Promise<Message> {
  const desks = await visibleDesks(services, viewer);
  const keys = desks.map((desk) => `\`${desk.key}\``).join(', ');
  if (deskName === null) {
    const own = desks.filter((desk) => desk.members.includes(viewer));
    if (own.length === 1 && own[0]) return listAnswer(services, viewer, { l: 'queue', p: 0, d: own[0].key });
    return notice(`Which desk? Type \`/ticket queue <desk>\` with one of: ${keys}.`);
  }
  const wanted = deskName.trim().toLowerCase();
  const desk = desks.find((candidate) => candidate.key === wanted || candidate.name.toLowerCase() === wanted);
  if (!desk) return notice(`There is no desk \`${escapeMrkdwn(deskName)}\`. Desks: ${keys}.`);
  return listAnswer(services, viewer, { l: 'queue', p: 0, d: desk.key });
}
