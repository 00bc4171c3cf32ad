import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SlackServices } from '../src/slack/context.js';
import { ACTION, COMMAND, SHORTCUT, VIEW } from '../src/slack/ids.js';
import { listeners } from '../src/slack/listeners/index.js';

/** Every id Folio puts in front of people has a listener, and the manifest asks Slack for each. */

const table = listeners({} as SlackServices);
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string }[]; shortcuts: { callback_id: string; type: string }[] };
};

describe('listener registration', () => {
  it('handles the slash command the manifest declares', () => {
    expect(Object.keys(table.commands)).toEqual([COMMAND]);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
  });

  it('handles both shortcuts, each under the type the manifest declares', () => {
    expect(Object.keys(table.globalShortcuts)).toEqual([SHORTCUT.newTicket]);
    expect(Object.keys(table.messageShortcuts)).toEqual([SHORTCUT.createFromMessage]);
    expect(manifest.features.shortcuts.map((s) => [s.callback_id, s.type]).sort()).toEqual(
      [
        [SHORTCUT.createFromMessage, 'message'],
        [SHORTCUT.newTicket, 'global'],
      ].sort(),
    );
  });

  it('handles every modal and every button', () => {
    expect(Object.keys(table.views).sort()).toEqual(Object.values(VIEW).sort());
    expect(Object.keys(table.actions).sort()).toEqual(Object.values(ACTION).sort());
  });
});
