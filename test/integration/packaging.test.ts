/**
 * The package as published: what the tarball holds, that its declarations expose no internals and compile, and
 * that a CommonJS project can both `require()` and `import` it. Packs once; everything happens in a temporary
 * directory that is removed afterwards.
 */
import { expect } from 'chai';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { declaresNothing, reachableDeclarations, typeCheck } from '../support/declarations.js';
import { packIntoProject, REPO_ROOT, run, type PackedProject } from '../support/packed.js';

const INTERNAL_NAMES = /killNowSync|forwardSignal|releaseBackpressure|attach\(|forceClose|markProcessExited/;

/** Spawns `true` and waits: the whole library in use, from the module system under test. */
const USE_IT = `
  const ok = rxproc.spawn('true').wait().then((outcome) => {
    if (outcome.type !== 'exited' || outcome.status.code !== 0) throw new Error(JSON.stringify(outcome));
    if (!(new rxproc.InvalidOptionError('x', 0, 'y') instanceof rxproc.RxprocError)) throw new Error('base class');
    console.log('ok');
  });`;

const CJS_CONSUMER = `
import { spawn, RxprocError, type SpawnOptions } from 'rxproc';
import rxproc = require('rxproc');

const options: SpawnOptions = { name: 'consumer', stdout: { replay: 'none' } };
export const done: Promise<string> = spawn('true', [], options).wait().then((outcome) => outcome.type);
export const isRxprocError = (error: unknown): error is RxprocError => error instanceof rxproc.RxprocError;
`;

const ESM_CONSUMER = `
import { spawn, type WaitOutcome } from 'rxproc';

const outcome: WaitOutcome = await spawn('true').wait();
export const code: number | null = outcome.type === 'exited' ? outcome.status.code : null;
`;

function sourceModules(): string[] {
  return readdirSync(join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.replaceAll('\\', '/').replace(/\.ts$/, ''));
}

describe('the published package', function () {
  let packed: PackedProject;

  before(async function () {
    // npm pack runs the build (prepack), and then the consumers run; a cold run needs several seconds.
    this.timeout(120_000);
    packed = await packIntoProject();
  });

  after(() => packed?.remove());

  describe('tarball', () => {
    it('holds LICENSE, README.md, CHANGELOG.md, package.json, and a .js and .d.ts for every module', () => {
      expect(packed.files).to.include.members([
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'package.json',
        'schema.json',
      ]);
      const built = sourceModules().flatMap((module) => [`dist/${module}.js`, `dist/${module}.d.ts`]);
      expect(packed.files).to.include.members(built);
      const unexpected = packed.files.filter(
        (file) => !/^(dist\/.*\.(js|d\.ts)|[A-Z]+\.md|LICENSE|package\.json|schema\.json)$/.test(file),
      );
      expect(unexpected).to.deep.equal([]);
    });

    it('has no source map that points at a file it does not ship', () => {
      const shipped = new Set(packed.files);
      const broken: string[] = [];
      for (const file of packed.files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
        const text = readFileSync(join(packed.packageDir, file), 'utf8');
        const url = /^\/\/# sourceMappingURL=(.+)$/m.exec(text)?.[1];
        if (url !== undefined && !shipped.has(posix.join(file, '..', url))) broken.push(`${file} -> ${url}`);
      }
      for (const map of packed.files.filter((f) => f.endsWith('.map'))) {
        const { sources } = JSON.parse(readFileSync(join(packed.packageDir, map), 'utf8')) as {
          sources: string[];
        };
        for (const source of sources) {
          if (!shipped.has(posix.join(map, '..', source))) broken.push(`${map} -> ${source}`);
        }
      }
      expect(broken).to.deep.equal([]);
    });

    it('declares rxjs as a peer dependency, not as a dependency', () => {
      expect(packed.manifest.peerDependencies).to.have.property('rxjs');
      expect(packed.manifest.dependencies ?? {}).not.to.have.property('rxjs');
    });

    it('puts types first in the exports map, then a condition that both require and import match', () => {
      const entry = packed.manifest.exports?.['.'] as Record<string, string>;
      expect(Object.keys(entry)[0]).to.equal('types');
      expect(entry).to.satisfy(
        (e: Record<string, string>) => 'default' in e || ('require' in e && 'import' in e),
      );
    });
  });

  describe('declarations', () => {
    const declarations = (): string[] => packed.files.filter((file) => file.endsWith('.d.ts'));

    it('name no internal member', () => {
      const leaking = declarations().filter(
        (file) =>
          !file.startsWith('dist/cli/') &&
          INTERNAL_NAMES.test(readFileSync(join(packed.packageDir, file), 'utf8')),
      );
      expect(leaking).to.deep.equal([]);
    });

    it('of internal modules are empty: every export there is marked @internal', () => {
      const reachable = reachableDeclarations(packed.packageDir, 'dist/index.d.ts');
      // dist/cli is the `rxproc` command, an application: its modules are not API and are never imported from
      // the package entry (another test checks that).
      const notEmpty = declarations().filter(
        (file) =>
          !file.startsWith('dist/cli/') &&
          !reachable.has(file) &&
          !declaresNothing(readFileSync(join(packed.packageDir, file), 'utf8')),
      );
      expect(notEmpty, 'internal modules that still declare something').to.deep.equal([]);
    });

    it('compile with skipLibCheck false, for a CommonJS and an ESM TypeScript consumer', function () {
      this.timeout(60_000);
      const project = join(packed.app, 'typescript');
      mkdirSync(project);
      writeFileSync(join(project, 'consumer.ts'), CJS_CONSUMER);
      writeFileSync(join(project, 'consumer-esm.mts'), ESM_CONSUMER);
      const compilerOptions = {
        module: 'nodenext',
        target: 'es2022',
        lib: ['es2023'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      };
      // Every shipped declaration, also the ones the entry does not reach, so none can hide a broken reference.
      const files = declarations().map((file) => join(packed.packageDir, file));
      writeFileSync(
        join(project, 'tsconfig.json'),
        JSON.stringify({ compilerOptions, include: ['*.ts', '*.mts'], files }),
      );
      expect(typeCheck(project, packed.packageDir)).to.deep.equal([]);
    });
  });

  describe('the rxproc command', () => {
    it('is the bin of the package, and runs from the installed package', async () => {
      const bin = (packed.manifest as { bin?: Record<string, string> }).bin;
      expect(bin).to.deep.equal({ rxproc: './dist/cli/main.js' });
      expect(readFileSync(join(packed.packageDir, 'dist/cli/main.js'), 'utf8')).to.match(
        /^#!\/usr\/bin\/env node\n/,
      );
      const result = await run(
        process.execPath,
        [join(packed.packageDir, 'dist/cli/main.js'), '--version'],
        packed.app,
      );
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout.trim()).to.equal(
        (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      );
    });

    it("is never loaded by import 'rxproc': the entry reaches no CLI module and no CLI-only dependency", () => {
      const seen = new Set<string>();
      const bare = new Set<string>();
      const pending = ['dist/index.js'];
      for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
        if (seen.has(file)) continue;
        seen.add(file);
        const text = readFileSync(join(packed.packageDir, file), 'utf8');
        for (const [, specifier] of text.matchAll(/(?:\bfrom|\bimport\()\s*['"]([^'"]+)['"]/g)) {
          if (specifier!.startsWith('.')) pending.push(posix.join(posix.dirname(file), specifier!));
          else if (!specifier!.startsWith('node:')) bare.add(specifier!);
        }
      }
      expect([...seen].filter((file) => file.startsWith('dist/cli/'))).to.deep.equal([]);
      expect([...bare].sort()).to.deep.equal(['pidtree', 'ps-list', 'rxjs', 'ts-pattern']);
    });
  });

  describe('at run time, from a CommonJS project', () => {
    it('require() gives the whole API', async () => {
      const result = await run(
        process.execPath,
        ['-e', `const rxproc = require('rxproc');${USE_IT}`],
        packed.app,
      );
      expect(result, result.stderr).to.include({ code: 0, stdout: 'ok\n' });
    });

    it('import gives the whole API', async () => {
      const script = `import * as rxproc from 'rxproc';${USE_IT}\nawait ok;`;
      const result = await run(process.execPath, ['--input-type=module', '-e', script], packed.app);
      expect(result, result.stderr).to.include({ code: 0, stdout: 'ok\n' });
    });
  });
});
