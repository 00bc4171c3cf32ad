import type { types } from '@slack/bolt';
import { noticeModal, plain } from '../../kit/elements.js';
import type { AdminMetadata } from '../metadata.js';

/** Pieces shared by the administration modals. */

export type InputBlock = types.InputBlock;

export function input(
  id: string,
  label: string,
  element: types.InputBlockElement,
  o: { optional?: boolean; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: id,
    label: plain(label, 2000),
    element,
    ...(o.optional ? { optional: true } : {}),
    ...(o.hint ? { hint: plain(o.hint, 2000) } : {}),
  };
}

export function text(
  id: string,
  initial: string | undefined,
  o: { multiline?: boolean; max?: number; placeholder?: string } = {},
): types.PlainTextInput {
  return {
    type: 'plain_text_input',
    action_id: id,
    ...(initial ? { initial_value: initial } : {}),
    ...(o.multiline ? { multiline: true } : {}),
    ...(o.max ? { max_length: o.max } : {}),
    ...(o.placeholder ? { placeholder: plain(o.placeholder, 150) } : {}),
  };
}

export function adminModal(o: {
  callbackId: string;
  title: string;
  submit: string;
  metadata: AdminMetadata;
  blocks: types.KnownBlock[];
}): types.ModalView {
  return {
    type: 'modal',
    callback_id: o.callbackId,
    title: plain(o.title, 24),
    submit: plain(o.submit, 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(o.metadata),
    blocks: o.blocks,
  };
}

/** What someone without the right sees instead of a form. */
export function refusalModal(message: string): types.ModalView {
  return noticeModal('Administration', `:no_entry: ${message}`);
}
