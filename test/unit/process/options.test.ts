import { expect } from 'chai';
import { InvalidOptionError, RxprocError } from '../../../src/core/errors.js';
import { resolveSpawnOptions, type SpawnOptions } from '../../../src/process/options.js';

describe('resolveSpawnOptions', () => {
  it('applies bounded, documented defaults', () => {
    const resolved = resolveSpawnOptions({});
    expect(resolved.stdout.mode).to.equal('pipe');
    expect(resolved.stderr.mode).to.equal('pipe');
    expect(resolved.shutdown.phases.map((p) => p.signal)).to.deep.equal(['SIGINT', 'SIGTERM']);
    expect(resolved).to.include({
      stdin: 'ignore',
      eofTimeoutMs: 3000,
      eventReplay: 256,
      cleanupOnParentExit: true,
    });
  });

  it('extends the parent environment unless told not to', () => {
    expect(resolveSpawnOptions({ env: { A: '1' } }).env).to.include({ A: '1', PATH: process.env.PATH });
    expect(resolveSpawnOptions({ env: { A: '1' }, extendEnv: false }).env).to.deep.equal({ A: '1' });
  });

  it('accepts null as an explicit "wait for the real end of output"', () => {
    expect(resolveSpawnOptions({ eofTimeoutMs: null }).eofTimeoutMs).to.equal(null);
  });

  const bad: Array<[string, SpawnOptions]> = [
    ['eofTimeoutMs NaN', { eofTimeoutMs: Number.NaN }],
    ['eofTimeoutMs negative', { eofTimeoutMs: -1 }],
    ['eofTimeoutMs too large', { eofTimeoutMs: 2 ** 31 }],
    ['eofTimeoutMs as a string', { eofTimeoutMs: '5' as unknown as number }],
    ['eventReplay 0', { eventReplay: 0 }],
    ['eventReplay fractional', { eventReplay: 1.5 }],
    ['stdin unknown', { stdin: 'pipes' as 'pipe' }],
    ['name empty', { name: '' }],
    ['extendEnv not boolean', { extendEnv: 'yes' as unknown as boolean }],
    ['stdout replay negative', { stdout: { replay: { lastBytes: -1 } } }],
    ['stderr mode unknown', { stderr: 'nowhere' as 'pipe' }],
    ['shutdown not a GracefulShutdown', { shutdown: { phases: [] } as never }],
    ['signal not an AbortSignal', { signal: {} as AbortSignal }],
  ];
  for (const [what, options] of bad) {
    it(`rejects ${what} with an InvalidOptionError (an RxprocError)`, () => {
      expect(() => resolveSpawnOptions(options))
        .to.throw(InvalidOptionError)
        .that.is.instanceOf(RxprocError);
    });
  }
});
