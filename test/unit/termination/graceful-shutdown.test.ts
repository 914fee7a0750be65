import { expect } from 'chai';
import { InvalidOptionError, InvalidSignalError, RxprocError } from '../../../src/core/errors.js';
import { GracefulShutdown, type ShutdownPhase } from '../../../src/termination/graceful-shutdown.js';

const badDurations: readonly unknown[] = [
  NaN,
  -1,
  -0.5,
  Infinity,
  -Infinity,
  2 ** 31,
  Number.MAX_SAFE_INTEGER,
  '100',
  null,
  undefined,
  true,
  {},
  10n,
];

const badSignals: readonly unknown[] = [
  'SIGSTOP',
  'SIGCONT',
  'SIGTSTP',
  'SIGCHLD',
  'SIGWINCH',
  0,
  9,
  15,
  'sigterm',
  'TERM',
  'SIGFOO',
  '',
  null,
  undefined,
];

function expectInvalidOption(build: () => unknown, option: string): void {
  let caught: unknown;
  try {
    build();
  } catch (error) {
    caught = error;
  }
  expect(caught).to.be.instanceOf(InvalidOptionError);
  expect(caught).to.be.instanceOf(RxprocError);
  expect(caught).to.have.property('code', 'INVALID_OPTION');
  expect(caught).to.have.property('option', option);
}

