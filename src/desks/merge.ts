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

/**
 * One address is one desk's mailbox, but the field-by-field merge looks at one desk at a time: the
 * file may give `it@` to a desk while an admin's edit kept in Slack has given it to another one (or
 * to a desk created in Slack). The address written in the file wins: the desk holding it by a Slack
 * edit goes back to the mailbox the file gives it, or to none when the file does not define that
 * desk. Going back may in turn take an address from a third desk's Slack edit, hence the loop; it
 * ends because each step replaces a Slack edit by the file's value, and the file's values are
 * distinct (the configuration's schema checks it).
 */
export interface MailboxClaim {
  key: string;
  /** The desk's mailbox after the field-by-field merge. */
  merged: string | null;
  /** The mailbox the file writes for the desk; undefined when the file does not define the desk. */
  file: string | null | undefined;
}

/** A desk that gave up the mailbox of a Slack edit to the desk the file gives that address. */
export interface YieldedMailbox {
  key: string;
  /** The address it gave up. */
  from: string;
  /** What it has instead: its mailbox in the file, or none. */
  to: string | null;
  /** The desk the file gives `from`. */
  takenBy: string;
}

export function settleMailboxes(claims: readonly MailboxClaim[]): {
  mailboxes: Map<string, string | null>;
  yielded: YieldedMailbox[];
} {
  const mailboxes = new Map(claims.map((claim) => [claim.key, claim.merged]));
  const yielded: YieldedMailbox[] = [];
  for (let settled = false; !settled; ) {
    settled = true;
    const fromFile = new Map<string, string>();
    for (const claim of claims) {
      const mailbox = mailboxes.get(claim.key) ?? null;
      if (mailbox !== null && mailbox === claim.file) fromFile.set(mailbox, claim.key);
    }
    for (const claim of claims) {
      const mailbox = mailboxes.get(claim.key) ?? null;
      const takenBy = mailbox === null ? undefined : fromFile.get(mailbox);
      if (mailbox === null || takenBy === undefined || takenBy === claim.key) continue;
      const to = claim.file ?? null;
      mailboxes.set(claim.key, to);
      yielded.push({ key: claim.key, from: mailbox, to, takenBy });
      settled = false;
    }
  }
  return { mailboxes, yielded };
}
