import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
  types,
} from '@slack/bolt';
import { isFolioError } from '../../../domain/errors.js';
import { parseJsonAs } from '../../../lib/json.js';
import { type VisibleTicket, visibleTicketById } from '../../../tickets/show.js';
import { NO_SUCH_TICKET } from '../../../tickets/visibility.js';
import { confirmFix } from '../../../tickets/workflow/conversation.js';
import { escalateTicket } from '../../../tickets/workflow/escalate.js';
import {
  closeTicket,
  responderStatusChoices,
  takeTicket,
  wakeTicket,
} from '../../../tickets/workflow/responder.js';
import { moreValueSchema } from '../../blocks/ticketActions.js';
import { readTicketRef } from '../../blocks/ticketRef.js';
import {
  assignModal,
  linkTaskModal,
  linkTicketModal,
  priorityModal,
  replyModal,
  resolveModal,
  snoozeModal,
  statusModal,
  stillBrokenModal,
} from '../../blocks/workflowModals.js';
import type { SlackServices } from '../../context.js';
import { openModal } from '../../modals/openModal.js';
import { refusalOf, tellPerson } from './tell.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type OverflowArgs = SlackActionMiddlewareArgs<BlockAction<OverflowAction>> & AllMiddlewareArgs;
type Who = 'desk' | 'requester';
type ModalBuilder = (s: SlackServices, d: VisibleTicket) => Promise<types.ModalView> | types.ModalView;

/** A ticket's next Monday-to-Friday morning, as the snooze modal's suggestion. */
function tomorrowMorning(now: Date): Date {
  const next = new Date(now.getTime() + 86_400_000);
  next.setUTCHours(8, 0, 0, 0);
  return next;
}

const MODALS: Record<
  'assign' | 'status' | 'priority' | 'reply' | 'snooze' | 'link_task' | 'link_ticket' | 'resolve',
  ModalBuilder
> = {
  assign: async (s, d) => {
    const names = await s.people.names(d.desk.members);
    return assignModal(
      d.ticket,
      d.desk.members.map((id) => ({ id, name: names.get(id) ?? id })),
    );
  },
  status: (_s, d) => statusModal(d.ticket, responderStatusChoices(d.ticket.status)),
  priority: (_s, d) => priorityModal(d.ticket),
  reply: (_s, d) => replyModal(d.ticket, d.ticket.requesterId),
  snooze: (s, d) => snoozeModal(d.ticket, tomorrowMorning(s.clock.now())),
  link_task: (_s, d) => linkTaskModal(d.ticket),
  link_ticket: (_s, d) => linkTicketModal(d.ticket),
  resolve: (_s, d) => resolveModal(d.ticket),
};

async function loadFor(
  s: SlackServices,
  viewer: string,
  ticketId: number,
  who: Who,
): Promise<VisibleTicket | string> {
  const d = await visibleTicketById(s, viewer, ticketId);
  if (!d) return NO_SUCH_TICKET;
  if (who === 'desk' && d.relation !== 'member')
    return `Only members of the ${d.desk.name} desk can change ${d.ticket.folio}.`;
  if (who === 'requester' && d.ticket.requesterId !== viewer)
    return `Only the requester of ${d.ticket.folio} can do that.`;
  return d;
}

/** A button that opens a workflow modal for the ticket it carries, for those allowed to use it. */
export const openTicketModal =
  (s: SlackServices, kind: keyof typeof MODALS) =>
  async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    s.background.run(`opening the ${kind} modal`, async () => {
      const ref = readTicketRef(action.value);
      const d = ref ? await loadFor(s, body.user.id, ref.t, 'desk') : 'This button is out of date.';
      if (typeof d === 'string') {
        await tellPerson({ respond, client, place: body }, d);
        return;
      }
      await openModal(client, body.trigger_id, Promise.resolve(MODALS[kind](s, d)));
    });
  };

export const takeButton =
  (s: SlackServices) =>
  async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    s.background.run('taking a ticket', async () => {
      const ref = readTicketRef(action.value);
      if (!ref) return tellPerson({ respond, client, place: body }, 'This button is out of date.');
      try {
        await takeTicket(s, { ticketId: ref.t, version: ref.v, actorId: body.user.id });
      } catch (error) {
        await tellPerson({ respond, client, place: body }, refusalOf(error));
      }
    });
  };

/** The card's "More" menu: modals for links and resolution, direct actions for close and wake. */
export const moreMenu =
  (s: SlackServices) =>
  async ({ ack, action, body, client, respond }: OverflowArgs): Promise<void> => {
    await ack();
    s.background.run('the More menu', async () => {
      const choice = parseJsonAs(moreValueSchema, action.selected_option.value);
      if (!choice) return tellPerson({ respond, client, place: body }, 'This menu is out of date.');
      const by = { ticketId: choice.t, version: choice.v, actorId: body.user.id };
      if (choice.o === 'close' || choice.o === 'wake') {
        try {
          await (choice.o === 'close' ? closeTicket(s, by) : wakeTicket(s, by));
        } catch (error) {
          await tellPerson({ respond, client, place: body }, refusalOf(error));
        }
        return;
      }
      const d = await loadFor(s, body.user.id, choice.t, 'desk');
      if (typeof d === 'string') return tellPerson({ respond, client, place: body }, d);
      await openModal(client, body.trigger_id, Promise.resolve(MODALS[choice.o](s, d)));
    });
  };

/** The requester confirms the fix from their DM: the ticket closes and the buttons go. */
export const confirmButton =
  (s: SlackServices) =>
  async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    s.background.run('confirming a fix', async () => {
      const ref = readTicketRef(action.value);
      if (!ref) return tellPerson({ respond, client, place: body }, 'This button is out of date.');
      try {
        const { ticket } = await confirmFix(s, { ticketId: ref.t, actorId: body.user.id });
        await respond({
          replace_original: true,
          text: `Thanks! *${ticket.folio}* is closed. :white_check_mark:`,
        });
      } catch (error) {
        if (isFolioError(error)) await tellPerson({ respond, client, place: body }, error.message);
        else throw error;
      }
    });
  };

/** The requester escalates an overdue ticket from their DM or from `/ticket TKT042`. */
export const escalateButton =
  (s: SlackServices) =>
  async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    s.background.run('escalating a ticket', async () => {
      const ref = readTicketRef(action.value);
      if (!ref) return tellPerson({ respond, client, place: body }, 'This button is out of date.');
      try {
        const { ticket } = await escalateTicket(s, { ticketId: ref.t, actorId: body.user.id });
        await tellPerson(
          { respond, client, place: body },
          `Escalated: the leads of the desk handling *${ticket.folio}* are told.`,
        );
      } catch (error) {
        await tellPerson({ respond, client, place: body }, refusalOf(error));
      }
    });
  };

export const stillBrokenButton =
  (s: SlackServices) =>
  async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    s.background.run('opening the still-broken modal', async () => {
      const ref = readTicketRef(action.value);
      const d = ref ? await loadFor(s, body.user.id, ref.t, 'requester') : 'This button is out of date.';
      if (typeof d === 'string') return tellPerson({ respond, client, place: body }, d);
      await openModal(client, body.trigger_id, Promise.resolve(stillBrokenModal(d.ticket)));
    });
  };
