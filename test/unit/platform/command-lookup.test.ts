import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemLookup } from '../../../src/platform/command-lookup.js';

describe('fileSystemLookup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxproc-lookup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a command on PATH, relative entries resolved against the cwd', () => {
    writeFileSync(join(dir, 'tool'), '');
    expect(fileSystemLookup.locate('tool', '/', `/nonexistent:${dir}`, undefined)).to.equal(
      join(dir, 'tool'),
    );
    expect(fileSystemLookup.locate('tool', dir, '.', undefined)).to.equal(join(dir, 'tool'));
    expect(fileSystemLookup.locate('other', '/', dir, undefined)).to.equal(undefined);
  });

  it('tries each PATHEXT suffix for a bare name, and none for a name that has an extension', () => {
    writeFileSync(join(dir, 'npm.CMD'), '');
    expect(fileSystemLookup.locate('npm', '/', dir, undefined)).to.equal(undefined);
    expect(fileSystemLookup.locate('npm', '/', dir, '.EXE;.CMD')).to.equal(join(dir, 'npm.CMD'));
    expect(fileSystemLookup.locate('npm.js', '/', dir, '.CMD')).to.equal(undefined);
  });

  it('takes a name with a slash as a path, relative to the cwd', () => {
    expect(fileSystemLookup.locate('./bin/tool', '/work', '/usr/bin', undefined)).to.equal('/work/bin/tool');
    expect(fileSystemLookup.locate('/abs/tool', '/work', '/usr/bin', undefined)).to.equal('/abs/tool');
  });

  it("reads a script's interpreter and whether it may be executed", () => {
    const script = join(dir, 'run');
    writeFileSync(script, '#!/opt/none/python3 -u\nprint(1)\n');
    chmodSync(script, 0o755);
    expect(fileSystemLookup.shebangInterpreter(script)).to.equal('/opt/none/python3');
    expect(fileSystemLookup.isExecutable(script)).to.equal(true);
    chmodSync(script, 0o644);
    expect(fileSystemLookup.isExecutable(script)).to.equal(false);
    writeFileSync(join(dir, 'plain'), 'no shebang');
    expect(fileSystemLookup.shebangInterpreter(join(dir, 'plain'))).to.equal(undefined);
  });

  it('tells a directory from a file and from nothing', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(fileSystemLookup.cwdState(dir)).to.equal('directory');
    expect(fileSystemLookup.cwdState(join(dir, 'file'))).to.equal('notDirectory');
    expect(fileSystemLookup.cwdState(join(dir, 'missing'))).to.equal('missing');
  });
});
