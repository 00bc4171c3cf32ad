import { z } from 'zod';
import { parseJsonAs } from '../../lib/json.js';

/**
 * What an administration modal carries in private_metadata: what it edits and the version it was
 * opened on. Read back with zod on submission; the rights are checked again there, never trusted from
 * here.
 */
export const adminMetadataSchema = z.object({
  /** The desk edited (desk forms). */
  d: z.string().min(1).max(30).optional(),
  /** The category edited (absent for a new one). */
  c: z.number().int().positive().optional(),
  /** updated_at of what is edited when the form opened. */
  v: z.string().min(1).max(40).optional(),
});
export type AdminMetadata = z.infer<typeof adminMetadataSchema>;

export const readAdminMetadata = (text: string): AdminMetadata | undefined =>
  parseJsonAs(adminMetadataSchema, text);
