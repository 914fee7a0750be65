import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '../../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('cli config: package boundary', () => {
  it('no library file imports from src/cli, so the library entry stays free of yaml and zod', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !relative(SRC, file).startsWith('cli/'))
      .filter((file) => /from '[^']*\/cli\/|from '(yaml|zod)'/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).to.deep.equal([]);
  });
});
