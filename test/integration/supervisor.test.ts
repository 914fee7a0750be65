import { expect } from 'chai';
import { spawn as spawnRaw } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GracefulShutdown, type Supervisor, type SupervisorEvent, supervise } from '../../src/index.js';
import { isPidAlive } from '../support/processes.js';
import { waitUntil } from '../support/wait.js';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('supervise (real processes)', function () {
  this.timeout(30_000);
  let running: Supervisor | undefined;
  afterEach(async () => {
    await running?.kill();
    running = undefined;
  });

  const start = (...args: Parameters<typeof supervise>): Supervisor => {
    running = supervise(args[0], { parentSignals: 'none', ...args[1] });
    return running;
  };

  it('starts on a log line, stops real trees in reverse order, and leaves nothing behind', async () => {
    const tree = (name: string): string => `sleep 300 & echo ${name} up; wait`;
    const supervisor = start({
      services: {
        db: { command: 'sh', args: ['-c', tree('db')], ready: { log: 'db up' } },
        api: {
          command: 'sh',
          args: ['-c', tree('api')],
          dependsOn: { db: 'ready' },
          ready: { log: /api up/ },
        },
      },
      shutdown: GracefulShutdown.sigterm(2000),
    });
    await supervisor.ready();
    const pids = supervisor.state.services.map((s) => s.pid!);
    const order: string[] = [];
    supervisor.events$.subscribe((event) => {
      if (event.type === 'stopped') order.push(event.service);
    });
    const report = await supervisor.stop();
    expect(order).to.deep.equal(['api', 'db']);
    expect(report.services.map((s) => [s.service, s.outcome])).to.deep.equal([
      ['api', 'terminated'],
      ['db', 'terminated'],
    ]);
    for (const service of report.services) expect(service.report!.stillAlive).to.deep.equal([]);
    expect(pids.filter(isPidAlive)).to.deep.equal([]);
  });

  it('waits on real TCP, HTTP and command probes before starting dependents', async () => {
    const tcpServer = `require('node:net').createServer((s) => s.end()).listen(0, '127.0.0.1', function () {
      require('node:fs').writeFileSync(process.env.PORT_FILE, String(this.address().port)); })`;
    const dir = mkdtempSync(join(tmpdir(), 'rxproc-probes-'));
    try {
      const port = await freePort();
      const httpServer = `setTimeout(() => require('node:http').createServer((q, r) => { r.writeHead(q.url === '/health' ? 204 : 404); r.end(); }).listen(${port}, '127.0.0.1'), 300)`;
      const supervisor = start({
        services: {
          tcp: {
            command: process.execPath,
            args: ['-e', tcpServer],
            env: { PORT_FILE: join(dir, 'tcp') },
            ready: { exec: { command: 'test', args: ['-s', join(dir, 'tcp')] }, intervalMs: 50 },
          },
          http: {
            command: process.execPath,
            args: ['-e', httpServer],
            ready: { http: { url: `http://127.0.0.1:${port}/health`, statuses: [204] }, intervalMs: 50 },
          },
          app: { command: 'sleep', args: ['300'], dependsOn: { tcp: 'ready', http: 'ready' } },
        },
      });
      const probes: string[] = [];
      supervisor.events$.subscribe((event) => {
        if (event.type === 'probe' && event.ok) probes.push(`${event.service} ${event.kind}`);
      });
      await supervisor.ready(['app']);
      expect(probes).to.have.members(['tcp exec', 'http http']);
      const tcpPort = Number(readFileSync(join(dir, 'tcp'), 'utf8'));
      const tcpProbe = supervise(
        {
          services: {
            probe: { command: 'sleep', args: ['300'], ready: { tcp: { port: tcpPort }, intervalMs: 50 } },
          },
        },
        { parentSignals: 'none' },
      );
      try {
        await tcpProbe.ready();
      } finally {
        await tcpProbe.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('restarts a real crash loop with backoff, then fails it', async () => {
    const supervisor = start(
      {
        services: {
          crash: {
            command: 'sh',
            args: ['-c', 'echo boom; exit 3'],
            restart: { policy: 'on-failure', maxRestarts: 2, backoff: { initialMs: 50, jitter: 0 } },
          },
        },
      },
      { endWhenAllEnded: false },
    );
    const events: SupervisorEvent[] = [];
    supervisor.events$.subscribe((event) => events.push(event));
    await waitUntil(
      'the crash loop failed',
      () => supervisor.state.services[0]!.status === 'failed' || undefined,
    );
    expect(events.filter((e) => e.type === 'started')).to.have.length(3);
    expect(events.flatMap((e) => (e.type === 'restartScheduled' ? [e.delayMs] : []))).to.deep.equal([
      50, 100,
    ]);
    expect(supervisor.state.services[0]!.reason).to.equal('exited 3; restarts exhausted (2/2)');
  });

  it('samples usage of each running service from the shared table', async () => {
    const supervisor = start(
      { services: { a: { command: 'sh', args: ['-c', 'sleep 300 & wait'] } } },
      { usageIntervalMs: 100 },
    );
    const usage = await waitUntil('a usage sample', () => supervisor.state.services[0]!.usage);
    expect(usage.processes).to.equal(2);
    expect(usage.rssBytes).to.be.above(0);
  });

  it('Ctrl-C to a parent process: one ordered graceful stop, nothing left, the parent ends by SIGINT', async () => {
    const parent = spawnRaw(process.execPath, ['--import', 'tsx', 'test/fixtures/supervisor-parent.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    parent.stdout.setEncoding('utf8');
    parent.stdout.on('data', (chunk: string) => (text += chunk));
    const exit = once(parent, 'exit');
    const lines = (): string[] => text.split('\n').filter((line) => line !== '');
    const pids = JSON.parse(
      await waitUntil('the services are ready', () =>
        lines()
          .find((l) => l.startsWith('ready '))
          ?.slice(6),
      ),
    ) as number[];
    parent.kill('SIGINT');
    const [code, signal] = (await exit) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }, text).to.deep.equal({ code: null, signal: 'SIGINT' });
    const stops = lines().filter((l) => l.startsWith('stopping ') || l.startsWith('stopped '));
    expect(stops, text).to.deep.equal([
      'stopping web',
      'stopped web terminated',
      'stopping api',
      'stopped api terminated',
      'stopping db',
      'stopped db terminated',
    ]);
    // Each service drained on its SIGTERM: the ordered stop was graceful.
    expect(lines().filter((l) => l.endsWith('drained'))).to.deep.equal([
      'line web web drained',
      'line api api drained',
      'line db db drained',
    ]);
    expect(pids.filter(isPidAlive)).to.deep.equal([]);
  });
});
