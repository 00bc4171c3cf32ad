import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The app as `npm start` runs it: compiled to JavaScript by the project's own TypeScript compiler with
 * the production build's settings (tsconfig.build.json), run by plain `node` with the Node flags of
 * the `start` script, read from package.json so that the two never drift.
 *
 * The bench compiles into bench/results/.build (ignored by git), not dist/, because the process it
 * measures is bench/app/child.ts (Folio's `startFolio` driven over IPC, or a floor): its config
 * extends tsconfig.build.json, adds the child (which pulls in bench/lib/config.ts and the fake's bot
 * ids), and widens `rootDir` to the repository so that src/ lands in .build/src/. The emitted src/
 * is what `npm run build` emits into dist/. The migrations are copied beside it (src/db/migrate.ts
 * finds them relative to itself).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUILD_DIR = fileURLToPath(new URL('../results/.build/', import.meta.url));

/** What the `start` script runs once it has built: `node <flags> dist/main.js`. */
export interface StartCommand {
  /** The whole script, for the results file. */
  script: string;
  /** Node flags before the entry point, e.g. `--max-old-space-size=128`. */
  nodeFlags: string[];
  entry: string;
}

export async function startCommand(): Promise<StartCommand> {
  const pkg = JSON.parse(await readFile(`${ROOT}package.json`, 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = pkg.scripts?.start ?? '';
  const build = pkg.scripts?.build ?? '';
  // `npm run build --silent && node --max-old-space-size=128 dist/main.js`
  const node = /(?:^|&&\s*)node((?:\s+-\S+)*)\s+(dist\/\S+\.js)\s*$/.exec(script);
  if (!node?.[2] || !/\btsc -p tsconfig\.build\.json\b/.test(build) || !/npm run build\b/.test(script)) {
    throw new Error(
      `package.json: the bench expects "start" to build with "tsc -p tsconfig.build.json" and then run ` +
        `"node [flags] dist/….js"; found start="${script}", build="${build}". Update bench/lib/compile.ts.`,
    );
  }
  return { script, nodeFlags: node[1]?.trim().split(/\s+/).filter(Boolean) ?? [], entry: node[2] };
}

/** Compiles the app and the bench's child process into BUILD_DIR; returns it. */
export async function compileApp(): Promise<string> {
  await rm(BUILD_DIR, { recursive: true, force: true });
  await mkdir(BUILD_DIR, { recursive: true });
  const config = `${BUILD_DIR}tsconfig.json`;
  await writeFile(
    config,
    JSON.stringify({
      extends: `${ROOT}tsconfig.build.json`,
      compilerOptions: { rootDir: ROOT, outDir: BUILD_DIR, incremental: false },
      // `include` (src) comes from tsconfig.build.json; the child adds what it imports.
      files: [`${ROOT}bench/app/child.ts`],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', config], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  await cp(`${ROOT}drizzle`, `${BUILD_DIR}drizzle`, { recursive: true });
  return BUILD_DIR;
}

export async function removeBuild(): Promise<void> {
  await rm(BUILD_DIR, { recursive: true, force: true });
}
