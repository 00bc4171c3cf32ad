import { z } from 'zod';
import { parseJsonAs } from '../../lib/json.js';

/**
 * What a person changed in their Home tab (bigger lists, the desk shown first), kept in the published
 * view's private_metadata (Slack sends it back with every click and with `app_home_opened`) and in
 * `home_views`, so that a refresh from the outbox shows the tab as the person left it.
 */
export const DEFAULT_LIST_SIZE = 5;
export const LIST_SIZE_STEP = 5;
/** The most a list grows to by "Show more"; the 100-block budget may show fewer (see plan.ts). */
export const MAX_LIST_SIZE = 40;

export const LIST_KINDS = ['requests', 'assigned', 'toAssign', 'breaching', 'snoozed'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** `requests`, `assigned`, or `toAssign:it`, `breaching:it`, `snoozed:it`. */
export const listKey = (kind: ListKind, deskKey?: string): string => (deskKey ? `${kind}:${deskKey}` : kind);

const listKeySchema = z
  .string()
  .regex(/^(requests|assigned|(toAssign|breaching|snoozed):[a-z][a-z0-9-]{0,29})$/);
const size = z.number().int().min(1).max(MAX_LIST_SIZE);

export const homeStateSchema = z.object({
  /** Sizes asked for, by list key; a list not named has DEFAULT_LIST_SIZE. */
  s: z.record(listKeySchema, size).default({}),
  /** The desk whose queues come first. */
  f: z.string().min(1).max(30).optional(),
});
export type HomeState = z.infer<typeof homeStateSchema>;

export const DEFAULT_HOME_STATE: HomeState = { s: {} };

/** The state a view carried; the defaults when it carried none or something unreadable. */
export const readHomeState = (privateMetadata: string | undefined): HomeState =>
  parseJsonAs(homeStateSchema, privateMetadata || '{}') ?? DEFAULT_HOME_STATE;

export const resizeValueSchema = z.object({ k: listKeySchema, n: size });
export type ResizeValue = z.infer<typeof resizeValueSchema>;

export const readResizeValue = (value: string | undefined): ResizeValue | undefined =>
  parseJsonAs(resizeValueSchema, value);

export const sizeOf = (state: HomeState, key: string): number => state.s[key] ?? DEFAULT_LIST_SIZE;

/** The state after a click on "Show more" / "Show fewer". */
export function resized(state: HomeState, { k, n }: ResizeValue): HomeState {
  const { [k]: _old, ...others } = state.s;
  return { ...state, s: n === DEFAULT_LIST_SIZE ? others : { ...others, [k]: n } };
}
