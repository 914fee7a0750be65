import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { NEVER, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { InvalidOptionError } from '../../../src/core/errors.js';
import { waitForLine } from '../../../src/operators/wait-for-line.js';
import { attached } from '../../support/output-streams.js';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

describe('waitForLine', () => {
  it('matches with a predicate, a RegExp or a substring (marbles)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const lines = cold('a-b-c-|', { a: 'booting', b: 'listening on 8080', c: 'ready' });
      const opts = { timeoutMs: 100 };
      expectObservable(lines.pipe(waitForLine(/listening on (\d+)/g, opts))).toBe('--(m|)', {
        m: { type: 'matched', line: 'listening on 8080' },
      });
      expectObservable(lines.pipe(waitForLine('ready', opts))).toBe('----(m|)', {
        m: { type: 'matched', line: 'ready' },
      });
      expectObservable(lines.pipe(waitForLine((l) => l.startsWith('boot'), opts))).toBe('(m|)', {
        m: { type: 'matched', line: 'booting' },
      });
    });
  });

  it('reports closed when the source ends without a match', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-|', { a: 'x' }).pipe(waitForLine('y', { timeoutMs: 100 }))).toBe('--(c|)', {
        c: { type: 'closed' },
      });
    });
  });

  it('reports timedOut in virtual time through the injected scheduler', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a 999ms b', { a: 'x', b: 'y' });
      expectObservable(source.pipe(waitForLine('y', { timeoutMs: 500, scheduler: testScheduler }))).toBe(
        '500ms (t|)',
        { t: { type: 'timedOut', timeoutMs: 500 } },
      );
    });
  });

  it('passes a source error on and fails on a throwing predicate', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold('-#', undefined, new Error('read')).pipe(waitForLine('x', { timeoutMs: 9 })),
      ).toBe('-#', undefined, new Error('read'));
      const boom = new Error('predicate');
      const predicate = (): boolean => {
        throw boom;
      };
      expectObservable(cold('a', { a: 'l' }).pipe(waitForLine(predicate, { timeoutMs: 9 }))).toBe(
        '#',
        undefined,
        boom,
      );
    });
  });

  it('rejects with the abort reason, also when already aborted', async () => {
    const controller = new AbortController();
    const { out: waiting, control } = attached(new PassThrough());
    const pending = waiting.waitForLine('x', { timeoutMs: 60_000, signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    let caught: unknown;
    await pending.catch((e: unknown) => (caught = e));
    expect(caught).to.equal(reason);
    let again: unknown;
    await waiting
      .waitForLine('x', { timeoutMs: 10, signal: controller.signal })
      .catch((e: unknown) => (again = e));
    expect(again).to.equal(reason);
    control.forceClose('test over');
  });

  it('on an OutputStream, sees replayed lines (it subscribes at call time) and the final unterminated line', async () => {
    const source = new PassThrough();
    const { out } = attached(source);
    source.write('server listening\nnext');
    await tick();
    expect(await out.waitForLine('listening', { timeoutMs: 1000 })).to.deep.equal({
      type: 'matched',
      line: 'server listening',
    });
    const tail = out.waitForLine('next', { timeoutMs: 60_000 });
    source.end();
    expect(await tail).to.deep.equal({ type: 'matched', line: 'next' });
    expect(await out.waitForLine('nothing', { timeoutMs: 60_000 })).to.deep.equal({ type: 'closed' });
  });

  it('works on byte chunks and validates its inputs', () => {
    const results: unknown[] = [];
    of(Buffer.from('a\nb'))
      .pipe(waitForLine('b', { timeoutMs: 5 }))
      .subscribe((r) => results.push(r));
    expect(results).to.deep.equal([{ type: 'matched', line: 'b' }]);
    expect(() => waitForLine('x', { timeoutMs: -1 })).to.throw(InvalidOptionError);
    expect(() => waitForLine(42 as never, { timeoutMs: 1 })).to.throw(InvalidOptionError);
    expect(() => NEVER.pipe(waitForLine('x', { timeoutMs: Infinity }))).to.throw(InvalidOptionError);
  });
});
