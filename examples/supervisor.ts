/**
 * A runnable supervisor: `npx tsx examples/supervisor.ts`. A "database" that is ready after a moment, an API that
 * waits for it, a worker that crashes twice and is restarted with backoff, and a one-shot check that runs once the
 * API is ready. Prefixed lines and lifecycle events go to the terminal; Ctrl-C stops everything in reverse
 * dependency order (a second Ctrl-C kills at once). The run ends by itself after the check.
 */
import { GracefulShutdown, supervise } from '../src/index.js';

const node = (code: string): { command: string; args: string[] } => ({
  command: process.execPath,
  args: ['-e', code],
});

const supervisor = supervise(
  {
    services: {
      db: {
        ...node(
          `setTimeout(() => console.log('db: accepting connections'), 300); setInterval(() => {}, 1000);`,
        ),
        ready: { log: /accepting connections/, timeoutMs: 10_000 },
      },
      api: {
        ...node(`console.log('api: listening on :3000'); setInterval(() => {}, 1000);`),
        dependsOn: { db: 'ready' },
        ready: { log: /listening on/ },
        shutdown: GracefulShutdown.sigterm(2000),
      },
      worker: {
        // Crashes on its first two runs (counted in a file next to it), then stays up.
        ...node(`
          const fs = require('node:fs'); const file = require('node:os').tmpdir() + '/rxproc-example-worker';
          const runs = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) + 1 : 1;
          fs.writeFileSync(file, String(runs));
          console.log('worker: run ' + runs);
          if (runs < 3) setTimeout(() => { console.error('worker: crashed'); process.exit(1); }, 200);
          else { fs.rmSync(file); setInterval(() => {}, 1000); }`),
        dependsOn: { db: 'ready' },
        restart: { policy: 'on-failure', maxRestarts: 5, backoff: { initialMs: 200, maxMs: 2000 } },
      },
      check: {
        ...node(`console.log('check: GET /health → 200'); setTimeout(() => process.exit(0), 1500);`),
        dependsOn: { api: 'ready', worker: 'started' },
      },
    },
  },
  { usageIntervalMs: 1000 },
);

supervisor.output$.subscribe(({ service, stream, line }) =>
  console.log(`${service.padEnd(6)} ${stream === 'stderr' ? '┃' : '│'} ${line}`),
);
supervisor.events$.subscribe((event) => {
  if (event.type === 'ready') console.log(`${event.service.padEnd(6)} ◆ ready in ${event.afterMs} ms`);
  if (event.type === 'restartScheduled')
    console.log(
      `${event.service.padEnd(6)} ◆ restart ${event.restart}/${event.maxRestarts} in ${event.delayMs} ms`,
    );
  if (event.type === 'status' && (event.status === 'completed' || event.status === 'failed'))
    console.log(`${event.service.padEnd(6)} ◆ ${event.status}: ${event.reason}`);
});

// The check ends the run: once it completed, stop the rest in order.
supervisor.state$.subscribe((state) => {
  const check = state.services.find((service) => service.name === 'check');
  if (check?.status === 'completed' && state.phase === 'running') void supervisor.stop();
});

const report = await supervisor.stopped;
for (const service of report.services) {
  const how = service.report ? `${service.report.endedBy}, ${service.report.durationMs} ms` : service.outcome;
  console.log(`stopped ${service.service}: ${how}`);
}
