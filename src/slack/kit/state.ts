import { z } from 'zod';

/**
 * Reading `view.state.values` of a submitted modal. Slack keys values by block_id then action_id;
 * Folio uses the same string for both. Every read is checked: a payload that does not have the shape
 * Slack sends (a stale or forged modal) reads as empty, and the form's own validation says what is
 * missing.
 */

const selectedOption = z.object({ value: z.string() }).passthrough();

const stateValue = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_option: selectedOption.nullish(),
    selected_options: z.array(selectedOption).nullish(),
    selected_user: z.string().nullish(),
    selected_users: z.array(z.string()).nullish(),
    selected_date_time: z.number().nullish(),
    selected_date: z.string().nullish(),
    files: z.array(z.record(z.string(), z.unknown())).nullish(),
  })
  .passthrough();

export const stateValuesSchema = z.record(z.string(), z.record(z.string(), stateValue));
export type StateValues = z.infer<typeof stateValuesSchema>;
type StateValue = z.infer<typeof stateValue>;

export function parseStateValues(raw: unknown): StateValues {
  const parsed = stateValuesSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}

const read = (values: StateValues, id: string): StateValue | undefined => values[id]?.[id];

export const textOf = (values: StateValues, id: string): string => read(values, id)?.value ?? '';
export const selectedOf = (values: StateValues, id: string): string | undefined =>
  read(values, id)?.selected_option?.value;
export const userOf = (values: StateValues, id: string): string | undefined =>
  read(values, id)?.selected_user ?? undefined;
export const filesOf = (values: StateValues, id: string): Record<string, unknown>[] =>
  read(values, id)?.files ?? [];
export const dateTimeOf = (values: StateValues, id: string): number | undefined =>
  read(values, id)?.selected_date_time ?? undefined;

const inputBlock = z.object({ type: z.literal('input'), block_id: z.string() });

/** The input blocks of a submitted view, in order. */
export function inputBlockIds(blocks: readonly unknown[]): string[] {
  return blocks.flatMap((block) => {
    const parsed = inputBlock.safeParse(block);
    return parsed.success ? [parsed.data.block_id] : [];
  });
}
