import { existsSync, readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { COMMAND, SHORTCUT } from '../src/slack/ids.js';

/**
 * manifest.json must install Folio as is, so it is checked against Slack's published JSON Schema for
 * app manifests (v1) and against the ids the code listens on (src/slack/ids.ts).
 *
 * The schema is vendored at test/fixtures/slack/manifest.schema.json, copied from repository
 * slackapi/manifest-schema, tag v0.5.0, file schemas/manifest.schema.1.0.0.json (MIT licence), with its
 * content unchanged and only its whitespace reformatted by `biome format` so that `npm run lint` passes.
 * The workspace keeps the original at ../shared/slack/manifest.schema.json; a clean clone of this
 * repository (CI) has no ../shared, so the test loads the copy and compares the two only when the
 * original is there.
 */
const schemaUrl = new URL('./fixtures/slack/manifest.schema.json', import.meta.url);
const sharedSchemaUrl = new URL('../../shared/slack/manifest.schema.json', import.meta.url);
const manifestUrl = new URL('../manifest.json', import.meta.url);

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const REQUEST_PATH = '/slack/events';

/** The parts of a manifest this test reads; the schema vouches for the rest. */
interface Manifest {
  display_information: { name: string; description?: string; background_color?: string };
  features?: {
    app_home?: {
      home_tab_enabled?: boolean;
      messages_tab_enabled?: boolean;
      messages_tab_read_only_enabled?: boolean;
    };
    bot_user?: { display_name: string; always_online?: boolean };
    slash_commands?: { command: string; url?: string; description: string; should_escape?: boolean }[];
    shortcuts?: { name: string; type: 'message' | 'global'; callback_id: string; description: string }[];
  };
  oauth_config?: { scopes?: { bot?: string[]; user?: string[] } };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[]; user_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string; message_menu_options_url?: string };
    org_deploy_enabled?: boolean;
    socket_mode_enabled?: boolean;
    token_rotation_enabled?: boolean;
  };
}

// ajv-formats is CommonJS: under NodeNext its default import types as the whole module, and at run time
// the plugin is both module.exports and module.exports.default. Take whichever is the function.
const addFormats = typeof addFormatsModule === 'function' ? addFormatsModule : addFormatsModule.default;

const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, 'utf8'));

const schema = readJson(schemaUrl) as Record<string, unknown>;

// Ajv's default entry point ('ajv') implements draft-07, which is what the schema declares; the 2019/2020
// entry points would not know its meta-schema. strict: false because the schema carries keywords that are
// not JSON Schema (`regex`, `requires`, `_note`), which strict mode refuses to compile.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile<Manifest>(schema);

/** Validation errors of a candidate manifest, in a form that reads well in a failed assertion. */
function errorsOf(candidate: unknown): Pick<ErrorObject, 'instancePath' | 'keyword' | 'message'>[] {
  validate(candidate);
  return (validate.errors ?? []).map(({ instancePath, keyword, message }) => ({
    instancePath,
    keyword,
    message,
  }));
}

function loadManifest(): Manifest {
  const data = readJson(manifestUrl);
  if (!validate(data)) throw new Error(`manifest.json is invalid: ${ajv.errorsText(validate.errors)}`);
  return data;
}

describe('Slack manifest schema', () => {
  it('is the draft-07 schema Ajv’s default entry point handles', () => {
    expect(schema.$schema).toBe(DRAFT_07);
  });

  it.skipIf(!existsSync(sharedSchemaUrl))(
    'holds the same schema as ../shared/slack/manifest.schema.json',
    () => {
      expect(schema).toEqual(readJson(sharedSchemaUrl));
    },
  );
});

