import { expect } from 'chai';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ProbeProgress } from '../../../../src/supervisor/probes/probe-progress.js';
import { probeSchedule$ } from '../../../../src/supervisor/probes/probe-schedule.js';
import type { ProbeRole, ResolvedTiming } from '../../../../src/supervisor/probes/resolve-probe.js';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

const refused = new Error('refused');

function timing(overrides: Partial<ResolvedTiming>): ResolvedTiming {
  return {
    initialDelayMs: 0,
    intervalMs: 10,
    attemptTimeoutMs: 1000,
    timeoutMs: null,
    failureThreshold: Infinity,
    ...overrides,
  };
}

/** A fake attempt that plays the given observables in turn, the last one again once they run out. */
function inTurn(...attempts: Observable<void>[]): () => Observable<void> {
  let calls = 0;
  return () => attempts[Math.min(calls++, attempts.length - 1)]!;
}

const fail = (error: string, failures: number): ProbeProgress => ({ ok: false, failures, error });
const ok: ProbeProgress = { ok: true, failures: 0 };
const ready: ProbeProgress = { ok: true, failures: 0, verdict: 'ready' };

describe('probeSchedule$ (virtual time)', () => {
  it('waits the initial delay, then spaces attempts by the interval after each attempt ended', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const attempt = inTurn(
        cold<undefined>('10ms #', undefined, refused),
        cold<undefined>('20ms #', undefined, refused),
        cold<undefined>('5ms |'),
      );
      const role: ProbeRole = 'readiness';
      const probe = probeSchedule$({
        attempt,
        timing: timing({ initialDelayMs: 100, intervalMs: 50 }),
        role,
        scheduler,
      });
      // 100 + 10 → first failure at 110; next attempt at 160, fails at 180; next at 230, succeeds at 235.
      expectObservable(probe).toBe('110ms a 69ms b 54ms (c|)', {
        a: fail('refused', 1),
        b: fail('refused', 2),
        c: ready,
      });
    });
  });

  it('bounds each attempt by attemptTimeoutMs, counts it as a failure and unsubscribes the attempt', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const hanging = cold<undefined>('-');
      const probe = probeSchedule$({
        attempt: () => hanging,
        timing: timing({ attemptTimeoutMs: 30, intervalMs: 10, failureThreshold: 2 }),
        role: 'readiness',
        scheduler,
      });
      expectObservable(probe).toBe('30ms a 39ms (b|)', {
        a: fail('timed out after 30 ms', 1),
        b: {
          ok: false,
          failures: 2,
          error: '2 attempts failed in a row; last: timed out after 30 ms',
          verdict: 'failed',
        },
      });
      expectSubscriptions(hanging.subscriptions).toBe(['^ 29ms !', '40ms ^ 29ms !']);
    });
  });

  it('an attempt that emits and then hangs still times out: only its completion is a success', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const probe = probeSchedule$({
        attempt: () => cold<undefined>('a-', { a: undefined }),
        timing: timing({ attemptTimeoutMs: 5, failureThreshold: 1 }),
        role: 'readiness',
        scheduler,
      });
      expectObservable(probe).toBe('5ms (a|)', {
        a: {
          ok: false,
          failures: 1,
          error: '1 attempt failed in a row; last: timed out after 5 ms',
          verdict: 'failed',
        },
      });
    });
  });

  it('fails readiness after failureThreshold consecutive failures', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const probe = probeSchedule$({
        attempt: () => cold<undefined>('#', undefined, refused),
        timing: timing({ intervalMs: 10, failureThreshold: 3 }),
        role: 'readiness',
        scheduler,
      });
      expectObservable(probe).toBe('a 9ms b 9ms (c|)', {
        a: fail('refused', 1),
        b: fail('refused', 2),
        c: { ok: false, failures: 3, error: '3 attempts failed in a row; last: refused', verdict: 'failed' },
      });
    });
  });

  it('fails readiness when timeoutMs passes, saying so and cancelling the attempt in flight', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold<undefined>('#', undefined, refused);
      const hanging = cold<undefined>('-');
      const probe = probeSchedule$({
        attempt: inTurn(failing, hanging),
        timing: timing({ intervalMs: 40, attemptTimeoutMs: 1000, timeoutMs: 100 }),
        role: 'readiness',
        scheduler,
      });
      expectObservable(probe).toBe('a 99ms (b|)', {
        a: fail('refused', 1),
        b: {
          ok: false,
          failures: 1,
          error: 'not ready within 100 ms; last attempt: refused',
          verdict: 'failed',
        },
      });
      expectSubscriptions(hanging.subscriptions).toBe('40ms ^ 59ms !');
    });
  });

  it('counts timeoutMs from subscription, the initial delay included', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const attempt = cold<undefined>('|');
      const probe = probeSchedule$({
        attempt: () => attempt,
        timing: timing({ initialDelayMs: 200, timeoutMs: 100 }),
        role: 'readiness',
        scheduler,
      });
      expectObservable(probe).toBe('100ms (f|)', {
        f: { ok: false, failures: 0, error: 'not ready within 100 ms', verdict: 'failed' },
      });
      expectSubscriptions(attempt.subscriptions).toBe([]);
    });
  });

  it('liveness runs on while attempts pass, and a success resets the failure count', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const no = cold<undefined>('#', undefined, refused);
      const yes = cold<undefined>('|');
      const probe = probeSchedule$({
        attempt: inTurn(no, yes, no, yes, no, no),
        timing: timing({ intervalMs: 10, failureThreshold: 2 }),
        role: 'liveness',
        scheduler,
      });
      expectObservable(probe).toBe('a 9ms b 9ms c 9ms d 9ms e 9ms (f|)', {
        a: fail('refused', 1),
        b: ok,
        c: fail('refused', 1),
        d: ok,
        e: fail('refused', 1),
        f: {
          ok: false,
          failures: 2,
          error: '2 attempts failed in a row; last: refused',
          verdict: 'unhealthy',
        },
      });
    });
  });

  it('liveness never ends on its own while healthy', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const probe = probeSchedule$({
        attempt: () => cold<undefined>('2ms |'),
        timing: timing({ initialDelayMs: 5, intervalMs: 10, timeoutMs: null }),
        role: 'liveness',
        scheduler,
      });
      expectObservable(probe, '^ 40ms !').toBe('7ms a 11ms a 11ms a', { a: ok });
    });
  });

  it('unsubscribing cancels the attempt in flight and every timer', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const hanging = cold<undefined>('-');
      let calls = 0;
      const probe = probeSchedule$({
        attempt: () => {
          calls++;
          return hanging;
        },
        timing: timing({ initialDelayMs: 5, attemptTimeoutMs: 100, timeoutMs: 50 }),
        role: 'readiness',
        scheduler,
      });
      expectObservable(probe, '^ 15ms !').toBe('');
      expectSubscriptions(hanging.subscriptions).toBe('5ms ^ 10ms !');
      flush();
      expect(calls).to.equal(1);
    });
  });

  it('a throwing attempt factory is a failed attempt, not a broken probe', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const probe = probeSchedule$({
        attempt: () => {
          throw new Error('no target');
        },
        timing: timing({ failureThreshold: 1 }),
        role: 'readiness',
        scheduler,
      });
      expectObservable(probe).toBe('(a|)', {
        a: {
          ok: false,
          failures: 1,
          error: '1 attempt failed in a row; last: no target',
          verdict: 'failed',
        },
      });
    });
  });
});
