import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  DEFAULT_CONFIG_INPUT,
  type HelpdeskConfig,
  helpdeskConfigSchema,
  resolveConfig,
} from '../desks/model.js';
import { ConfigError } from '../domain/errors.js';

/**
 * Loads the declarative desks configuration (`HELPDESK_CONFIG`, YAML or JSON) and validates it with
 * the desk model's schema (src/desks/model.ts); an error names the path of every bad field
 * (`desks[1].sla.high.resolution`). Without a file, Folio starts with DEFAULT_CONFIG_INPUT.
 */

function describeIssues(error: z.ZodError, source: string): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) =>
        typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
      '',
    );
    return `  ${path || '(top level)'}: ${issue.message}`;
  });
  return `The desks configuration ${source} is not valid:\n${lines.join('\n')}`;
}

/** Validates a parsed configuration object (from a file, a test or the defaults). */
export function parseHelpdeskConfig(input: unknown, source = '(inline)'): HelpdeskConfig {
  const result = helpdeskConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(describeIssues(result.error, source));
  return resolveConfig(result.data);
}

/** Reads HELPDESK_CONFIG (YAML or JSON), or returns the defaults when no path is given. */
export async function loadHelpdeskConfig(path: string | undefined): Promise<HelpdeskConfig> {
  if (!path) return parseHelpdeskConfig(DEFAULT_CONFIG_INPUT, '(defaults)');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `HELPDESK_CONFIG points at ${path}, which cannot be read: ${(error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `The desks configuration ${path} is not valid YAML or JSON: ${(error as Error).message}`,
    );
  }
  return parseHelpdeskConfig(data, path);
}
