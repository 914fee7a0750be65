import { expect } from 'chai';
import { precheckSpawn, toSpawnError } from '../../../src/process/spawn-failure.js';

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
      const error = toSpawnError(original, attempt);
      expect(error.code, errno).to.equal(code);
      expect(error.cause).to.equal(original);
      expect(error.processName).to.equal('tool');
    }
  });

  it('explains ENOENT by a missing cwd rather than the command', () => {
    const error = toSpawnError(Object.assign(new Error('spawn tool ENOENT'), { code: 'ENOENT' }), {
      ...attempt,
      cwd: '/definitely/not/here',
    });
    expect(error.code).to.equal('CWD_NOT_FOUND');
    expect(error.message).to.include('/definitely/not/here');
  });
});
