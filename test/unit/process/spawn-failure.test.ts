import { expect } from 'chai';
import type { CommandLookup } from '../../../src/platform/command-lookup.js';
import { fileSystemLookup } from '../../../src/platform/command-lookup.js';
import { processEnvironment } from '../../../src/platform/environment.js';
import { precheckSpawn, toSpawnError } from '../../../src/process/spawn-failure.js';

const real = { lookup: fileSystemLookup, environment: processEnvironment };

/** A file system with only the files named here: path → its first line and whether it may be executed. */
function fakeLookup(files: Record<string, { shebang?: string; executable: boolean }>): CommandLookup {
  return {
    cwdState: (cwd) => (cwd === '/work' ? 'directory' : 'missing'),
    locate: (command, cwd, path, pathExt) => {
      const suffixes = pathExt === undefined ? [''] : ['', ...pathExt.split(';')];
      for (const dir of path.split(':'))
        for (const suffix of suffixes)
          if (`${dir}/${command}${suffix}` in files) return `${dir}/${command}${suffix}`;
      return undefined;
    },
    shebangInterpreter: (file) => files[file]?.shebang,
    isExecutable: (file) => files[file]?.executable ?? false,
  };
}

function fakeContext(files: Parameters<typeof fakeLookup>[0], windows = false) {
  return {
    lookup: fakeLookup(files),
    environment: {
      variables: () => ({ PATH: '/bin:/usr/bin', PATHEXT: '.CMD;.EXE' }),
      cwd: () => '/work',
      windows,
    },
  };
}

const enoent = () => Object.assign(new Error('spawn tool ENOENT'), { code: 'ENOENT' });

const attempt = {
  processName: 'tool',
  command: 'tool',
  args: [] as unknown[],
  cwd: undefined,
  env: undefined,
};

describe('spawn failure diagnosis', () => {
  it('accepts ordinary input', () => {
    expect(precheckSpawn({ ...attempt, args: ['a', 'b'] })).to.equal(undefined);
  });

  it('rejects empty commands, NUL bytes and non-string arguments before asking the OS', () => {
    expect(precheckSpawn({ ...attempt, command: '' })?.code).to.equal('INVALID_ARGUMENT');
    expect(precheckSpawn({ ...attempt, command: 'a\0' })?.code).to.equal('INVALID_ARGUMENT');
    expect(precheckSpawn({ ...attempt, args: [42] })?.code).to.equal('INVALID_ARGUMENT');
    expect(precheckSpawn({ ...attempt, env: { A: 'x\0y' } })?.code).to.equal('INVALID_ARGUMENT');
  });

  it('maps errno codes to typed reasons and keeps the original as cause', () => {
    const cases: Array<[string, string]> = [
      ['EACCES', 'NOT_EXECUTABLE'],
      ['E2BIG', 'ARGUMENT_LIST_TOO_LONG'],
      ['EMFILE', 'TOO_MANY_OPEN_FILES'],
      ['ENFILE', 'TOO_MANY_OPEN_FILES'],
      ['EWHATEVER', 'UNKNOWN'],
    ];
    for (const [errno, code] of cases) {
      const original = Object.assign(new Error(errno), { code: errno });
      const error = toSpawnError(original, attempt, real);
      expect(error.code, errno).to.equal(code);
      expect(error.cause).to.equal(original);
      expect(error.processName).to.equal('tool');
    }
  });

  it('explains ENOENT by a missing cwd rather than the command', () => {
    const error = toSpawnError(
      Object.assign(new Error('spawn tool ENOENT'), { code: 'ENOENT' }),
      {
        ...attempt,
        cwd: '/definitely/not/here',
      },
      real,
    );
    expect(error.code).to.equal('CWD_NOT_FOUND');
    expect(error.message).to.include('/definitely/not/here');
  });

  it('explains ENOENT as a missing command when no directory on PATH has it', () => {
    const error = toSpawnError(enoent(), attempt, fakeContext({ '/usr/bin/other': { executable: true } }));
    expect(error.code).to.equal('COMMAND_NOT_FOUND');
    expect(error.reason).to.equal('command tool not found');
  });

  it('explains ENOENT of an executable script as its missing interpreter', () => {
    const context = fakeContext({ '/usr/bin/tool': { shebang: '/opt/missing/python', executable: true } });
    const error = toSpawnError(enoent(), attempt, context);
    expect(error.code).to.equal('INTERPRETER_NOT_FOUND');
    expect(error.reason).to.include('/opt/missing/python');
  });

  it('searches PATHEXT suffixes on Windows only', () => {
    const files = { '/bin/tool.CMD': { shebang: '/missing/sh', executable: true } };
    expect(toSpawnError(enoent(), attempt, fakeContext(files, false)).code).to.equal('COMMAND_NOT_FOUND');
    expect(toSpawnError(enoent(), attempt, fakeContext(files, true)).code).to.equal('INTERPRETER_NOT_FOUND');
  });
});
