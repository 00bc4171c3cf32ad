import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  GlobalShortcut,
  MessageShortcut,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewClosedAction,
  ViewSubmitAction,
} from '@slack/bolt';

/**
 * A listener and the id it answers to. Each surface (command/, intake/, card/, conversation/, home/,
 * admin/) lists its own in its index.ts; listeners.ts composes them and the entry point registers them
 * all. test/listeners.test.ts checks the ids against ids.ts and manifest.json, and
 * test/unit/slack/ids.test.ts the action ids against each other.
 */
export type Surface =
  | 'command'
  | 'globalShortcut'
  | 'messageShortcut'
  | 'view'
  | 'viewClosed'
  | 'action'
  | 'event';

export interface Registration {
  surface: Surface;
  id: string;
  register(app: App): void;
}

type Fn<Args> = (args: Args & AllMiddlewareArgs) => Promise<void>;

export const command = (id: string, fn: Fn<SlackCommandMiddlewareArgs>): Registration => ({
  surface: 'command',
  id,
  register: (app) => app.command(id, fn),
});

export const globalShortcut = (
  id: string,
  fn: Fn<SlackShortcutMiddlewareArgs<GlobalShortcut>>,
): Registration => ({
  surface: 'globalShortcut',
  id,
  register: (app) => app.shortcut<GlobalShortcut>({ callback_id: id, type: 'shortcut' }, fn),
});

export const messageShortcut = (
  id: string,
  fn: Fn<SlackShortcutMiddlewareArgs<MessageShortcut>>,
): Registration => ({
  surface: 'messageShortcut',
  id,
  register: (app) => app.shortcut<MessageShortcut>({ callback_id: id, type: 'message_action' }, fn),
});

export const view = (id: string, fn: Fn<SlackViewMiddlewareArgs<ViewSubmitAction>>): Registration => ({
  surface: 'view',
  id,
  register: (app) => app.view<ViewSubmitAction>({ callback_id: id, type: 'view_submission' }, fn),
});

export const viewClosed = (id: string, fn: Fn<SlackViewMiddlewareArgs<ViewClosedAction>>): Registration => ({
  surface: 'viewClosed',
  id,
  register: (app) => app.view<ViewClosedAction>({ callback_id: id, type: 'view_closed' }, fn),
});

/**
 * Matches the id and the id followed by `_suffix`, for several buttons of one kind in a message
 * (`folio_list_page_0`, `folio_list_page_1`); no action id may be another's prefix followed by `_`.
 */
export const action = <Action extends BlockAction = BlockAction>(
  id: string,
  fn: Fn<SlackActionMiddlewareArgs<Action>>,
): Registration => ({
  surface: 'action',
  id,
  register: (app) => app.action<Action>(new RegExp(`^${id}(_\\w+)?$`), fn),
});

export const event = <EventName extends string>(
  name: EventName,
  fn: Fn<SlackEventMiddlewareArgs<EventName>>,
): Registration => ({
  surface: 'event',
  id: name,
  register: (app) => app.event(name, fn),
});

/** Registers every listener; two listeners for one id are a programming error. */
export function registerAll(app: App, registrations: readonly Registration[]): void {
  const seen = new Set<string>();
  for (const registration of registrations) {
    const key = `${registration.surface}:${registration.id}`;
    if (seen.has(key)) throw new Error(`Two listeners for ${key}`);
    seen.add(key);
    registration.register(app);
  }
}
