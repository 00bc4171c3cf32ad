/**
 * Who may administer what, as pure rules (docs/administration.md "Rights"). Two roles:
 *
 * - a **workspace admin** (Slack's `is_admin` or `is_owner`) creates desks and edits every desk and
 *   every category, including a desk's private flag;
 * - a **desk lead** (`leads` of a desk) edits the desks they lead — settings, members and leads, SLA
 *   targets, business hours, holidays, templates — except the private flag and the mailbox, and
 *   creates and edits the categories of those desks (moving one only between desks they lead).
 *
 * The private flag is kept for admins because flipping it changes who can read every ticket the desk
 * ever had (an HR desk made public exposes its history). The mailbox is kept for them because it is
 * the address Folio's mail goes out from, in the organisation's name, to people outside Slack. Everyone
 * else administers nothing.
 */
export interface AdminActor {
  userId: string;
  /** Slack's is_admin / is_owner, as read by the Slack layer (cached briefly). */
  workspaceAdmin: boolean;
}

/** The actor together with the desks they lead, read from desk_members in the same transaction. */
export interface AdminRights extends AdminActor {
  leadOf: ReadonlySet<string>;
}

export const mayAdminister = (rights: AdminRights): boolean =>
  rights.workspaceAdmin || rights.leadOf.size > 0;

export const mayCreateDesk = (rights: AdminRights): boolean => rights.workspaceAdmin;

export const mayEditDesk = (rights: AdminRights, deskKey: string): boolean =>
  rights.workspaceAdmin || rights.leadOf.has(deskKey);

export const mayChangePrivacy = (rights: AdminRights): boolean => rights.workspaceAdmin;

export const mayChangeMailbox = (rights: AdminRights): boolean => rights.workspaceAdmin;

/** Creating a category in `deskKey`, or editing one that is there. */
export const mayEditCategoriesOf = (rights: AdminRights, deskKey: string): boolean =>
  mayEditDesk(rights, deskKey);

export const mayMoveCategory = (rights: AdminRights, from: string, to: string): boolean =>
  mayEditCategoriesOf(rights, from) && mayEditCategoriesOf(rights, to);
