import { isDeepStrictEqual } from 'node:util';

/**
 * How the configuration file and edits made in Slack combine, field by field (a three-way merge):
 * `base` is the entry as the file last defined it, `current` what is stored now (Slack edits included),
 * `next` the file as it reads today.
 *
 * - a field the file did not change since it was last applied keeps its current value, so an admin's
 *   edit in Slack survives every restart;
 * - a field the file changed takes the file's new value; if an admin had also edited that field in
 *   Slack, the edit is overridden and reported (`overridden`), never dropped silently.
 *
 * With no base (an entry first defined in Slack, now also in the file) every field the file sets is
 * taken as changed.
 */
export interface MergeResult<T> {
  value: T;
  /** Fields whose stored value changes. */
  changed: (keyof T)[];
  /** Fields where the file's change replaced a different edit made in Slack. */
  overridden: (keyof T)[];
}

export function mergeFromFile<T extends object>(
  base: T | null,
  current: T,
  next: T,
  fields: readonly (keyof T)[],
): MergeResult<T> {
  const value = { ...current };
  const changed: (keyof T)[] = [];
  const overridden: (keyof T)[] = [];
  for (const field of fields) {
    const fileChanged = base === null || !isDeepStrictEqual(base[field], next[field]);
    if (!fileChanged || isDeepStrictEqual(current[field], next[field])) continue;
    const editedInSlack = base !== null && !isDeepStrictEqual(current[field], base[field]);
    if (editedInSlack || base === null) overridden.push(field);
    value[field] = next[field];
    changed.push(field);
  }
  return { value, changed, overridden };
}
