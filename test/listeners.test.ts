import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SlackServices } from '../src/slack/context.js';
import { ACTION, COMMAND, SHORTCUT, VIEW } from '../src/slack/ids.js';
import { listeners } from '../src/slack/listeners.js';
import type { Surface } from '../src/slack/registry.js';

/** Every id Folio puts in front of people has a listener, and the manifest asks Slack for each. */

const registrations = listeners({} as SlackServices);
const ids = (surface: Surface) => registrations.filter((r) => r.surface === surface).map((r) => r.id);
const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string }[]; shortcuts: { callback_id: string; type: string }[] };
  settings: { event_subscriptions: { bot_events: string[] } };
};

describe('listener registration', () => {
  it('handles the slash command the manifest declares', () => {
    expect(ids('command')).toEqual([COMMAND]);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
  });

  it('handles both shortcuts, each under the type the manifest declares', () => {
    expect(ids('globalShortcut')).toEqual([SHORTCUT.newTicket]);
    expect(ids('messageShortcut')).toEqual([SHORTCUT.createFromMessage]);
    expect(manifest.features.shortcuts.map((s) => [s.callback_id, s.type]).sort()).toEqual(
      [
        [SHORTCUT.createFromMessage, 'message'],
        [SHORTCUT.newTicket, 'global'],
      ].sort(),
    );
  });

  it('handles every modal and every button of ids.ts', () => {
    expect(ids('view')).toEqual(expect.arrayContaining(Object.values(VIEW)));
    expect(ids('action')).toEqual(expect.arrayContaining(Object.values(ACTION)));
  });

  it('subscribes in the manifest to every event it listens to', () => {
    const events = ids('event');
    const subscribed = manifest.settings.event_subscriptions.bot_events;
    // The manifest names message events by where they happen (message.channels, message.im…).
    for (const e of events) expect(subscribed.some((s) => s === e || s.startsWith(`${e}.`))).toBe(true);
  });

  it('registers no id twice', () => {
    const keys = registrations.map((r) => `${r.surface}:${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
