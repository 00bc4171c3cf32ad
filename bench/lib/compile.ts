import { execFileSync } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The app compiled to JavaScript with the project's own TypeScript compiler, into
 * bench/results/.build (ignored by git): to measure the app run by plain `node`, without tsx's loader
 * in the process. The migrations are copied beside it (src/db/migrate.ts finds them relative to itself).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUILD_DIR = fileURLToPath(new URL('../results/.build/', import.meta.url));

export async function compileApp(): Promise<string> {
  await rm(BUILD_DIR, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', BUILD_DIR, '--incremental', 'false'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await cp(`${ROOT}drizzle`, `${BUILD_DIR}drizzle`, { recursive: true });
  return BUILD_DIR;
}

export async function removeBuild(): Promise<void> {
  await rm(BUILD_DIR, { recursive: true, force: true });
}
