import { expect } from 'chai';
import { outcomeFromError, trySignal, unsafeTargetReason } from '../../../src/platform/signal-outcome.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`kill ${code}`), { code });
}

describe('signal-outcome.unsafeTargetReason', () => {
  for (const target of [0, 1, -1, -5, NaN, 1.5, Infinity, -Infinity, 2 ** 53]) {
    it(`refuses ${String(target)}`, () => {
      expect(unsafeTargetReason(target, [])).to.be.a('string');
    });
  }

  it('refuses a forbidden target and accepts others', () => {
    expect(unsafeTargetReason(4242, [undefined, 4242])).to.match(/own process group/);
    expect(unsafeTargetReason(2, [undefined, 4242])).to.equal(undefined);
  });
});

describe('signal-outcome.outcomeFromError', () => {
  for (const code of ['ESRCH', 'EPERM', 'EINVAL', 'ENOSYS'] as const) {
    it(`keeps ${code}`, () => {
      const error = errno(code);
      expect(outcomeFromError(error)).to.deep.equal({ ok: false, code, error });
    });
  }

  it('turns other codes and non-errors into unknown', () => {
    expect(outcomeFromError(errno('ERR_UNKNOWN_SIGNAL'))).to.include({ ok: false, code: 'unknown' });
    const wrapped = outcomeFromError('boom');
    expect(wrapped).to.include({ ok: false, code: 'unknown' });
    expect(!wrapped.ok && wrapped.error.message).to.equal('boom');
  });

  it('trySignal reports success or the mapped failure, never throws', () => {
    expect(trySignal(() => undefined)).to.deep.equal({ ok: true });
    expect(
      trySignal(() => {
        throw errno('ESRCH');
      }),
    ).to.include({ ok: false, code: 'ESRCH' });
  });
});
