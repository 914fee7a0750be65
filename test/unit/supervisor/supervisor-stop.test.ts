import { expect } from 'chai';
import { type SupervisorState, SupervisorStoppedError } from '../../../src/index.js';
import { exitsAfter, fakeSupervisor, readyAfter } from '../../support/fake-services.js';

const stack = {
  services: {
    db: { command: 'db', ready: { log: /ready/ } },
    api: { command: 'api', dependsOn: { db: 'ready' as const }, ready: { log: /ready/ } },
    migrate: { command: 'migrate', dependsOn: { db: 'ready' as const } },
    web: { command: 'web', dependsOn: { api: 'ready' as const } },
  },
};
const scripts = { db: readyAfter(10), api: readyAfter(10), migrate: readyAfter(0), web: readyAfter(0) };

describe('supervise: ordered stop (virtual time)', () => {
  it('stops in reverse dependency order, in parallel within a level, and reports every service', async () => {
    const setup = fakeSupervisor(stack, scripts);
    setup.scheduler.schedule(() => void setup.supervisor.stop(), 100);
    setup.scheduler.flush();
    const report = await setup.supervisor.stopped;
    // Nothing depends on web and migrate: together at 100; api when web is down (+10); db last.
    expect(setup.runs.map((r) => [r.launch.name, r.terminateCalls])).to.deep.equal([
      ['db', [120]],
      ['api', [110]],
      ['migrate', [100]],
      ['web', [100]],
    ]);
    expect(report.services.map((s) => [s.service, s.outcome])).to.deep.equal([
      ['migrate', 'terminated'],
      ['web', 'terminated'],
      ['api', 'terminated'],
      ['db', 'terminated'],
    ]);
    expect(report.reason).to.deep.equal({ type: 'request' });
    expect(report.forced).to.equal(false);
    expect(report.durationMs).to.equal(30);
    expect(setup.supervisor.state.services.every((s) => s.status === 'stopped')).to.equal(true);
  });

  it('a second stop kills what is still stopping, and the levels still to come', async () => {
    const setup = fakeSupervisor(stack, scripts);
    setup.scheduler.schedule(() => {
      for (const run of setup.runs) run.stopDelay = Infinity; // nothing ends gracefully
      void setup.supervisor.stop();
    }, 100);
    setup.scheduler.schedule(() => void setup.supervisor.stop(), 5000);
    setup.scheduler.flush();
    const report = await setup.supervisor.stopped;
    expect(report.forced).to.equal(true);
    expect(setup.runsOf('web')[0]!.killCalls).to.deep.equal([5000]);
    expect(setup.runsOf('db')[0]!.terminateCalls).to.deep.equal([]);
    expect(setup.runsOf('db')[0]!.killCalls).to.deep.equal([5000]);
    expect(setup.events.some((e) => e.type === 'shutdown' && e.stage === 'forced')).to.equal(true);
    // Killed before their level came: still reported as terminated, each with its 'stopped' event.
    expect(report.services.map((s) => [s.service, s.outcome])).to.have.deep.members([
      ['db', 'terminated'],
      ['api', 'terminated'],
      ['migrate', 'terminated'],
      ['web', 'terminated'],
    ]);
    expect(
      setup.events.filter((e) => e.type === 'stopped').map((e) => ('service' in e ? e.service : '')),
    ).to.have.members(['db', 'api', 'migrate', 'web']);
    expect(setup.supervisor.state.services.every((s) => s.status === 'stopped')).to.equal(true);
  });

  it('a stop cancels a pending restart and a pending start', async () => {
    const setup = fakeSupervisor(
      {
        services: {
          worker: { command: 'w', restart: { policy: 'always', backoff: { initialMs: 1000, jitter: 0 } } },
          late: { command: 'late', dependsOn: { never: 'ready' } },
          never: { command: 'n', ready: { log: /never/, timeoutMs: null } },
        },
      },
      { worker: exitsAfter(10, 1), never: (run) => run.spawned() },
    );
    setup.scheduler.schedule(() => void setup.supervisor.stop(), 500);
    setup.scheduler.flush();
    await setup.supervisor.stopped;
    expect(setup.starts()).to.deep.equal(['worker@0', 'never@0']);
    expect(setup.supervisor.state.services.map((s) => [s.name, s.status])).to.deep.equal([
      ['worker', 'stopped'],
      ['never', 'stopped'],
      ['late', 'stopped'],
    ]);
  });

  it('no restart fires while the levels above are still stopping', async () => {
    const setup = fakeSupervisor(
      {
        services: {
          db: { command: 'db', restart: { policy: 'always', backoff: { initialMs: 100, jitter: 0 } } },
          api: { command: 'api', dependsOn: { db: 'started' } },
        },
      },
      {
        db: exitsAfter(10, 1),
        api: (run) => {
          run.spawned();
          run.stopDelay = 1000;
        },
      },
    );
    // db is in backoff until 110; api takes until 1050 to stop; db's level comes after it.
    setup.scheduler.schedule(() => void setup.supervisor.stop(), 50);
    setup.scheduler.flush();
    await setup.supervisor.stopped;
    expect(setup.starts()).to.deep.equal(['db@0', 'api@0']);
    expect(setup.statuses('db')).to.include('stopped@50');
  });

  it('a termination that fails is reported as failed, with the error', async () => {
    const setup = fakeSupervisor({ services: { api: { command: 'api' } } }, {});
    setup.scheduler.schedule(() => {
      setup.runs[0]!.failTerminationWith(new Error('SIGKILL did not end it'));
      void setup.supervisor.stop();
    }, 10);
    setup.scheduler.flush();
    const report = await setup.supervisor.stopped;
    expect(report.services[0]!.outcome).to.equal('failed');
    expect(report.services[0]!.error?.message).to.equal('SIGKILL did not end it');
    expect(setup.supervisor.state.services[0]!.status).to.equal('failed');
  });

  it('stops by itself once every service ended on its own', async () => {
    const setup = fakeSupervisor(
      { services: { a: { command: 'a' }, b: { command: 'b', dependsOn: { a: 'succeeded' } } } },
      { a: exitsAfter(10, 0), b: exitsAfter(10, 0) },
    );
    setup.scheduler.flush();
    const report = await setup.supervisor.stopped;
    expect(report.reason).to.deep.equal({ type: 'allEnded' });
    expect(report.services.every((s) => s.outcome === 'notRunning')).to.equal(true);
  });

  it('keeps output$ open for the lines a service prints after its exit, then completes', async () => {
    const setup = fakeSupervisor(
      { services: { task: { command: 't' } } },
      {
        task: (run, _n, at) => {
          run.lingerOutput = true;
          run.spawned();
          at(10, () => run.exitWith(1));
          at(20, () => run.print('Error: the last words'));
          at(30, () => run.endOutput());
        },
      },
    );
    const lines: string[] = [];
    let completedAt: number | undefined;
    setup.supervisor.output$.subscribe({
      next: (line) => lines.push(line.line),
      complete: () => (completedAt = setup.scheduler.now()),
    });
    setup.scheduler.flush();
    await setup.supervisor.stopped;
    expect(lines).to.deep.equal(['Error: the last words']);
    expect(completedAt).to.equal(30);
  });

  describe('parent signals', () => {
    it('the first stop signal is one ordered stop; the second kills; then the signal is raised again', async () => {
      const setup = fakeSupervisor(stack, scripts);
      setup.scheduler.schedule(() => {
        for (const run of setup.runs) run.stopDelay = Infinity;
        setup.signals.raise('SIGINT');
      }, 100);
      setup.scheduler.schedule(() => setup.signals.raise('SIGINT'), 200);
      setup.scheduler.flush();
      const report = await setup.supervisor.stopped;
      expect(report.reason).to.deep.equal({ type: 'signal', signal: 'SIGINT' });
      expect(report.forced).to.equal(true);
      expect(setup.runsOf('web')[0]!.terminateCalls).to.deep.equal([100]);
      expect(setup.runsOf('db')[0]!.killCalls).to.deep.equal([200]);
      expect(setup.signals.reraised).to.deep.equal(['SIGINT']);
      expect(setup.signals.handlers).to.equal(undefined);
    });

    it('one signal delivered twice at once (terminal and a relaying parent) is one ordered stop', async () => {
      const setup = fakeSupervisor(stack, scripts);
      setup.scheduler.schedule(() => {
        setup.signals.raise('SIGINT');
        setup.signals.raise('SIGINT');
      }, 100);
      setup.scheduler.flush();
      const report = await setup.supervisor.stopped;
      expect(report.forced).to.equal(false);
      expect(setup.runs.every((run) => run.killCalls.length === 0)).to.equal(true);
    });

    it('does not raise the signal again when the application listens for it too', async () => {
      const setup = fakeSupervisor(stack, scripts);
      setup.signals.others = 1;
      setup.scheduler.schedule(() => setup.signals.raise('SIGTERM'), 100);
      setup.scheduler.flush();
      const report = await setup.supervisor.stopped;
      expect(report.forced).to.equal(false);
      expect(setup.signals.reraised).to.deep.equal([]);
    });

    it("'none' leaves the signals to the application", () => {
      const setup = fakeSupervisor(stack, scripts, { parentSignals: 'none' });
      expect(setup.signals.handlers).to.equal(undefined);
    });
  });

  describe('one service', () => {
    it('stopService stops every replica, dependents keep running; startService starts it again', async () => {
      const setup = fakeSupervisor(
        {
          services: {
            api: { command: 'api', replicas: 2 },
            web: { command: 'web', dependsOn: { api: 'started' } },
          },
        },
        {},
      );
      setup.scheduler.flush();
      const stopping = setup.supervisor.stopService('api');
      setup.scheduler.flush();
      const reports = await stopping;
      expect(reports.map((r) => [r.service, r.outcome])).to.deep.equal([
        ['api.1', 'terminated'],
        ['api.2', 'terminated'],
      ]);
      expect(setup.supervisor.state.services.map((s) => s.status)).to.deep.equal([
        'stopped',
        'stopped',
        'running',
      ]);
      setup.supervisor.startService('api.2');
      setup.scheduler.flush();
      expect(setup.supervisor.state.services.map((s) => s.status)).to.deep.equal([
        'stopped',
        'running',
        'running',
      ]);
    });

    it('restart() stops and starts the service with a fresh restart count', async () => {
      const setup = fakeSupervisor({ services: { api: { command: 'api' } } }, {});
      const restarted = setup.supervisor.restart('api');
      setup.scheduler.flush();
      await restarted;
      expect(setup.starts()).to.deep.equal(['api@0', 'api@10']);
      expect(setup.supervisor.state.phase).to.equal('running');
    });

    it('startService after the stop is a SupervisorStoppedError', async () => {
      const setup = fakeSupervisor({ services: { api: { command: 'api' } } }, {});
      void setup.supervisor.stop();
      setup.scheduler.flush();
      await setup.supervisor.stopped;
      expect(() => setup.supervisor.startService('api')).to.throw(SupervisorStoppedError);
    });
  });

  it("pauseOutput() holds every run's output, new runs too, until released; an exit lets go", () => {
    const setup = fakeSupervisor(
      {
        services: {
          a: { command: 'a' },
          b: { command: 'b', dependsOn: { a: 'started' } },
          c: { command: 'c', autostart: false },
        },
      },
      { a: (run) => run.spawned(), b: (run) => run.spawned(), c: exitsAfter(10, 0) },
      { endWhenAllEnded: false },
    );
    setup.scheduler.flush();
    const release = setup.supervisor.pauseOutput();
    const again = setup.supervisor.pauseOutput();
    expect(setup.runs.map((r) => r.holds)).to.deep.equal([1, 1]);
    setup.supervisor.startService('c');
    expect(setup.runsOf('c')[0]!.holds).to.equal(1);
    setup.scheduler.flush(); // c exits: its hold is let go
    expect(setup.runsOf('c')[0]!.holds).to.equal(0);
    release();
    expect(setup.runs.map((r) => r.holds)).to.deep.equal([1, 1, 0]); // one hold is still open
    again();
    again();
    expect(setup.runs.map((r) => r.holds)).to.deep.equal([0, 0, 0]);
  });

  describe('state$', () => {
    it('coalesces a flood of lines into at most one snapshot per interval, with the last line', () => {
      const setup = fakeSupervisor(
        { services: { chatty: { command: 'c' } } },
        {
          chatty: (run, _n, at) => {
            run.spawned();
            at(100, () => {
              for (let i = 1; i <= 10_000; i++) run.print(`line ${i}`);
            });
          },
        },
      );
      const snapshots: SupervisorState[] = [];
      setup.supervisor.state$.subscribe((state) => snapshots.push(state));
      setup.scheduler.schedule(() => void setup.supervisor.stop(), 1000);
      setup.scheduler.flush();
      const lines = snapshots.map((s) => s.services[0]!.lastLine);
      expect(snapshots.length).to.be.below(8);
      expect(lines).to.include('line 10000');
      expect(snapshots.at(-1)!.phase).to.equal('stopped');
    });

    it('output$ replays a bounded number of lines to late subscribers and cuts over-long lines', () => {
      const setup = fakeSupervisor(
        { services: { chatty: { command: 'c' } } },
        {
          chatty: (run) => {
            run.spawned();
            for (let i = 1; i <= 50; i++) run.print(`line ${i}`);
            run.print('x'.repeat(30));
          },
        },
        { outputReplay: 5, maxLineLength: 20 },
      );
      const late: string[] = [];
      setup.supervisor.output$.subscribe((line) => late.push(`${line.line}${line.truncated ? '…' : ''}`));
      expect(late).to.deep.equal(['line 47', 'line 48', 'line 49', 'line 50', `${'x'.repeat(20)}…`]);
    });
  });
});