describe('GracefulShutdown', () => {
  describe('construction', () => {
    it('default() is SIGINT with 2000 ms, SIGTERM with 3000 ms, then SIGKILL with 3000 ms', () => {
      const shutdown = GracefulShutdown.default();
      expect(shutdown.phases).to.deep.equal([
        { signal: 'SIGINT', timeoutMs: 2000 },
        { signal: 'SIGTERM', timeoutMs: 3000 },
      ]);
      expect(shutdown.killTimeoutMs).to.equal(3000);
      expect(shutdown.survivors).to.equal('kill');
      expect(shutdown.verifyTimeoutMs).to.equal(1000);
      expect(shutdown.totalTimeoutMs).to.equal(5000);
    });

    it('sigterm and sigint build one phase', () => {
      expect(GracefulShutdown.sigterm(250).phases).to.deep.equal([{ signal: 'SIGTERM', timeoutMs: 250 }]);
      expect(GracefulShutdown.sigint(0).phases).to.deep.equal([{ signal: 'SIGINT', timeoutMs: 0 }]);
    });

    it('phases keeps the order and sums the budget', () => {
      const shutdown = GracefulShutdown.phases([
        { signal: 'SIGINT', timeoutMs: 3000 },
        { signal: 'SIGTERM', timeoutMs: 5000 },
        { signal: 'SIGHUP', timeoutMs: 1.5 },
      ]);
      expect(shutdown.phases.map((p) => p.signal)).to.deep.equal(['SIGINT', 'SIGTERM', 'SIGHUP']);
      expect(shutdown.totalTimeoutMs).to.equal(8001.5);
    });

    it('killOnly has no graceful phase', () => {
      const shutdown = GracefulShutdown.killOnly({ killTimeoutMs: 500 });
      expect(shutdown.phases).to.deep.equal([]);
      expect(shutdown.totalTimeoutMs).to.equal(0);
      expect(shutdown.killTimeoutMs).to.equal(500);
    });

    it('accepts the bounds 0 and 2^31 - 1', () => {
      expect(GracefulShutdown.sigterm(0).totalTimeoutMs).to.equal(0);
      expect(GracefulShutdown.sigterm(2 ** 31 - 1, { killTimeoutMs: 2 ** 31 - 1 }).killTimeoutMs).to.equal(
        2 ** 31 - 1,
      );
    });

    it('takes the options', () => {
      const shutdown = GracefulShutdown.sigint(100, {
        killTimeoutMs: 10,
        survivors: 'report',
        verifyTimeoutMs: 20,
        windowsTimeoutMs: 30,
      });
      expect(shutdown).to.include({
        killTimeoutMs: 10,
        survivors: 'report',
        verifyTimeoutMs: 20,
        windowsTimeoutMs: 30,
      });
    });

    it('defaults the Windows timeout to the Unix graceful budget (recorded, not executed yet)', () => {
      const shutdown = GracefulShutdown.phases([
        { signal: 'SIGINT', timeoutMs: 3000 },
        { signal: 'SIGTERM', timeoutMs: 5000 },
      ]);
      expect(shutdown.windowsTimeoutMs).to.equal(8000);
      expect(GracefulShutdown.killOnly().windowsTimeoutMs).to.equal(0);
    });

    it('maxDurationMs bounds a whole run', () => {
      const shutdown = GracefulShutdown.phases(
        [
          { signal: 'SIGINT', timeoutMs: 0 },
          { signal: 'SIGTERM', timeoutMs: 1000 },
        ],
        { killTimeoutMs: 3000, verifyTimeoutMs: 1000 },
      );
      // Two 2 s probes, max(0, 100 ms grace) + 1000, the kill wait and the verification.
      expect(shutdown.maxDurationMs).to.equal(4000 + 100 + 1000 + 3000 + 1000);
    });
  });

  describe('immutability', () => {
    it('is frozen, and so are its phases', () => {
      const shutdown = GracefulShutdown.sigterm(100);
      expect(Object.isFrozen(shutdown)).to.equal(true);
      expect(Object.isFrozen(shutdown.phases)).to.equal(true);
      expect(Object.isFrozen(shutdown.phases[0])).to.equal(true);
    });

    it('does not see later changes to the caller’s array or objects', () => {
      const phase = { signal: 'SIGTERM' as const, timeoutMs: 100 };
      const list: ShutdownPhase[] = [phase];
      const shutdown = GracefulShutdown.phases(list);
      list.push({ signal: 'SIGINT', timeoutMs: 1 });
      phase.timeoutMs = 999;
      expect(shutdown.phases).to.deep.equal([{ signal: 'SIGTERM', timeoutMs: 100 }]);
    });

    it('with() returns a validated copy and leaves the original alone', () => {
      const original = GracefulShutdown.sigterm(100);
      const changed = original.with({ killTimeoutMs: 50, survivors: 'report' });
      expect(changed).to.not.equal(original);
      expect(changed.phases).to.deep.equal(original.phases);
      expect(changed).to.include({ killTimeoutMs: 50, survivors: 'report', verifyTimeoutMs: 1000 });
      expect(original).to.include({ killTimeoutMs: 3000, survivors: 'kill' });
      expectInvalidOption(() => original.with({ verifyTimeoutMs: -1 }), 'verifyTimeoutMs');
    });
  });

  describe('duration validation', () => {
    for (const value of badDurations) {
      it(`rejects the duration ${typeof value === 'bigint' ? `${value}n` : String(value)} (${typeof value})`, () => {
        expectInvalidOption(() => GracefulShutdown.sigterm(value as number), 'phases[0].timeoutMs');
        expectInvalidOption(() => GracefulShutdown.sigint(value as number), 'phases[0].timeoutMs');
        expectInvalidOption(
          () =>
            GracefulShutdown.phases([
              { signal: 'SIGINT', timeoutMs: 1 },
              { signal: 'SIGTERM', timeoutMs: value as number },
            ]),
          'phases[1].timeoutMs',
        );
        if (value !== undefined) {
          // `undefined` in an options object means "use the default".
          expectInvalidOption(
            () => GracefulShutdown.sigterm(1, { killTimeoutMs: value as number }),
            'killTimeoutMs',
          );
          expectInvalidOption(
            () => GracefulShutdown.sigterm(1, { verifyTimeoutMs: value as number }),
            'verifyTimeoutMs',
          );
          expectInvalidOption(
            () => GracefulShutdown.sigterm(1, { windowsTimeoutMs: value as number }),
            'windowsTimeoutMs',
          );
          expectInvalidOption(
            () => GracefulShutdown.killOnly({ killTimeoutMs: value as number }),
            'killTimeoutMs',
          );
        }
      });
    }

    it('says what it expected', () => {
      expect(() => GracefulShutdown.sigterm(Infinity)).to.throw(
        /Invalid option phases\[0\]\.timeoutMs: Infinity; expected a finite number of milliseconds from 0 to 2147483647/,
      );
    });
  });

  describe('signal validation', () => {
    for (const value of badSignals) {
      it(`rejects the signal ${JSON.stringify(value) ?? String(value)}`, () => {
        expect(() => GracefulShutdown.phases([{ signal: value as 'SIGTERM', timeoutMs: 1 }]))
          .to.throw(InvalidSignalError)
          .with.property('code', 'INVALID_SIGNAL');
      });
    }

    it('rejects SIGKILL as a phase, explaining that it is the implicit last step', () => {
      expect(() =>
        GracefulShutdown.phases([
          { signal: 'SIGTERM', timeoutMs: 1 },
          { signal: 'SIGKILL', timeoutMs: 1 },
        ]),
      )
        .to.throw(InvalidSignalError)
        .with.property('message')
        .that.matches(/SIGKILL is always the implicit last step/);
    });

    it('accepts other terminating signals such as SIGHUP and SIGQUIT', () => {
      expect(
        GracefulShutdown.phases([
          { signal: 'SIGHUP', timeoutMs: 1 },
          { signal: 'SIGQUIT', timeoutMs: 1 },
        ]).phases,
      ).to.have.length(2);
    });
  });

  describe('phase list validation', () => {
    it('rejects an empty list and points at killOnly', () => {
      expectInvalidOption(() => GracefulShutdown.phases([]), 'phases');
      expect(() => GracefulShutdown.phases([])).to.throw(/killOnly/);
    });

    it('rejects a list that is not an array', () => {
      expectInvalidOption(() => GracefulShutdown.phases('SIGTERM' as unknown as ShutdownPhase[]), 'phases');
      expectInvalidOption(() => GracefulShutdown.phases(undefined as unknown as ShutdownPhase[]), 'phases');
    });

    it('rejects a phase that is not an object', () => {
      expectInvalidOption(() => GracefulShutdown.phases([null as unknown as ShutdownPhase]), 'phases[0]');
      expectInvalidOption(
        () => GracefulShutdown.phases(['SIGTERM' as unknown as ShutdownPhase]),
        'phases[0]',
      );
    });

    it('rejects unknown survivor policies and non-object options', () => {
      expectInvalidOption(() => GracefulShutdown.sigterm(1, { survivors: 'ignore' as 'kill' }), 'survivors');
      expectInvalidOption(
        () => GracefulShutdown.sigterm(1, 5 as unknown as { killTimeoutMs: number }),
        'options',
      );
    });
  });
});
