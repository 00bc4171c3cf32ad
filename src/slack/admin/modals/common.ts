import type { types } from '@slack/bolt';
import { noticeModal, plain } from '../../kit/elements.js';
import type { AdminMetadata } from '../metadata.js';

/** Pieces shared by the administration modals. */

export type InputBlock = types.InputBlock;

export function input(
  id: string,
  label: string,
  element: types.InputBlockElement,
  options: { optional?: boolean; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: id,
    label: plain(label, 2000),
    element,
    ...(options.optional ? { optional: true } : {}),
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
  };
}

export function text(
  id: string,
  initial: string | undefined,
  options: { multiline?: boolean; max?: number; placeholder?: string } = {},
): types.PlainTextInput {
  return {
    type: 'plain_text_input',
    action_id: id,
    ...(initial ? { initial_value: initial } : {}),
    ...(options.multiline ? { multiline: true } : {}),
    ...(options.max ? { max_length: options.max } : {}),
    ...(options.placeholder ? { placeholder: plain(options.placeholder, 150) } : {}),
  };
}

export function adminModal(form: {
  callbackId: string;
  title: string;
  submit: string;
  metadata: AdminMetadata;
  blocks: types.KnownBlock[];
}): types.ModalView {
  return {
    type: 'modal',
    callback_id: form.callbackId,
    title: plain(form.title, 24),
    submit: plain(form.submit, 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(form.metadata),
    blocks: form.blocks,
  };
}

/** What someone without the right sees instead of a form. */
export function refusalModal(message: string): types.ModalView {
  return noticeModal('Administration', `:no_entry: ${message}`);
}
