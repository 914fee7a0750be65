import { expect } from 'chai';
import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  logProbe$,
  OUTPUT_ENDED_REASON,
  type ServiceLine,
} from '../../../../src/supervisor/probes/log-probe.js';
import { resolveProbe, type ResolvedLogProbe } from '../../../../src/supervisor/probes/resolve-probe.js';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

function logProbe(config: Record<string, unknown>): ResolvedLogProbe {
  const probe = resolveProbe('services.web.ready', config, 'readiness');
  if (probe.kind !== 'log') throw new Error('not a log probe');
  return probe;
}

const out = (line: string): ServiceLine => ({ stream: 'stdout', line });
const err = (line: string): ServiceLine => ({ stream: 'stderr', line });
const ready = { ok: true, failures: 0, verdict: 'ready' };
const failed = (error: string): object => ({ ok: false, failures: 0, error, verdict: 'failed' });

describe('logProbe$ (virtual time)', () => {
  it('is ready on the first matching line, and stops reading', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const lines = cold('a 9ms b 9ms c', { a: out('booting'), b: out('listening on 8080'), c: out('x') });
      expectObservable(logProbe$(lines, logProbe({ log: 'listening on \\d+' }), scheduler)).toBe(
        '10ms (r|)',
        {
          r: ready,
        },
      );
      expectSubscriptions(lines.subscriptions).toBe('^ 9ms !');
    });
  });

  it('counts lines printed before subscription (replayed synchronously)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const replayed = of(out('booting'), err('ready to serve'));
      expectObservable(logProbe$(replayed, logProbe({ log: /ready/ }), scheduler)).toBe('(r|)', { r: ready });
    });
  });

  it('watches only the chosen stream', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const lines = cold('a 9ms b', { a: err('ready'), b: out('ready') });
      expectObservable(logProbe$(lines, logProbe({ log: 'ready', stream: 'stdout' }), scheduler)).toBe(
        '10ms (r|)',
        { r: ready },
      );
      expectObservable(logProbe$(lines, logProbe({ log: 'ready', stream: 'stderr' }), scheduler)).toBe(
        '(r|)',
        {
          r: ready,
        },
      );
    });
  });

  it('fails when the output ends before a matching line', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const lines = cold('a 4ms |', { a: out('crashed') });
      expectObservable(logProbe$(lines, logProbe({ log: 'ready' }), scheduler)).toBe('5ms (f|)', {
        f: failed(OUTPUT_ENDED_REASON),
      });
    });
  });

  it('fails after timeoutMs without a match, saying which pattern', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const lines = cold('a', { a: out('booting') });
      expectObservable(logProbe$(lines, logProbe({ log: 'ready', timeoutMs: 300 }), scheduler)).toBe(
        '300ms (f|)',
        {
          f: failed('no line matched /ready/ within 300 ms'),
        },
      );
      expectSubscriptions(lines.subscriptions).toBe('^ 299ms !');
    });
  });

  it('waits as long as the output lasts with timeoutMs null', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const lines = cold('5000000ms a', { a: out('ready') });
      expectObservable(logProbe$(lines, logProbe({ log: 'ready', timeoutMs: null }), scheduler)).toBe(
        '5000000ms (r|)',
        { r: ready },
      );
    });
  });

  it('turns an output error into a failed verdict with the reason', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const lines = cold<ServiceLine>('3ms #', undefined, new Error('EIO'));
      expectObservable(logProbe$(lines, logProbe({ log: 'ready' }), scheduler)).toBe('3ms (f|)', {
        f: failed('reading the output failed: EIO'),
      });
    });
  });
});
