import { expect } from 'chai';
import { spawn as spawnRaw } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { isPidAlive } from '../../support/processes.js';
import { builtCli, project, records, runCli, startCli } from '../../support/cli.js';
import { waitUntil } from '../../support/wait.js';

const NODE = JSON.stringify(process.execPath);

describe('rxproc up and run (built binary, real processes)', function () {
  this.timeout(60_000);
  before(async function () {
    this.timeout(120_000);
    await builtCli();
  });

  it('NDJSON: start order follows readiness; every record is versioned', async () => {
    const dir = project({
      'rxproc.yaml': `
processes:
  db:
    command: sh -c 'sleep 0.3; echo accepting; exec sleep 300'
    ready: { log: accepting }
  api:
    command: sh -c 'echo api up; exec sleep 300'
    depends_on: { db: ready }
    ready: { log: api up }
  check:
    command: sh -c 'echo checking; exit 0'
    depends_on: { api: ready }
    exit_on_end: true
`,
    });
    try {
      const result = await runCli(['up', '--ui', 'ndjson'], dir.dir);
      expect(result.code, result.stderr).to.equal(0);
      const all = records(result.stdout);
      expect(all.every((record) => record['v'] === 1 && typeof record['t'] === 'number')).to.equal(true);
      const order = all
        .filter((r) => r['type'] === 'started' || r['type'] === 'ready')
        .map((r) => `${String(r['type'])} ${String(r['service'])}`);
      expect(order).to.deep.equal(['started db', 'ready db', 'started api', 'ready api', 'started check']);
      const report = all.find((r) => r['type'] === 'report');
      expect(report, 'the shutdown report').not.to.equal(undefined);
    } finally {
      dir.remove();
    }
  });

  it('a crash loop is restarted with backoff, then fails: status 1', async () => {
    const dir = project({
      'rxproc.yaml': `
processes:
  worker:
    command: sh -c 'echo boom >&2; exit 4'
    restart: { policy: on-failure, max: 2, backoff: { initial: 50ms, jitter: 0 } }
`,
    });
    try {
      const result = await runCli(['up', '--ui', 'ndjson'], dir.dir);
      expect(result.code, result.stdout).to.equal(1);
      const all = records(result.stdout);
      expect(all.filter((r) => r['type'] === 'started')).to.have.length(3);
      expect(all.filter((r) => r['type'] === 'restart').map((r) => r['delayMs'])).to.deep.equal([50, 100]);
      expect(all.find((r) => r['type'] === 'failed')).to.deep.include({ service: 'worker' });
    } finally {
      dir.remove();
    }
  });

  it('a readiness check that fails skips the dependents: status 3', async () => {
    const dir = project({
      'rxproc.yaml': `
processes:
  db:
    command: sleep 300
    ready: { log: never, timeout: 300ms }
  api:
    command: sleep 300
    depends_on: { db: ready }
`,
    });
    try {
      const result = await runCli(['up', '--ui', 'lines'], dir.dir);
      expect(result.code, result.stdout).to.equal(3);
      expect(result.stdout).to.match(/api +◆ skipped: db failed/);
    } finally {
      dir.remove();
    }
  });

  it('run <service>: its dependencies first, extra arguments appended, its own exit code', async () => {
    const dir = project({
      'rxproc.yaml': `
processes:
  db:
    command: sh -c 'echo db ready; exec sleep 300'
    ready: { log: db ready }
  other:
    command: sleep 300
  test:
    command: [sh, -c, 'echo "args: $0 $1"; exit 7']
    depends_on: { db: ready }
`,
    });
    try {
      const result = await runCli(['run', 'test', '--ui', 'lines', '--', 'one', 'two'], dir.dir);
      expect(result.code, result.stdout).to.equal(7);
      expect(result.stdout).to.match(/test +│ args: one two/);
      expect(result.stdout).to.match(/db +◆ started/);
      expect(result.stdout).not.to.match(/other +◆ started/);
    } finally {
      dir.remove();
    }
  });

  it('SIGINT to the runner: an ordered graceful stop, nothing left, status 130', async () => {
    const dir = project({
      'rxproc.yaml': `
processes:
  db:
    command: sh -c 'trap "echo db drained; exit 0" TERM; echo db up; sleep 300 & wait'
    ready: { log: db up }
  api:
    command: sh -c 'trap "echo api drained; exit 0" TERM; echo api up; sleep 300 & wait'
    depends_on: { db: ready }
    ready: { log: api up }
`,
    });
    try {
      const run = await startCli(['up', '--ui', 'ndjson'], dir.dir);
      await waitUntil(
        'api is ready',
        () => records(run.stdout()).some((r) => r['type'] === 'ready' && r['service'] === 'api') || undefined,
      );
      const pids = records(run.stdout())
        .filter((r) => r['type'] === 'started')
        .map((r) => r['pid'] as number);
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(result.code, result.stderr).to.equal(130);
      const stops = records(result.stdout)
        .filter((r) => r['type'] === 'stopped')
        .map((r) => r['service']);
      expect(stops).to.deep.equal(['api', 'db']);
      const drained = records(result.stdout)
        .filter((r) => r['type'] === 'output')
        .map((r) => r['line']);
      expect(drained).to.include.members(['api drained', 'db drained']);
      expect(pids.filter(isPidAlive)).to.deep.equal([]);
    } finally {
      dir.remove();
    }
  });

  it('a second SIGINT kills a service that ignores SIGTERM at once; SIGTERM alone gives 143', async () => {
    const dir = project({
      'rxproc.yaml': `
processes:
  stubborn:
    command: sh -c 'trap "" TERM; echo up; sleep 300 & wait; wait'
    ready: { log: up }
    stop: { signal: SIGTERM, grace: 60s }
`,
    });
    try {
      const run = await startCli(['up', '--ui', 'ndjson'], dir.dir);
      await waitUntil('ready', () => records(run.stdout()).some((r) => r['type'] === 'ready') || undefined);
      run.child.kill('SIGINT');
      await waitUntil(
        'stopping',
        () => records(run.stdout()).some((r) => r['type'] === 'stopping') || undefined,
      );
      await setTimeout(400); // a person's second press: closer ones are one interrupt delivered twice
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(result.code).to.equal(130);
      const stopped = records(result.stdout).find((r) => r['type'] === 'stopped');
      expect(stopped).to.deep.include({ service: 'stubborn', outcome: 'terminated' });

      const again = await startCli(['up', '--ui', 'ndjson'], dir.dir);
      await waitUntil('ready', () => records(again.stdout()).some((r) => r['type'] === 'ready') || undefined);
      again.child.kill('SIGTERM');
      await waitUntil(
        'stopping',
        () => records(again.stdout()).some((r) => r['type'] === 'stopping') || undefined,
      );
      await setTimeout(400);
      again.child.kill('SIGTERM');
      expect((await again.done).code).to.equal(143);
    } finally {
      dir.remove();
    }
  });

  it('one Ctrl-C delivered twice at once (terminal and a relaying parent) is one graceful stop', async () => {
    const dir = project({
      'rxproc.yaml': `
processes:
  api:
    command: sh -c 'trap "echo api drained; exit 0" TERM; echo up; sleep 300 & wait'
    ready: { log: up }
`,
    });
    try {
      const run = await startCli(['up', '--ui', 'ndjson'], dir.dir);
      await waitUntil('ready', () => records(run.stdout()).some((r) => r['type'] === 'ready') || undefined);
      run.child.kill('SIGINT');
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(result.code).to.equal(130);
      const all = records(result.stdout);
      expect(all.some((r) => r['type'] === 'shutdown' && r['stage'] === 'forced')).to.equal(false);
      expect(all.filter((r) => r['type'] === 'output').map((r) => r['line'])).to.include('api drained');
    } finally {
      dir.remove();
    }
  });

  it('run <service> whose dependency fails ends at once with status 3', async () => {
    const dir = project({
      'rxproc.yaml': `
processes:
  db:
    command: sleep 300
  migrate:
    command: sh -c 'exit 1'
  test:
    command: echo never
    depends_on: { db: started, migrate: succeeded }
`,
    });
    try {
      const result = await runCli(['run', 'test', '--ui', 'lines'], dir.dir);
      expect(result.code, result.stdout).to.equal(3);
      expect(result.stdout).to.match(/test +◆ skipped: migrate failed/);
    } finally {
      dir.remove();
    }
  });

  it('a reader that goes away (| head) stops the services in order instead of crashing', async () => {
    const entry = await builtCli();
    const dir = project({
      'rxproc.yaml': `
processes:
  chatty:
    command: [${NODE}, -e, "setInterval(() => console.log('tick'), 5)"]
`,
    });
    try {
      const pipeline = spawnRaw(
        'sh',
        [
          '-c',
          `${JSON.stringify(process.execPath)} ${JSON.stringify(entry)} up --ui lines 2>err.txt | head -3; wait`,
        ],
        {
          cwd: dir.dir,
          stdio: ['ignore', 'pipe', 'inherit'],
          env: { ...process.env, NO_COLOR: '1' },
        },
      );
      let text = '';
      pipeline.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      await once(pipeline, 'close');
      expect(text.split('\n').filter(Boolean)).to.have.length(3);
      expect(readFileSync(join(dir.dir, 'err.txt'), 'utf8')).not.to.contain('internal error');
    } finally {
      dir.remove();
    }
  });

  it('lines mode never splits or interleaves lines under a flood from four services', async () => {
    const dir = project({
      'rxproc.yaml': ['a', 'b', 'c', 'd']
        .map(
          (name) =>
            `  ${name}:\n    command: [${NODE}, -e, "for (let i = 0; i < 20000; i++) console.log('${name}-' + i + '-' + 'x'.repeat(i % 97))"]`,
        )
        .reduce((text, service) => `${text}${service}\n`, 'processes:\n'),
    });
    try {
      const result = await runCli(['up', '--ui', 'lines'], dir.dir);
      expect(result.code, result.stderr).to.equal(0);
      const output = result.stdout.split('\n').filter((line) => line.includes(' │ '));
      expect(output).to.have.length(80_000);
      for (const line of output) {
        const parts = /^([a-d]) │ \1-(\d+)-(x*)$/.exec(line);
        if (parts === null || parts[3]!.length !== Number(parts[2]) % 97)
          throw new Error(`damaged line: ${line}`);
      }
    } finally {
      dir.remove();
    }
  });

  it('ad-hoc commands and a Procfile, without a rxproc.yaml', async () => {
    const adhoc = await runCli(['up', '--ui', 'lines', '--', 'echo one', 'echo two'], process.cwd());
    expect(adhoc.code, adhoc.stderr).to.equal(0);
    expect(adhoc.stdout).to.match(/echo(-1)? +│ one/);
    const dir = project({ Procfile: 'web: echo from web\nworker: echo from worker\n' });
    try {
      const procfile = await runCli(['up', '--ui', 'lines'], dir.dir);
      expect(procfile.code, procfile.stderr).to.equal(0);
      expect(procfile.stdout)
        .to.match(/web +│ from web/)
        .and.match(/worker +│ from worker/);
    } finally {
      dir.remove();
    }
  });

  it('the example project (npm start) ends by itself with status 0 after the worker was restarted once', async () => {
    const result = await runCli(['up', '--ui', 'lines', '-f', 'examples/project/rxproc.yaml'], process.cwd());
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/worker +◆ exited 1 — restart 1\/3/);
    expect(result.stdout).to.contain('check: all good');
  });
});
