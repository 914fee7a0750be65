import { expect } from 'chai';
import { Subject } from 'rxjs';
import { ndjsonRenderer } from '../../../../src/cli/render/ndjson.js';
import type { OutputLine, SupervisorEvent, SupervisorState } from '../../../../src/supervisor/state-types.js';
import { out, service, stoppedEvent } from './fixtures.js';

function harness() {
  const writes: string[] = [];
  const queued: (() => void)[] = [];
  let t = 1_700_000_000_000;
  const output$ = new Subject<OutputLine>();
  const events$ = new Subject<SupervisorEvent>();
  const state$ = new Subject<SupervisorState>();
  const renderer = ndjsonRenderer({
    write: (s) => writes.push(s),
    now: () => t,
    schedule: (f) => queued.push(f),
  });
  const sub = renderer.attach({ output$, events$, state$ });
  return {
    writes,
    output$,
    events$,
    state$,
    sub,
    advance: (ms: number) => (t += ms),
    records(): Record<string, unknown>[] {
      queued.splice(0).forEach((f) => f());
      const text = writes.join('');
      expect(text.endsWith('\n')).to.equal(true);
      return text
        .split('\n')
        .slice(0, -1)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
}

describe('ndjson renderer', () => {
  it('writes one versioned JSON object per line for output and every event type', () => {
    const h = harness();
    h.output$.next(out('api', 'hi "there"\x1b[0m', 'stderr'));
    const events: SupervisorEvent[] = [
      { type: 'status', service: 'api', at: 0, status: 'starting', previous: 'waiting' },
      { type: 'started', service: 'api', at: 0, pid: 42, run: 1 },
      {
        type: 'probe',
        service: 'api',
        at: 0,
        probe: 'readiness',
        kind: 'http',
        ok: false,
        failures: 2,
        error: 'ECONNREFUSED',
      },
      { type: 'ready', service: 'api', at: 0, afterMs: 1200 },
      { type: 'exited', service: 'w', at: 0, status: { code: 1, signal: null }, expected: false },
      { type: 'restartScheduled', service: 'w', at: 0, delayMs: 400, restart: 1, maxRestarts: Infinity },
      { type: 'failed', service: 'w', at: 0, reason: 'restarts exhausted' },
      { type: 'skipped', service: 'e2e', at: 0, reason: 'w failed' },
      { type: 'stopping', service: 'api', at: 0, holdouts: [7] },
      stoppedEvent('api'),
      { type: 'shutdown', at: 0, stage: 'started', reason: { type: 'signal', signal: 'SIGINT' } },
      {
        type: 'process',
        service: 'api',
        at: 0,
        event: { type: 'signalSent', signal: 'SIGTERM', pgid: 42, cause: 'termination', at: 0 },
      },
      { type: 'process', service: 'api', at: 0, event: { type: 'stdinClosed', at: 0 } },
      {
        type: 'shutdownCompleted',
        at: 0,
        report: { reason: { type: 'request' }, forced: false, services: [], durationMs: 900 },
      },
    ];
    for (const e of events) h.events$.next(e);
    const records = h.records();
    expect(h.writes).to.have.length(1);
    for (const r of records) {
      expect(r['v']).to.equal(1);
      expect(r['t']).to.equal(1_700_000_000_000);
    }
    expect(records.map((r) => r['type'])).to.deep.equal([
      'output',
      'state',
      'started',
      'probe',
      'ready',
      'exited',
      'restart',
      'failed',
      'skipped',
      'stopping',
      'stopped',
      'shutdown',
      'signal',
      'report',
    ]);
    expect(records[0]).to.deep.include({
      service: 'api',
      stream: 'stderr',
      line: 'hi "there"\x1b[0m',
      truncated: false,
    });
    expect(records[2]).to.deep.include({ service: 'api', pid: 42, run: 1 });
    expect(records[5]).to.deep.include({ code: 1, signal: null, expected: false });
    expect(records[6]).to.deep.include({ restart: 1, maxRestarts: null, delayMs: 400 });
    expect(records[10]).to.deep.include({
      service: 'api',
      outcome: 'terminated',
      endedBy: 'SIGTERM',
      durationMs: 300,
    });
    expect(records[11]).to.deep.include({ stage: 'started', reason: { type: 'signal', signal: 'SIGINT' } });
    expect(records[13]).to.deep.include({ forced: false, durationMs: 900, reason: { type: 'request' } });
  });

  it('writes usage at most once per second per service', () => {
    const h = harness();
    const state = (cpu: number): SupervisorState => ({
      phase: 'running',
      at: 0,
      services: [
        service('api', { usage: { cpuPercent: cpu, rssBytes: 1000, processes: 2 } }),
        service('idle'),
      ],
    });
    h.state$.next(state(1));
    h.advance(500);
    h.state$.next(state(2));
    h.advance(500);
    h.state$.next(state(3));
    const usage = h.records();
    expect(usage.map((r) => [r['type'], r['service'], r['cpuPercent']])).to.deep.equal([
      ['usage', 'api', 1],
      ['usage', 'api', 3],
    ]);
    expect(usage[0]).to.deep.include({ rssBytes: 1000, processes: 2 });
  });
});
