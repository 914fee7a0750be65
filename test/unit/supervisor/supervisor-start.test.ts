import { expect } from 'chai';
import {
  DependencyCycleError,
  SupervisorConfigError,
  ServiceNotReadyError,
  UnknownServiceError,
} from '../../../src/index.js';
import { exitsAfter, fakeSupervisor, readyAfter } from '../../support/fake-services.js';
import { supervise } from '../../../src/index.js';
import { rejectionOf } from '../../support/rejection.js';

describe('supervise: configuration and start order (virtual time)', () => {
  describe('refuses a wrong configuration before anything starts', () => {
    const cases: [string, unknown, string][] = [
      [
        'an unknown dependency',
        { services: { api: { command: 'x', dependsOn: { db: 'ready' } } } },
        'services.api.dependsOn.db',
      ],
      [
        'an unknown condition',
        { services: { db: { command: 'x' }, api: { command: 'x', dependsOn: { db: 'healthy' } } } },
        'services.api.dependsOn.db',
      ],
      [
        'an unknown option (a typo)',
        { services: { api: { command: 'x', dependOn: {} } } },
        'services.api.dependOn',
      ],
      ['an empty command', { services: { api: { command: ' ' } } }, 'services.api.command'],
      [
        'a bad restart policy',
        { services: { api: { command: 'x', restart: 'sometimes' } } },
        'services.api.restart.policy',
      ],
      [
        'a negative backoff',
        { services: { api: { command: 'x', restart: { policy: 'always', backoff: { initialMs: -1 } } } } },
        'services.api.restart.backoff.initialMs',
      ],
      [
        'NaN as a window',
        { services: { api: { command: 'x', restart: { policy: 'always', windowMs: NaN } } } },
        'services.api.restart.windowMs',
      ],
      ['a dotted name', { services: { 'api.v2': { command: 'x' } } }, 'services.api.v2'],
      ['zero replicas', { services: { api: { command: 'x', replicas: 0 } } }, 'services.api.replicas'],
      [
        'a shutdown that is not a GracefulShutdown',
        { services: { api: { command: 'x', shutdown: { signal: 'SIGTERM' } } } },
        'services.api.shutdown',
      ],
      ['no services', { services: {} }, 'services'],
      [
        "'succeeded' on a service restarted after every exit",
        {
          services: {
            db: { command: 'x', restart: 'always' },
            api: { command: 'x', dependsOn: { db: 'succeeded' } },
          },
        },
        'services.api.dependsOn.db',
      ],
    ];
    for (const [title, config, path] of cases) {
      it(title, () => {
        let thrown: unknown;
        try {
          supervise(config as never, { parentSignals: 'none' });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).to.be.instanceOf(SupervisorConfigError);
        expect((thrown as SupervisorConfigError).path).to.equal(path);
      });
    }

    it('names the cycle', () => {
      let thrown: unknown;
      try {
        supervise({
          services: {
            a: { command: 'x', dependsOn: { c: 'started' } },
            b: { command: 'x', dependsOn: { a: 'ready' } },
            c: { command: 'x', dependsOn: { b: 'ready' } },
          },
        });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(DependencyCycleError);
      expect((thrown as DependencyCycleError).cycle).to.deep.equal(['a', 'c', 'b', 'a']);
    });
  });

  it('starts each service once its dependencies meet their conditions', () => {
    const { scheduler, starts, supervisor } = fakeSupervisor(
      {
        services: {
          db: { command: 'db', ready: { log: /ready/ } },
          api: { command: 'api', dependsOn: { db: 'ready' }, ready: { log: /ready/ } },
          migrate: { command: 'migrate', dependsOn: { db: 'ready' } },
          e2e: { command: 'e2e', dependsOn: { api: 'ready', migrate: 'succeeded' } },
          watch: { command: 'watch', dependsOn: { db: 'started' } },
        },
      },
      { db: readyAfter(100), api: readyAfter(50), migrate: exitsAfter(200, 0), e2e: exitsAfter(10, 0) },
    );
    scheduler.flush();
    expect(starts()).to.deep.equal(['db@0', 'watch@0', 'api@100', 'migrate@100', 'e2e@300']);
    expect(supervisor.state.services.map((s) => [s.name, s.status])).to.deep.include.members([
      ['migrate', 'completed'],
      ['e2e', 'completed'],
      ['api', 'running'],
    ]);
  });

  it('lists services dependencies first, otherwise in configuration order', () => {
    const { supervisor } = fakeSupervisor(
      {
        services: {
          web: { command: 'w', dependsOn: { api: 'started' } },
          api: { command: 'a' },
          tool: { command: 't' },
        },
      },
      {},
    );
    expect(supervisor.state.services.map((s) => s.name)).to.deep.equal(['api', 'web', 'tool']);
  });

  it('a line printed before the readiness probe subscribed still counts', () => {
    const { scheduler, starts } = fakeSupervisor(
      {
        services: {
          db: { command: 'db', ready: { log: 'listening' } },
          api: { command: 'api', dependsOn: { db: 'ready' } },
        },
      },
      {
        db: (run) => {
          run.print('listening on 5432');
          run.spawned();
        },
      },
    );
    scheduler.flush();
    expect(starts()).to.deep.equal(['db@0', 'api@0']);
  });

  it('skips dependents, with the reason, when a dependency fails before its condition (nothing waits forever)', () => {
    const { scheduler, supervisor, starts, events } = fakeSupervisor(
      {
        services: {
          db: { command: 'db', ready: { log: /ready/, timeoutMs: 1000 } },
          api: { command: 'api', dependsOn: { db: 'ready' } },
          e2e: { command: 'e2e', dependsOn: { api: 'started' } },
          other: { command: 'other' },
        },
      },
      { db: (run) => run.spawned() },
      { endWhenAllEnded: false },
    );
    scheduler.flush();
    expect(starts()).to.deep.equal(['db@0', 'other@0']);
    const state = Object.fromEntries(supervisor.state.services.map((s) => [s.name, s]));
    expect(state['db']!.status).to.equal('failed');
    expect(state['db']!.reason).to.match(/readiness failed/);
    expect(state['api']!.status).to.equal('skipped');
    expect(state['api']!.reason).to.match(/^db failed .*before it was ready/);
    expect(state['e2e']!.status).to.equal('skipped');
    expect(state['e2e']!.reason).to.match(/^api skipped/);
    expect(
      events.filter((e) => e.type === 'skipped').map((e) => `${'service' in e ? e.service : ''}@${e.at}`),
    ).to.deep.equal(['api@1010', 'e2e@1010']);
  });

  it("skips a 'succeeded' dependent when the dependency exits non-zero", () => {
    const { scheduler, supervisor } = fakeSupervisor(
      { services: { migrate: { command: 'm' }, app: { command: 'a', dependsOn: { migrate: 'succeeded' } } } },
      { migrate: exitsAfter(5, 2) },
    );
    scheduler.flush();
    const app = supervisor.state.services.find((s) => s.name === 'app')!;
    expect(app.status).to.equal('skipped');
    expect(app.reason).to.contain('exited 2');
  });

  it('a spawn failure fails the service and skips its dependents', () => {
    const { scheduler, supervisor } = fakeSupervisor(
      { services: { db: { command: 'nope' }, api: { command: 'api', dependsOn: { db: 'started' } } } },
      { db: (run) => run.spawnFails() },
    );
    scheduler.flush();
    expect(supervisor.state.services.map((s) => [s.name, s.status])).to.deep.equal([
      ['db', 'failed'],
      ['api', 'skipped'],
    ]);
    expect(supervisor.state.services[0]!.reason).to.match(/spawn failed/);
  });

  it('replicas: api.1 and api.2, each with its index in the environment; a dependent waits for both', () => {
    const { scheduler, starts, runs } = fakeSupervisor(
      {
        services: {
          api: { command: 'api', replicas: 2, ready: { log: /ready/ } },
          web: { command: 'web', dependsOn: { api: 'ready' } },
        },
      },
      {
        api: (run, _n, at) => {
          run.spawned();
          at(run.launch.name === 'api.1' ? 10 : 30, () => run.print('ready'));
        },
      },
    );
    scheduler.flush();
    expect(starts()).to.deep.equal(['api.1@0', 'api.2@0', 'web@30']);
    expect(
      runs.map((r) => [r.launch.name, r.launch.env['RXPROC_REPLICA'], r.launch.env['RXPROC_REPLICAS']]),
    ).to.deep.equal([
      ['api.1', '1', '2'],
      ['api.2', '2', '2'],
      ['web', undefined, undefined],
    ]);
  });

  describe('ready()', () => {
    it('resolves once every service is running and ready (a one-shot that succeeded counts)', async () => {
      const { scheduler, supervisor } = fakeSupervisor(
        {
          services: {
            db: { command: 'db', ready: { log: /ready/ } },
            migrate: { command: 'm', dependsOn: { db: 'ready' } },
          },
        },
        { db: readyAfter(100), migrate: exitsAfter(50, 0) },
      );
      const ready = supervisor.ready();
      let settled = false;
      void ready.then(() => (settled = true));
      scheduler.flush();
      await ready;
      expect(settled).to.equal(true);
    });

    it('rejects naming the service that will not be ready', async () => {
      const { scheduler, supervisor } = fakeSupervisor(
        {
          services: {
            db: { command: 'db', ready: { log: /ready/, timeoutMs: 500 } },
            api: { command: 'api', dependsOn: { db: 'ready' } },
          },
        },
        { db: (run) => run.spawned() },
        { endWhenAllEnded: false },
      );
      const ready = rejectionOf(supervisor.ready(['api']));
      scheduler.flush();
      const error = await ready;
      expect(error).to.be.instanceOf(ServiceNotReadyError);
      expect((error as ServiceNotReadyError).service).to.equal('api');
      expect((error as ServiceNotReadyError).status).to.equal('skipped');
    });

    it('throws UnknownServiceError for a name that is not a service', () => {
      const { supervisor } = fakeSupervisor({ services: { db: { command: 'db' } } }, {});
      expect(() => supervisor.ready(['dbb'])).to.throw(UnknownServiceError);
    });
  });
});
