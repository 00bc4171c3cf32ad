import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  OverflowAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  types,
} from '@slack/bolt';
import { parseJsonAs } from '../../lib/json.js';
import type { Permission } from '../../tickets/rights.js';
import { ticketToActOn, type VisibleTicket } from '../../tickets/show.js';
import { confirmFix } from '../../tickets/workflow/conversation.js';
import { escalateTicket } from '../../tickets/workflow/escalate.js';
import { nextOpenMorning } from '../../tickets/workflow/nextOpenMorning.js';
import {
  closeTicket,
  responderStatusChoices,
  takeTicket,
  wakeTicket,
} from '../../tickets/workflow/responder.js';
import type { SlackServices } from '../context.js';
import { openModal } from '../kit/openModal.js';
import { readTicketRef, type TicketRef } from '../kit/ticketRef.js';
import { refusalOf, tellPerson } from './tell.js';
import { type MoreValue, moreValueSchema } from './ticketActions.js';
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
} from './workflowModals.js';

type TicketElement = ButtonAction | OverflowAction;
type ClickArgs<Element extends TicketElement> = SlackActionMiddlewareArgs<BlockAction<Element>> &
  AllMiddlewareArgs;
type ModalBuilder = (
  services: SlackServices,
  shown: VisibleTicket,
) => Promise<types.ModalView> | types.ModalView;

const MODALS: Record<
  'assign' | 'status' | 'priority' | 'reply' | 'snooze' | 'link_task' | 'link_ticket' | 'resolve',
  ModalBuilder
> = {
  assign: async (services, shown) => {
    const names = await services.people.names(shown.desk.members);
    return assignModal(
      shown.ticket,
      shown.desk.members.map((id) => ({ id, name: names.get(id) ?? id })),
    );
  },
  status: (_services, shown) => statusModal(shown.ticket, responderStatusChoices(shown.ticket.status)),
  priority: (_services, shown) => priorityModal(shown.ticket),
  reply: (_services, shown) => replyModal(shown.ticket, shown.ticket),
  snooze: (services, shown) => snoozeModal(shown.ticket, nextOpenMorning(shown.desk, services.clock.now())),
  link_task: (_services, shown) => linkTaskModal(shown.ticket),
  link_ticket: (_services, shown) => linkTicketModal(shown.ticket),
  resolve: (_services, shown) => resolveModal(shown.ticket),
};

/** A click on a ticket's button or menu, once what it carries is read. */
interface TicketClick<Value extends TicketRef> {
  /** The ticket and version the clicked element carries (and, for a menu, the option chosen). */
  value: Value;
  actorId: string;
  respond: RespondFn;
  /** Opens a modal about the ticket, for those allowed to act on it as `who`. */
  openModalAs(who: Permission, build: ModalBuilder): Promise<void>;
  /** Tells the person who clicked, where they clicked. */
  tell(text: string): Promise<void>;
}

/**
 * The shape of every ticket button: ack at once; then, in the background, read what the element
 * carries, let `act` call its one use case, and tell the person a refusal where they clicked.
 */
function onTicketAction<Element extends TicketElement, Value extends TicketRef>(
  services: SlackServices,
  task: string,
  element: { read: (action: Element) => Value | undefined; outOfDate: string },
  act: (click: TicketClick<Value>) => Promise<unknown>,
) {
  return async ({ ack, action, body, client, respond }: ClickArgs<Element>): Promise<void> => {
    await ack();
    const tell = (text: string) => tellPerson({ respond, client, place: body }, text);
    services.background.run(task, async () => {
      const value = element.read(action);
      if (!value) return tell(element.outOfDate);
      const actorId = body.user.id;
      const openModalAs = async (who: Permission, build: ModalBuilder) => {
        const shown = await ticketToActOn(services, actorId, value.t, who);
        await openModal(client, body.trigger_id, Promise.resolve(build(services, shown)));
      };
      try {
        await act({ value, actorId, respond, openModalAs, tell });
      } catch (error) {
        await tell(refusalOf(error));
      }
    });
  };
}

const onTicketButton = (
  services: SlackServices,
  task: string,
  act: (click: TicketClick<TicketRef>) => Promise<unknown>,
) =>
  onTicketAction<ButtonAction, TicketRef>(
    services,
    task,
    { read: (action) => readTicketRef(action.value), outOfDate: 'This button is out of date.' },
    act,
  );

/** A card button that opens a workflow modal for the ticket it carries, for the desk's members. */
export const openTicketModal = (services: SlackServices, kind: keyof typeof MODALS) =>
  onTicketButton(services, `opening the ${kind} modal`, (click) => click.openModalAs('desk', MODALS[kind]));

export const takeButton = (services: SlackServices) =>
  onTicketButton(services, 'taking a ticket', ({ value, actorId }) =>
    takeTicket(services, { ticketId: value.t, version: value.v, actorId }),
  );

/** The card's "More" menu: modals for links and resolution, direct actions for close and wake. */
export const moreMenu = (services: SlackServices) =>
  onTicketAction<OverflowAction, MoreValue>(
    services,
    'the More menu',
    {
      read: (action) => parseJsonAs(moreValueSchema, action.selected_option.value),
      outOfDate: 'This menu is out of date.',
    },
    ({ value, actorId, openModalAs }) => {
      const by = { ticketId: value.t, version: value.v, actorId };
      if (value.o === 'close') return closeTicket(services, by);
      if (value.o === 'wake') return wakeTicket(services, by);
      return openModalAs('desk', MODALS[value.o]);
    },
  );

/** The requester confirms the fix from their DM: the ticket closes and the buttons go. */
export const confirmButton = (services: SlackServices) =>
  onTicketButton(services, 'confirming a fix', async ({ value, actorId, respond }) => {
    const { ticket } = await confirmFix(services, { ticketId: value.t, actorId });
    await respond({
      replace_original: true,
      text: `Thanks! *${ticket.folio}* is closed. :white_check_mark:`,
    });
  });

/** The requester escalates an overdue ticket from their DM or from `/ticket TKT042`. */
export const escalateButton = (services: SlackServices) =>
  onTicketButton(services, 'escalating a ticket', async ({ value, actorId, tell }) => {
    const { ticket } = await escalateTicket(services, { ticketId: value.t, actorId });
    await tell(`Escalated: the leads of the desk handling *${ticket.folio}* are told.`);
  });

export const stillBrokenButton = (services: SlackServices) =>
  onTicketButton(services, 'opening the still-broken modal', ({ openModalAs }) =>
    openModalAs('requester', (_services, shown) => stillBrokenModal(shown.ticket)),
  );