describe('manifest.json', () => {
  it('is valid against Slack’s manifest schema', () => {
    expect(errorsOf(readJson(manifestUrl))).toEqual([]);
  });

  describe('the validator bites', () => {
    it('rejects a shortcut name longer than 24 characters', () => {
      const broken = structuredClone(loadManifest());
      const shortcut = broken.features?.shortcuts?.[0];
      if (!shortcut) throw new Error('manifest.json has no shortcut to break');
      shortcut.name = 'Create a brand new ticket';
      expect(shortcut.name.length).toBe(25);

      expect(errorsOf(broken)).toContainEqual(
        expect.objectContaining({ instancePath: '/features/shortcuts/0/name', keyword: 'maxLength' }),
      );
    });

    it('rejects a slash command without its leading /', () => {
      const broken = structuredClone(loadManifest());
      const command = broken.features?.slash_commands?.[0];
      if (!command) throw new Error('manifest.json has no slash command to break');
      command.command = 'ticket';

      expect(errorsOf(broken)).toContainEqual(
        expect.objectContaining({ instancePath: '/features/slash_commands/0/command', keyword: 'pattern' }),
      );
    });

    it('rejects a key Slack does not know', () => {
      const manifest = loadManifest();
      const broken = { ...manifest, settings: { ...manifest.settings, socket_mode: true } };

      expect(errorsOf(broken)).toContainEqual(
        expect.objectContaining({ instancePath: '/settings', keyword: 'additionalProperties' }),
      );
    });
  });

  it('declares the slash command the app listens on', () => {
    const commands = loadManifest().features?.slash_commands ?? [];
    expect(commands.map((c) => c.command)).toEqual([COMMAND]);
    // Folio escapes user text itself; Slack must pass the raw text so `<@U…>` mentions stay parseable.
    expect(commands[0]?.should_escape).toBe(false);
  });

  it('declares the shortcuts the app listens on, with their callback ids', () => {
    const shortcuts = loadManifest().features?.shortcuts ?? [];
    expect(shortcuts.map(({ type, name, callback_id }) => ({ type, name, callback_id }))).toEqual([
      { type: 'message', name: 'Create ticket', callback_id: SHORTCUT.createFromMessage },
      { type: 'global', name: 'New ticket', callback_id: SHORTCUT.newTicket },
    ]);
  });

  it('sends every request to Bolt’s single endpoint, /slack/events', () => {
    const { features, settings } = loadManifest();
    const urls = [
      ...(features?.slash_commands ?? []).map((c) => c.url),
      settings?.interactivity?.request_url,
      settings?.interactivity?.message_menu_options_url,
      settings?.event_subscriptions?.request_url,
    ];

    expect(urls).toHaveLength(4);
    for (const url of urls) {
      expect(url).toMatch(/^https:\/\//);
      expect(url?.endsWith(REQUEST_PATH)).toBe(true);
    }
  });

  it('subscribes to the bot events Folio handles', () => {
    const events = loadManifest().settings?.event_subscriptions;
    expect(events?.bot_events).toEqual(
      expect.arrayContaining(['app_home_opened', 'message.channels', 'message.groups', 'message.im']),
    );
    expect(events?.user_events).toBeUndefined();
  });

  it('asks for exactly the bot scopes documented in docs/slack-app.md', () => {
    // Changing a scope makes every workspace reinstall the app: make it a deliberate edit here too.
    const scopes = loadManifest().oauth_config?.scopes;
    expect([...(scopes?.bot ?? [])].sort()).toEqual(
      [
        'channels:history',
        'chat:write',
        'chat:write.public',
        'commands',
        'files:read',
        'files:write',
        'groups:history',
        'im:history',
        'im:write',
        'users:read',
        'users:read.email',
      ].sort(),
    );
    expect(scopes?.user).toBeUndefined();
  });

  it('enables the Home and Messages tabs, interactivity and an always-online bot', () => {
    const { features, settings } = loadManifest();
    expect(features?.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    expect(features?.bot_user).toEqual({ display_name: 'Folio', always_online: true });
    expect(settings?.interactivity?.is_enabled).toBe(true);
    expect(settings).toMatchObject({
      socket_mode_enabled: false,
      token_rotation_enabled: false,
      org_deploy_enabled: false,
    });
  });

  it('has a background colour Slack accepts', () => {
    // The schema states this rule with `regex`, which is not a JSON Schema keyword: Ajv ignores it (only
    // the 4–7 length limit applies), so the check is repeated here.
    expect(loadManifest().display_information.background_color).toMatch(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/);
  });
});
