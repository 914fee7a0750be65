/**
 * Inputs of the `cli` suite (issue 11), and where the binaries are. The runner measured is the compiled CLI that
 * `npm run bench` builds anyway (`tsconfig.bench.json` compiles `src/` with the package's compiler options, minus
 * declarations), run with plain `node`, as an installed `rxproc` runs.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchDir, repoRoot } from '../../lib/paths.js';

/**
 * The compiled CLI entry. Its `--version` reads `../../package.json` next to the build, so a copy of the package's
 * manifest is placed at the top of `.bench-build/` (see {@link ensureCliManifest}).
 */
export const CLI_ENTRY = resolve(repoRoot, '.bench-build', 'src', 'cli', 'main.js');

/** The `concurrently` 9 binary (a devDependency), run with the same `node`. */
export const CONCURRENTLY_ENTRY = join(
  repoRoot,
  'node_modules',
  'concurrently',
  'dist',
  'bin',
  'concurrently.js',
);

/** The installed concurrently version, for the report. */
export function concurrentlyVersion(): string {
  const manifest = join(repoRoot, 'node_modules', 'concurrently', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Copies `package.json` to where the compiled CLI looks for it (`.bench-build/package.json`); same content. */
export function ensureCliManifest(): void {
  const target = resolve(repoRoot, '.bench-build', 'package.json');
  if (!existsSync(target)) copyFileSync(join(repoRoot, 'package.json'), target);
}

/** True when the suite runs from the compiled tree (the CLI entry exists only there). */
export const cliBuilt = (): boolean => existsSync(CLI_ENTRY) && benchDir.includes('.bench-build');

/** The environment of every runner: no colour, so prefixes are plain text that the checker can parse. */
export function runnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  delete env['CI'];
  return env;
}

/** Case (a): `services` commands `seq 1 <count>`, all stdout into one file. */
export const THROUGHPUT = { services: 4, count: 1_000_000, warmupCount: 1000 } as const;

/** Case (a): the command every service runs. */
export const seqCommand = (count: number): string => `seq 1 ${count}`;

/** Case (b1): frames rendered per run (after `warmup` untimed), the model's services and stored log lines. */
export const FRAME = {
  frames: 2000,
  warmup: 200,
  services: 50,
  logLines: 2000,
  width: 160,
  height: 50,
} as const;

/** Case (b2): `services` idle services (`sleep 300`), the runner's CPU measured over `seconds` after `settleS`. */
export const IDLE = { services: 20, seconds: 10, settleS: 2 } as const;

/** Case (b2): the idle service. */
export const IDLE_COMMAND = 'sleep 300';

/** Case (c): `services` services flooding output for `seconds`; RSS sampled every second, read at `earlyS` and the end. */
export const FLOOD = { services: 20, seconds: 30, earlyS: 5 } as const;

/** Case (c): the line every flooding service repeats (`yes` writes it as fast as the pipe takes it). */
export const FLOOD_TEXT = 'some line of text 0123456789';
export const FLOOD_COMMAND = `yes "${FLOOD_TEXT}"`;
