/**
 * Action ids of the App Home tab. Action ids are matched by prefix (`folio_home_resize_more`): none
 * may be another's prefix followed by `_`, here or in src/slack/ids.ts and src/slack/admin/ids.ts.
 */
export const HOME_ACTION = {
  /** "Show more" / "Show fewer" under a list. Value: `{ k: list key, n: size }` (JSON). */
  resize: 'folio_home_resize',
  /** The select of desks whose queues are folded: shows that desk's queues first. Value: the desk key. */
  focus: 'folio_home_focus',
} as const;
