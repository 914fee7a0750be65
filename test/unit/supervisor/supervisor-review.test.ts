// Regressions found in review: each was a failing test before its fix.
import { expect } from 'chai';
import { fakeSupervisor, readyAfter } from '../../support/fake-services.js';

const stack = {
  services: {
    db: { command: 'db', ready: { log: /ready/ } },
    api: { command: 'api', dependsOn: { db: 'ready' as const }, ready: { log: /ready/ } },
    web: { command: 'web', dependsOn: { api: 'ready' as const } },
  },
};

describe('supervise: review regressions (virtual time)', () => {
  it('F1 a second stop leaves no service in "running" once stopped', async () => {
    const setup = fakeSupervisor(stack, { db: readyAfter(10), api: readyAfter(10), web: readyAfter(0) });
    setup.scheduler.schedule(() => {
      for (const run of setup.runs) run.stopDelay = Infinity;
      void setup.supervisor.stop();
    }, 100);
    setup.scheduler.schedule(() => void setup.supervisor.stop(), 5000);
    setup.scheduler.flush();
    await setup.supervisor.stopped;
    expect(setup.supervisor.state.services.map((s) => s.status)).to.deep.equal([
      'stopped',
      'stopped',
      'stopped',
    ]);
  });

  it('F1b a dependency that exits by itself during the ordered stop ends in an ended status', async () => {
    const setup = fakeSupervisor(
      { services: { db: { command: 'db' }, web: { command: 'web', dependsOn: { db: 'started' as const } } } },
      {
        db: (run, _n, at) => {
          run.spawned();
          at(105, () => run.exitWith(0));
        },
        web: readyAfter(0),
      },
    );
    setup.scheduler.schedule(() => void setup.supervisor.stop(), 100);
    setup.scheduler.flush();
    await setup.supervisor.stopped;
    expect(setup.supervisor.state.services[0]!.status).not.to.equal('running');
  });

  it('F2 stopService of the last running service emits its "stopped" event, and a manual stop does not end the supervisor', async () => {
    const setup = fakeSupervisor({ services: { api: { command: 'api' } } }, {});
    setup.scheduler.schedule(() => void setup.supervisor.stopService('api'), 100);
    setup.scheduler.flush();
    expect(setup.events.map((e) => e.type)).to.include('stopped');
    expect(setup.supervisor.state.phase).to.equal('running');
    setup.supervisor.startService('api');
    setup.scheduler.flush();
    expect(setup.supervisor.state.services[0]!.status).to.equal('running');
    void setup.supervisor.stop();
    setup.scheduler.flush();
    await setup.supervisor.stopped;
    const types = setup.events.map((e) => e.type);
    expect(types.lastIndexOf('stopped')).to.be.below(types.indexOf('shutdownCompleted'));
  });

  it('F3 startService waits for a fresh readiness of a restarted dependency', async () => {
    const setup = fakeSupervisor(
      {
        services: {
          db: { command: 'db', ready: { log: /ready/ } },
          api: { command: 'api', dependsOn: { db: 'ready' as const } },
        },
      },
      { db: readyAfter(50), api: readyAfter(0) },
      { endWhenAllEnded: false },
    );
    setup.scheduler.schedule(() => {
      void setup.supervisor.stopService('api');
      void setup.supervisor.stopService('db');
    }, 100);
    setup.scheduler.schedule(() => setup.supervisor.startService('api'), 200);
    setup.scheduler.flush();
    expect(setup.starts()).to.deep.equal(['db@0', 'api@50', 'db@200', 'api@250']);
  });

  it('F4 startService after a synchronous spawn failure starts it again', () => {
    const setup = fakeSupervisor(
      { services: { bad: { command: 'bad' }, other: { command: 'other' } } },
      { bad: (run, n) => (n === 1 ? run.spawnFails() : run.spawned()) },
    );
    setup.scheduler.schedule(() => setup.supervisor.startService('bad'), 100);
    setup.scheduler.flush();
    expect(setup.runsOf('bad')).to.have.length(2);
  });

  it('F5 restart() of a dependency does not skip a dependent waiting on it', async () => {
    const setup = fakeSupervisor(
      {
        services: {
          db: { command: 'db', ready: { log: /ready/, timeoutMs: null } },
          web: { command: 'web', dependsOn: { db: 'ready' as const } },
        },
      },
      {
        db: (run, n, at) => {
          run.spawned();
          if (n === 2) at(50, () => run.print('ready'));
        },
        web: readyAfter(0),
      },
    );
    const restarted = (async () => {
      await new Promise((r) => setTimeout(r, 0));
    })();
    setup.scheduler.schedule(() => void setup.supervisor.restart('db'), 100);
    setup.scheduler.flush();
    await restarted;
    setup.scheduler.flush();
    expect(setup.supervisor.state.services.find((s) => s.name === 'web')!.status).to.equal('running');
  });

  it('F6 ready() does not resolve for a service whose spawn fails', async () => {
    const setup = fakeSupervisor(
      { services: { api: { command: 'api' } } },
      { api: (run, _n, at) => at(10, () => run.spawnFails()) },
      { endWhenAllEnded: false },
    );
    const ready = setup.supervisor.ready().then(
      () => 'resolved',
      () => 'rejected',
    );
    setup.scheduler.flush();
    expect(await ready).to.equal('rejected');
  });

  it('F7 endWhenAllEnded also applies when everything ended while constructing', async () => {
    const setup = fakeSupervisor(
      {
        services: {
          tool: { command: 't', autostart: false },
          app: { command: 'a', dependsOn: { tool: 'started' as const } },
        },
      },
      {},
    );
    setup.scheduler.flush();
    expect(setup.supervisor.state.phase).to.equal('stopped');
  });
});
