/**
 * The `rxproc` binary as users run it: built once per test run with the package's build settings into
 * `.e2e-build/` (inside the repository, so its dependencies resolve as in an install), then run with node.
 */
import { execFile, spawn as spawnRaw, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');
const outDir = join(root, '.e2e-build');
let built: Promise<string> | undefined;

/** Builds the CLI once; resolves with the path of its entry. */
export function builtCli(): Promise<string> {
  built ??= promisify(execFile)(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
      '--outDir',
      outDir,
      '--declaration',
      'false',
    ],
    { cwd: root },
  ).then(() => join(outDir, 'cli/main.js'));
  return built;
}

/** A finished run of the binary. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running binary, with its output so far. */
export interface CliRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliResult>;
}

/** Starts `rxproc …args` in `cwd`, stdout and stderr piped, stdin ignored (not a terminal: `auto` means lines). */
export async function startCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  const entry = await builtCli();
  const child = spawnRaw(process.execPath, [entry, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const done = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout: out,
    stderr: err,
  }));
  return { child, stdout: () => out, stderr: () => err, done };
}

/** Runs `rxproc …args` to its end. */
export async function runCli(
  args: readonly string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<CliResult> {
  return (await startCli(args, cwd, env)).done;
}

/** A temporary project folder with the given files; removed by `remove()`. */
export function project(files: Record<string, string>): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rxproc-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The NDJSON records of a run's stdout. */
export function records(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
