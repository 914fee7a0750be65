import { expect } from 'chai';
import { AsyncSubject, NEVER } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ExitStatus } from '../../../src/core/exit-status.js';
import { AbortedError } from '../../../src/process/errors.js';
import { waitForExit } from '../../../src/process/wait.js';

const status: ExitStatus = { code: 0, signal: null };

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

describe('waitForExit (virtual time)', () => {
  it('resolves with the exit when it comes before the timeout', async () => {
    const ts = scheduler();
    let outcome!: Promise<unknown>;
    ts.run(({ cold }) => {
      outcome = waitForExit(cold<ExitStatus>('5ms (a|)', { a: status }), ts, { timeoutMs: 10 });
    });
    expect(await outcome).to.deep.equal({ type: 'exited', status });
  });

  it('resolves timedOut at the timeout when the exit comes later', async () => {
    const ts = scheduler();
    let outcome!: Promise<unknown>;
    ts.run(({ cold }) => {
      outcome = waitForExit(cold<ExitStatus>('20ms (a|)', { a: status }), ts, { timeoutMs: 10 });
    });
    expect(await outcome).to.deep.equal({ type: 'timedOut', timeoutMs: 10 });
  });

  it('with a zero timeout still reports an exit that is already known', async () => {
    const ts = scheduler();
    const known = new AsyncSubject<ExitStatus>();
    known.next(status);
    known.complete();
    let outcome!: Promise<unknown>;
    ts.run(() => {
      outcome = waitForExit(known, ts, { timeoutMs: 0 });
    });
    expect(await outcome).to.deep.equal({ type: 'exited', status });
  });

  it('waits without a bound when no timeout is given', async () => {
    const ts = scheduler();
    let outcome!: Promise<unknown>;
    ts.run(({ cold }) => {
      outcome = waitForExit(cold<ExitStatus>('100000ms (a|)', { a: status }), ts, {});
    });
    expect(await outcome).to.deep.equal({ type: 'exited', status });
  });

  it('rejects with AbortedError when aborted, or already aborted', async () => {
    const ts = scheduler();
    const controller = new AbortController();
    const pending = waitForExit(NEVER, ts, { signal: controller.signal });
    controller.abort('stop');
    const error = await pending.catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortedError);
    expect((error as AbortedError).cause).to.equal('stop');
    const already = await waitForExit(NEVER, ts, { signal: controller.signal }).catch((e: unknown) => e);
    expect(already).to.be.instanceOf(AbortedError);
  });
});
