import { eq } from 'drizzle-orm';
import { recordEvent } from '../../audit/record.js';
import { desks } from '../../db/schema/index.js';
import { transaction, violatedUniqueConstraint } from '../../db/tx.js';
import { FolioError } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { deskValues, findDesk, replaceMembers, settingsOf } from '../directory.js';
import {
  DESK_SECTIONS,
  type DeskInput,
  type DeskSection,
  type DeskSettings,
  type EditableDeskField,
  normalizeMailbox,
} from '../model.js';
import { changedFields, deskToInput, parseDeskInput, pick } from './deskInput.js';
import { forbidden, invalid, mailboxTaken, notFound, stale } from './errors.js';
import { type AdminActor, mayChangeMailbox, mayChangePrivacy, mayEditDesk } from './rights.js';
import { checkMailboxFree, deskVersion, refreshHomes, rightsOf } from './store.js';

/** The administration forms of a desk: one per section of the desk (DESK_SECTIONS), changing its fields. */
export type DeskForm = DeskSection;

export type DeskFormValues = Partial<Pick<DeskInput, EditableDeskField>>;

export interface EditDeskCommand {
  actor: AdminActor;
  deskKey: string;
  /** The desk's version when the form opened (see store.ts). */
  version: string;
  form: DeskForm;
  /** The form's fields, written as in the configuration file; a key left out keeps its stored value. */
  values: DeskFormValues;
}

export interface EditDeskResult {
  changed: EditableDeskField[];
}

/** Who sees a change in their Home tab: the desk's people when its membership, name or privacy change. */
const PEOPLE_FIELDS: readonly EditableDeskField[] = ['members', 'leads', 'name', 'private'];

/**
 * Applies one admin form to a desk, in one transaction: rights, staleness and validation (the
 * configuration file's rules, on the whole desk), the stored fields and members, an audit event
 * `desk.updated` with the changed fields' old and new values, and Home refreshes. `file_snapshot` is
 * left alone so the file/Slack merge keeps working. Fields outside the form are ignored, so a forged
 * submission cannot reach them.
 */
export async function editDesk(services: Services, cmd: EditDeskCommand): Promise<EditDeskResult> {
  try {
    return await applyDeskForm(services, cmd);
  } catch (error) {
    // Two admins giving one address to two desks at once: the loser hears it as a taken address.
    const mailbox = cmd.values.mailbox;
    if (violatedUniqueConstraint(error) === 'desks_mailbox' && mailbox) {
      throw mailboxTaken(normalizeMailbox(mailbox));
    }
    throw error;
  }
}

function applyDeskForm(services: Services, cmd: EditDeskCommand): Promise<EditDeskResult> {
  return transaction(services.db, async (tx, afterCommit) => {
    // Every process re-reads desks after an edit (this one at once, others within seconds).
    afterCommit(() => services.directory.invalidate());
    const current = await findDesk(tx, cmd.deskKey, { forUpdate: true });
    if (!current || current.archived) throw notFound('desk');
    const rights = await rightsOf(tx, cmd.actor);
    if (!mayEditDesk(rights, current.key)) {
      throw forbidden(`Only the leads of the ${current.name} desk and workspace admins can change it.`);
    }
    if ((await deskVersion(tx, current.key)) !== cmd.version) throw stale();

    const before = settingsOf(current);
    const fields: readonly EditableDeskField[] = DESK_SECTIONS[cmd.form];
    const patch = Object.fromEntries(
      fields.filter((field) => field in cmd.values).map((field) => [field, cmd.values[field]]),
    );
    const parsed = parseDeskInput({ ...deskToInput(before), ...patch });
    if (!parsed.ok) throw invalid(parsed.errors);
    // Only the form's fields move, even if another field would read back differently.
    const after: DeskSettings = { ...before, ...pick(parsed.desk, fields) };
    const changed = changedFields(before, after);
    if (changed.includes('private') && !mayChangePrivacy(rights)) {
      throw FolioError.field('private', 'Only a workspace admin can make a desk private or public.');
    }
    if (changed.includes('mailbox')) {
      if (!mayChangeMailbox(rights)) {
        throw FolioError.field('mailbox', 'Only a workspace admin can change a desk’s mailbox.');
      }
      await checkMailboxFree(tx, after.mailbox, current.key);
    }
    if (changed.length === 0) return { changed };

    const now = services.clock.now();
    await tx
      .update(desks)
      .set({ ...deskValues(after), updatedAt: now, updatedBy: cmd.actor.userId })
      .where(eq(desks.key, current.key));
    if (changed.includes('members') || changed.includes('leads')) await replaceMembers(tx, after);
    await recordEvent(tx, {
      deskKey: current.key,
      actorId: cmd.actor.userId,
      type: 'desk.updated',
      at: now,
      data: {
        by: 'slack',
        form: cmd.form,
        fields: changed,
        from: pick(before, changed),
        to: pick(after, changed),
      },
    });
    const people = changed.some((field) => PEOPLE_FIELDS.includes(field))
      ? [...before.members, ...after.members]
      : [];
    await refreshHomes(tx, afterCommit, services.outbox, [cmd.actor.userId, ...people]);
    return { changed };
  });
}
