import { expect } from 'chai';
import { NEVER, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { ExecAttemptSpec } from '../../../../src/supervisor/probes/exec-attempt.js';
import type { HttpAttemptSpec } from '../../../../src/supervisor/probes/http-attempt.js';
import { describeStatuses } from '../../../../src/supervisor/probes/http-attempt.js';
import { type ProbeAttempts, runProbe$ } from '../../../../src/supervisor/probes/probe.js';
import { resolveProbe } from '../../../../src/supervisor/probes/resolve-probe.js';
import type { TcpAttemptSpec } from '../../../../src/supervisor/probes/tcp-attempt.js';

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

/** Fake attempts that record what they were asked and succeed after 1 ms. */
function recordingAttempts(
  calls: { kind: string; spec: unknown; bound: number }[],
  success: Observable<void>,
) {
  const record =
    <S>(kind: string) =>
    (spec: S, bound: number): Observable<void> => {
      calls.push({ kind, spec, bound });
      return success;
    };
  const attempts: ProbeAttempts = {
    tcp: record<TcpAttemptSpec>('tcp'),
    http: record<HttpAttemptSpec>('http'),
    exec: record<ExecAttemptSpec>('exec'),
  };
  return attempts;
}

describe('runProbe$', () => {
  it('runs the attempt of the probe kind on the schedule, with the attempt timeout', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const calls: { kind: string; spec: unknown; bound: number }[] = [];
      const attempts = recordingAttempts(calls, cold<undefined>('1ms |'));
      const context = { scheduler, lines$: NEVER, cwd: '/srv', env: { A: '1' }, attempts };
      const tcp = resolveProbe('p', { tcp: { port: 7 }, attemptTimeoutMs: 50 }, 'readiness');
      const http = resolveProbe('p', { http: { url: 'http://h/x' }, initialDelayMs: 5 }, 'readiness');
      expectObservable(runProbe$(tcp, context, 'readiness')).toBe('1ms (r|)', {
        r: { ok: true, failures: 0, verdict: 'ready' },
      });
      expectObservable(runProbe$(http, context, 'readiness')).toBe('6ms (r|)', {
        r: { ok: true, failures: 0, verdict: 'ready' },
      });
      scheduler.flush();
      expect(calls.map((c) => [c.kind, c.bound])).to.deep.equal([
        ['tcp', 50],
        ['http', 1000],
      ]);
      expect(calls[0]!.spec).to.include({ host: '127.0.0.1', port: 7 });
    });
  });

  it("gives an exec probe the service's cwd and env, unless the probe names its own cwd", () => {
    const scheduler = testScheduler();
    const calls: { kind: string; spec: unknown; bound: number }[] = [];
    scheduler.run(({ cold, flush }) => {
      const context = { scheduler, lines$: NEVER, cwd: '/srv', env: { A: '1' } };
      const attempts = recordingAttempts(calls, cold<undefined>('|'));
      const own = resolveProbe('p', { exec: { command: 'c', cwd: '/own' } }, 'readiness');
      runProbe$(
        resolveProbe('p', { exec: { command: 'check' } }, 'readiness'),
        { ...context, attempts },
        'readiness',
      ).subscribe();
      runProbe$(own, { ...context, attempts }, 'readiness').subscribe();
      flush();
    });
    expect(calls).to.have.length(2);
    expect(calls[0]!.spec).to.deep.include({ command: 'check', args: [], cwd: '/srv', env: { A: '1' } });
    expect(calls[1]!.spec).to.deep.include({ command: 'c', cwd: '/own', env: { A: '1' } });
  });

  it("watches the service's lines for a log probe", () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      const lines$ = cold('2ms a', { a: { stream: 'stdout' as const, line: 'ready' } });
      const probe = resolveProbe('p', { log: 'ready' }, 'readiness');
      expectObservable(
        runProbe$(probe, { scheduler, lines$, cwd: undefined, env: undefined }, 'readiness'),
      ).toBe('2ms (r|)', { r: { ok: true, failures: 0, verdict: 'ready' } });
    });
  });
});

describe('describeStatuses', () => {
  it('writes runs as ranges and lone statuses as a list', () => {
    expect(describeStatuses(new Set([200, 201, 202, 204, 301, 302]))).to.equal('200–202, 204, 301, 302');
  });
});
