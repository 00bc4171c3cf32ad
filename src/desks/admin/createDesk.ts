import { count, isNull } from 'drizzle-orm';
import { recordEvent } from '../../audit/record.js';
import { desks } from '../../db/schema/index.js';
import { transaction, violatedUniqueConstraint } from '../../db/tx.js';
import { FolioError } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { deskValues, findDesk, replaceMembers, settingsOf } from '../directory.js';
import {
  type DESK_SECTIONS,
  type DeskInput,
  EDITABLE_DESK_FIELDS,
  MAX_DESKS,
  normalizeMailbox,
} from '../model.js';
import { deskToInput, parseDeskInput, pick } from './deskInput.js';
import { forbidden, invalid, mailboxTaken } from './errors.js';
import { type AdminActor, mayCreateDesk } from './rights.js';
import { checkMailboxFree, refreshHomes, rightsOf } from './store.js';

/** As in the configuration file: a static select holds 100 options, and Folio keeps to 50 desks. */

/** A new desk's key and the fields of the settings form; the rest comes from `like` or the defaults. */
export type NewDeskValues = Pick<DeskInput, 'key' | (typeof DESK_SECTIONS)['settings'][number]>;

export interface CreateDeskCommand {
  actor: AdminActor;
  values: NewDeskValues;
  /** The desk whose folio prefix, time zone, business hours, holidays and reminders the new one takes. */
  like: string;
}

const keyTaken = (name?: string) =>
  FolioError.field(
    'key',
    `This key belongs to ${name ? `the desk “${name}”` : 'another desk'}: choose another one.`,
  );

/**
 * Creates a desk from Slack (workspace admins only). It starts with the default SLA targets and no
 * templates, and takes its folio prefix, time zone, business hours, holidays and reminders from an
 * existing desk the admin names, so that it works like that one until someone edits it. `origin` is
 * `slack` and there is no file snapshot: if the file later defines the same key, the file's values
 * win (with a warning per field, see src/desks/merge.ts).
 */
export async function createDesk(services: Services, cmd: CreateDeskCommand): Promise<{ key: string }> {
  try {
    return await transaction(services.db, async (tx, afterCommit) => {
      // Every process re-reads desks after an edit (this one at once, others within seconds).
      afterCommit(() => services.directory.invalidate());
      const rights = await rightsOf(tx, cmd.actor);
      if (!mayCreateDesk(rights)) throw forbidden('Only workspace admins can create desks.');
      const [active] = await tx.select({ n: count() }).from(desks).where(isNull(desks.archivedAt));
      if ((active?.n ?? 0) >= MAX_DESKS) {
        throw FolioError.field(
          'key',
          `Folio holds at most ${MAX_DESKS} desks: archive one in the file first.`,
        );
      }
      const model = await findDesk(tx, cmd.like);
      if (!model || model.archived) throw FolioError.field('like', 'Choose one of the desks.');
      const inherited = deskToInput(settingsOf(model));
      const parsed = parseDeskInput({
        ...cmd.values,
        folioPrefix: inherited.folioPrefix,
        timezone: inherited.timezone,
        businessHours: inherited.businessHours,
        holidays: inherited.holidays,
        reminders: inherited.reminders,
      });
      if (!parsed.ok) throw invalid(parsed.errors);
      const desk = parsed.desk;
      const existing = await findDesk(tx, desk.key);
      if (existing) throw keyTaken(existing.name);
      await checkMailboxFree(tx, desk.mailbox, desk.key);

      const now = services.clock.now();
      await tx.insert(desks).values({
        key: desk.key,
        ...deskValues(desk),
        origin: 'slack',
        fileSnapshot: null,
        createdAt: now,
        updatedAt: now,
        updatedBy: cmd.actor.userId,
      });
      await replaceMembers(tx, desk);
      await recordEvent(tx, {
        deskKey: desk.key,
        actorId: cmd.actor.userId,
        type: 'desk.created',
        at: now,
        data: { by: 'slack', to: pick(desk, EDITABLE_DESK_FIELDS) },
      });
      await refreshHomes(tx, afterCommit, services.outbox, [cmd.actor.userId, ...desk.members]);
      return { key: desk.key };
    });
  } catch (error) {
    // Two admins creating the same key, or giving one address, at once: the loser hears it as taken.
    const violated = violatedUniqueConstraint(error);
    if (violated === 'desks_pkey') throw keyTaken();
    if (violated === 'desks_mailbox' && cmd.values.mailbox)
      throw mailboxTaken(normalizeMailbox(cmd.values.mailbox));
    throw error;
  }
}
