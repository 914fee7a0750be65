import { expect } from 'chai';
import { of } from 'rxjs';
import { exitsAfter, fakeSupervisor, readyAfter } from '../../support/fake-services.js';

const crashing = exitsAfter(10, 1);
const exact = (policy: 'on-failure' | 'always' | 'unless-stopped', extra: object = {}) => ({
  policy,
  backoff: { initialMs: 100, factor: 2, maxMs: 1000, jitter: 0, resetAfterMs: 5000 },
  ...extra,
});

describe('supervise: restarts with backoff (virtual time)', () => {
  it('restarts a crashing service with exponential backoff, then fails it when restarts run out', () => {
    const { scheduler, starts, supervisor, events } = fakeSupervisor(
      { services: { worker: { command: 'w', restart: exact('on-failure', { maxRestarts: 3 }) } } },
      { worker: crashing },
      { endWhenAllEnded: false },
    );
    scheduler.flush();
    // Runs last 10 ms; delays 100, 200, 400.
    expect(starts()).to.deep.equal(['worker@0', 'worker@110', 'worker@320', 'worker@730']);
    const worker = supervisor.state.services[0]!;
    expect(worker.status).to.equal('failed');
    expect(worker.reason).to.equal('exited 1; restarts exhausted (3/3)');
    expect(worker.restarts).to.equal(3);
    const scheduled = events.filter((e) => e.type === 'restartScheduled');
    expect(
      scheduled.map((e) => (e.type === 'restartScheduled' ? [e.delayMs, e.restart, e.maxRestarts] : [])),
    ).to.deep.equal([
      [100, 1, 3],
      [200, 2, 3],
      [400, 3, 3],
    ]);
  });

  it('shows the backoff as a state with the time of the next start', () => {
    const { scheduler, supervisor } = fakeSupervisor(
      { services: { worker: { command: 'w', restart: exact('always') } } },
      { worker: crashing },
    );
    const seen: [string, number | undefined][] = [];
    scheduler.schedule(() => {
      const worker = supervisor.state.services[0]!;
      seen.push([worker.status, worker.nextStartAt]);
    }, 50);
    scheduler.flush();
    expect(seen).to.deep.equal([['backoff', 110]]);
  });

  it('caps the delay at maxMs and spreads it by the jitter', () => {
    const randoms = [0, 1, 0.5];
    let call = 0;
    const { scheduler, events } = fakeSupervisor(
      {
        services: {
          worker: {
            command: 'w',
            restart: {
              policy: 'always',
              maxRestarts: 3,
              backoff: { initialMs: 400, factor: 10, maxMs: 1000, jitter: 0.5 },
            },
          },
        },
      },
      { worker: crashing },
      { endWhenAllEnded: false },
      { random: () => randoms[call++ % 3]! },
    );
    scheduler.flush();
    const delays = events.flatMap((e) => (e.type === 'restartScheduled' ? [e.delayMs] : []));
    // 400 × (1 − 0.5); min(4000, 1000) × (1 + 0.5); 1000 × 1
    expect(delays).to.deep.equal([200, 1500, 1000]);
  });

  it('resets the backoff and the count after a stable run', () => {
    const { scheduler, starts, supervisor } = fakeSupervisor(
      { services: { worker: { command: 'w', restart: exact('on-failure', { maxRestarts: 2 }) } } },
      {
        worker: (run, n, at) => {
          run.spawned();
          // Runs 1 and 2 crash at once; run 3 is stable (6000 ms ≥ resetAfterMs) before it crashes; then crashes.
          at(n === 3 ? 6000 : 10, () => run.exitWith(1));
        },
      },
      { endWhenAllEnded: false },
    );
    scheduler.flush();
    // 0 → crash 10, +100 → 110 → crash 120, +200 → 320 → stable until 6320, reset: +100 → 6420 → 6430 +200 → 6630
    // → crash 6640: 2 restarts since the reset → failed.
    expect(starts()).to.deep.equal(['worker@0', 'worker@110', 'worker@320', 'worker@6420', 'worker@6630']);
    expect(supervisor.state.services[0]!.status).to.equal('failed');
  });

  it('counts restarts within the window only', () => {
    const { scheduler, starts, supervisor } = fakeSupervisor(
      {
        services: {
          worker: {
            command: 'w',
            restart: {
              policy: 'always',
              maxRestarts: 1,
              windowMs: 1000,
              backoff: { initialMs: 10, factor: 1, jitter: 0 },
            },
          },
        },
      },
      { worker: exitsAfter(2000, 1) },
      { endWhenAllEnded: false },
    );
    scheduler.schedule(() => supervisor.stop(), 10_000);
    scheduler.flush();
    // Each run lasts 2 s, longer than the window: the single allowed restart is never used up.
    expect(starts()).to.deep.equal(['worker@0', 'worker@2010', 'worker@4020', 'worker@6030', 'worker@8040']);
  });

  it("'on-failure' does not restart after exit 0; 'always' does", () => {
    const setup = fakeSupervisor(
      {
        services: {
          task: { command: 't', restart: exact('on-failure') },
          loop: { command: 'l', restart: exact('always', { maxRestarts: 1 }) },
        },
      },
      { task: exitsAfter(10, 0), loop: exitsAfter(10, 0) },
      { endWhenAllEnded: false },
    );
    setup.scheduler.flush();
    expect(setup.starts()).to.deep.equal(['task@0', 'loop@0', 'loop@110']);
    expect(setup.supervisor.state.services.map((s) => s.status)).to.deep.equal(['completed', 'failed']);
  });

  it("'unless-stopped' leaves a service killed by someone else's signal stopped; 'always' restarts it", () => {
    const killedBySomeone = exitsAfter(10, 0);
    const setup = fakeSupervisor(
      {
        services: {
          a: { command: 'a', restart: exact('unless-stopped') },
          b: { command: 'b', restart: exact('always', { maxRestarts: 1 }) },
        },
      },
      {
        a: (run, _n, at) => {
          run.spawned();
          at(10, () => run.exitWith(null, 'SIGTERM'));
        },
        b: (run, n, at) =>
          n === 1
            ? (run.spawned(), at(10, () => run.exitWith(null, 'SIGTERM')))
            : killedBySomeone(run, n, at),
      },
      { endWhenAllEnded: false },
    );
    setup.scheduler.flush();
    expect(setup.starts()).to.deep.equal(['a@0', 'b@0', 'b@110']);
    expect(setup.supervisor.state.services[0]!.status).to.equal('stopped');
    expect(setup.supervisor.state.services[0]!.reason).to.equal(
      'killed by SIGTERM, a signal rxproc did not send',
    );
  });

  it('restarts a service whose liveness probe fails, counting it as a failure', () => {
    const setup = fakeSupervisor(
      {
        services: {
          api: {
            command: 'api',
            liveness: { tcp: { port: 1 } },
            restart: exact('on-failure', { maxRestarts: 1 }),
          },
        },
      },
      { api: (run) => run.spawned() },
      { endWhenAllEnded: false },
      {
        probe: (_probe, _context, role) =>
          role === 'liveness'
            ? of({ ok: false, failures: 3, error: 'refused', verdict: 'unhealthy' as const })
            : of(),
      },
    );
    setup.scheduler.flush();
    expect(setup.starts()).to.deep.equal(['api@0', 'api@110']);
    expect(setup.runs.map((r) => r.terminateCalls)).to.deep.equal([[0], [110]]);
    expect(setup.supervisor.state.services[0]!.reason).to.match(
      /liveness failed 3 times: refused; restarts exhausted/,
    );
  });

  it('a failed service with onExhausted: shutdown stops the supervisor in order', async () => {
    const setup = fakeSupervisor(
      {
        services: {
          db: { command: 'db', ready: { log: /ready/ } },
          worker: {
            command: 'w',
            dependsOn: { db: 'ready' },
            restart: exact('on-failure', { maxRestarts: 0, onExhausted: 'shutdown' }),
          },
        },
      },
      { db: readyAfter(5), worker: crashing },
    );
    setup.scheduler.flush();
    const report = await setup.supervisor.stopped;
    expect(report.reason).to.deep.equal({ type: 'serviceFailed', service: 'worker' });
    expect(setup.runsOf('db')[0]!.terminateCalls).to.deep.equal([15]);
  });

  it('onExhausted: stop-dependents stops what depends on the failed service, and nothing else', () => {
    const setup = fakeSupervisor(
      {
        services: {
          cache: {
            command: 'c',
            restart: exact('on-failure', { maxRestarts: 0, onExhausted: 'stop-dependents' }),
          },
          api: { command: 'api', dependsOn: { cache: 'started' } },
          web: { command: 'web', dependsOn: { api: 'started' } },
          other: { command: 'o' },
        },
      },
      { cache: exitsAfter(50, 1) },
      { endWhenAllEnded: false },
    );
    setup.scheduler.flush();
    expect(setup.supervisor.state.services.map((s) => [s.name, s.status])).to.deep.equal([
      ['cache', 'failed'],
      ['api', 'stopped'],
      ['web', 'stopped'],
      ['other', 'running'],
    ]);
    expect(setup.supervisor.state.services[1]!.reason).to.equal('dependency cache failed');
  });
});
