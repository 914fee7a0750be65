/**
 * Where things are, whichever tree runs: `npm run bench` runs the compiled JavaScript in `.bench-build/` with plain
 * Node (what a user of the package runs), while `npx tsx bench/run.ts` runs the sources. Measuring through the
 * tsx loader would charge its per-module cost to every library it loads, rxproc and peers alike.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** True when running the compiled build with plain Node. */
export const compiled = import.meta.url.endsWith('.js');

/** The extension of this tree's modules. */
export const moduleExt = compiled ? '.js' : '.ts';

/** The `bench/` folder of the running tree. */
export const benchDir = resolve(here, '..');

/** The repository root (the compiled tree lives one level down, in `.bench-build/`). */
export const repoRoot = compiled ? resolve(benchDir, '../..') : resolve(benchDir, '..');

/** A module of the running bench tree, by its path without extension: `benchModule('suites/spawn/tasks')`. */
export function benchModule(pathWithoutExt: string): string {
  return join(benchDir, `${pathWithoutExt}${moduleExt}`);
}

/** How to start Node on a module of this tree. */
export function nodeArgsFor(file: string): string[] {
  return compiled ? ['--expose-gc', file] : ['--expose-gc', '--import', 'tsx', file];
}
