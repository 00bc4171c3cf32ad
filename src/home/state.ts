import { z } from 'zod';

/**
 * What a person changed in their Home (bigger lists, the desk shown first), kept in `home_views`
 * (store.ts) so that a refresh from the outbox shows the Home as the person left it. Slack's view
 * carries it too, in its compact form (src/slack/home/state.ts).
 */
export const DEFAULT_LIST_SIZE = 5;
export const LIST_SIZE_STEP = 5;
/** The most a list grows to by "Show more"; a channel may show fewer (Slack: src/slack/home/plan.ts). */
export const MAX_LIST_SIZE = 40;

export const LIST_KINDS = ['requests', 'assigned', 'toAssign', 'breaching', 'snoozed'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** `requests`, `assigned`, or `toAssign:it`, `breaching:it`, `snoozed:it`. */
export const listKey = (kind: ListKind, deskKey?: string): string => (deskKey ? `${kind}:${deskKey}` : kind);

export const listKeySchema = z
  .string()
  .regex(/^(requests|assigned|(toAssign|breaching|snoozed):[a-z][a-z0-9-]{0,29})$/);
export const listSizeSchema = z.number().int().min(1).max(MAX_LIST_SIZE);
const listSizesSchema = z.record(listKeySchema, listSizeSchema);
const deskKeySchema = z.string().min(1).max(30);

export const homeStateSchema = z.object({
  /** Sizes asked for, by list key; a list not named has DEFAULT_LIST_SIZE. */
  listSizes: listSizesSchema.default({}),
  /** The desk whose queues come first. */
  focusedDesk: deskKeySchema.optional(),
});
export type HomeState = z.infer<typeof homeStateSchema>;

export const DEFAULT_HOME_STATE: HomeState = { listSizes: {} };

/**
 * The state in few characters, `{ s: list sizes, f: focused desk }`: how a Slack view carries it
 * (private_metadata holds 3,000 characters), and how `home_views` stored it before its keys were
 * named in full (such rows still load).
 */
export const compactHomeStateSchema = z
  .object({ s: listSizesSchema.default({}), f: deskKeySchema.optional() })
  .transform(
    ({ s: listSizes, f: focusedDesk }): HomeState => ({
      listSizes,
      ...(focusedDesk === undefined ? {} : { focusedDesk }),
    }),
  );
export type CompactHomeState = z.input<typeof compactHomeStateSchema>;

export const compactHomeState = (state: HomeState): CompactHomeState => ({
  s: state.listSizes,
  ...(state.focusedDesk === undefined ? {} : { f: state.focusedDesk }),
});

export const sizeOf = (state: HomeState, key: string): number => state.listSizes[key] ?? DEFAULT_LIST_SIZE;

/** A click on "Show more" / "Show fewer": the list and the size it asks for. */
export interface ListResize {
  list: string;
  size: number;
}

/** The state after a click on "Show more" / "Show fewer". */
export function resized(state: HomeState, { list, size }: ListResize): HomeState {
  const { [list]: _old, ...others } = state.listSizes;
  return { ...state, listSizes: size === DEFAULT_LIST_SIZE ? others : { ...others, [list]: size } };
}
