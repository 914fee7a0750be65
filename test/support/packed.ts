/**
 * The published package as a user gets it: `npm pack` (whose `prepack` builds `dist/`), the tarball unpacked into
 * the `node_modules` of a fresh CommonJS project, its dependencies linked from this repository. Nothing here uses
 * the network, and everything lives in one temporary directory that {@link PackedProject.remove} deletes.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; never rejects, so a failure shows up as a result the test can print. */
export function run(command: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => done({ code: null, stdout, stderr: `${stderr}${error.message}` }));
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

export interface PackedProject {
  /** The CommonJS consumer project: `package.json` with `"type": "commonjs"`, and `node_modules`. */
  readonly app: string;
  /** The unpacked tarball, `<app>/node_modules/rxproc`. */
  readonly packageDir: string;
  /** Every file of the tarball, relative to the package root, with `/` separators, sorted. */
  readonly files: readonly string[];
  /** The packed `package.json`. */
  readonly manifest: Manifest;
  remove(): void;
}

export interface Manifest {
  readonly exports?: Record<string, unknown>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

// Build outputs and local state: never part of what `npm pack` reads, and node_modules is linked, not copied.
const NOT_STAGED = new Set([
  'node_modules',
  '.git',
  'dist',
  '.bench-build',
  '.bench-tmp',
  join('bench', 'results'),
]);

/**
 * Packs a copy of the repository, so the test neither rewrites this checkout's `dist/` nor leaves a tarball in
 * it, and unpacks it into a fresh CommonJS project.
 */
export async function packIntoProject(): Promise<PackedProject> {
  const root = mkdtempSync(join(tmpdir(), 'rxproc-pack-'));
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  try {
    const stage = join(root, 'stage');
    cpSync(REPO_ROOT, stage, {
      recursive: true,
      filter: (source) => !NOT_STAGED.has(relative(REPO_ROOT, source)),
    });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
    const packed = await run('npm', ['pack', '--pack-destination', root, '--no-fund', '--no-audit'], stage);
    const tarball = readdirSync(root).find((name) => name.endsWith('.tgz'));
    if (packed.code !== 0 || tarball === undefined) {
      throw new Error(`npm pack failed (${String(packed.code)}):\n${packed.stdout}\n${packed.stderr}`);
    }

    const app = join(root, 'app');
    const packageDir = join(app, 'node_modules', 'rxproc');
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }),
    );
    const unpacked = await run(
      'tar',
      ['-xzf', join(root, tarball), '-C', packageDir, '--strip-components=1'],
      root,
    );
    if (unpacked.code !== 0) throw new Error(`tar failed: ${unpacked.stderr}`);

    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Manifest;
    // What an install would bring: the runtime and peer dependencies, plus Node's types for the TypeScript check.
    const linked = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
      '@types/node',
    ];
    for (const name of linked) {
      const target = join(app, 'node_modules', name);
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(join(REPO_ROOT, 'node_modules', name), target, 'dir');
    }
    return { app, packageDir, files: listFiles(packageDir), manifest, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
