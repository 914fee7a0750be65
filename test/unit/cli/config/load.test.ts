import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type LoadedProject } from '../../../../src/cli/config/index.js';
import type { SupervisorConfig } from '../../../../src/supervisor/config-types.js';
import { GracefulShutdown } from '../../../../src/termination/graceful-shutdown.js';
import { lines, tempProject, type TempProject } from './temp-project.js';

const FULL = lines(
  'version: 1',
  'name: shop',
  'env_file: [.env]',
  'env: { LOG_LEVEL: debug, PORT: 3000 }',
  'defaults:',
  '  stop: { signal: SIGTERM, grace: 10s }',
  '  restart: { policy: on-failure, max: 5, backoff: { initial: 500ms, max: 30s, reset_after: 1m } }',
  'processes:',
  '  db:',
  '    command: postgres -D .pgdata',
  '    ready: { tcp: 5432, timeout: 30s }',
  '  api:',
  '    command: [node, --watch, server.js]',
  '    args: [--inspect]',
  '    cwd: api',
  '    env_file: api.env',
  '    env: { DEBUG: true }',
  '    depends_on: { db: healthy }',
  '    ready: { http: { url: "http://127.0.0.1:3000/health", statuses: [200, 204], body: ok }, interval: 250 }',
  '    liveness: { exec: [curl, -f, localhost:3000], interval: 10s, attempt_timeout: 1.5s, failures: 3 }',
  '    restart: { policy: always, max: unlimited, window: 1m, on_exhausted: shutdown }',
  '    stop: { phases: [{ signal: INT, grace: 2s }, { signal: SIGTERM, grace: 3s }], kill_timeout: 1s }',
  '  migrate: { command: npm run migrate, depends_on: [db], restart: no, autostart: false }',
  '  web:',
  '    command: vite',
  '    args: ["--host", "it\'s me"]',
  '    depends_on: { api: log_ready, migrate: completed_successfully }',
  "    ready: { log: 'Local:\\s+http', stream: stdout, timeout: null }",
  '    replicas: 2',
  '    exit_on_end: true',
);

describe('cli config: loadConfig (valid files)', () => {
  let project: TempProject;
  beforeEach(() => {
    project = tempProject({
      'rxproc.yaml': FULL,
      '.env': lines('# shared', 'HOST=localhost', 'URL=http://${HOST}:${PORT:-80}/', 'FROM_OUTER=${OUTER}'),
      'api.env': lines('DB_URL=postgres://${HOST}/shop', 'LOG_LEVEL=info'),
    });
  });
  afterEach(() => project.remove());

  function load(): LoadedProject {
    const result = loadConfig({ cwd: project.dir, environment: { OUTER: 'outside' } });
    if (!result.ok) expect.fail(JSON.stringify(result.errors, null, 2));
    return result.project;
  }

  it('maps the full example to the expected SupervisorConfig', () => {
    const loaded = load();
    const dir = project.dir;
    const expected: SupervisorConfig = {
      services: {
        db: {
          command: 'postgres -D .pgdata',
          shell: true,
          cwd: dir,
          ready: { tcp: { port: 5432 }, timeoutMs: 30_000 },
        },
        api: {
          command: 'node',
          args: ['--watch', 'server.js', '--inspect'],
          cwd: join(dir, 'api'),
          env: { DB_URL: 'postgres://localhost/shop', LOG_LEVEL: 'info', DEBUG: 'true' },
          dependsOn: { db: 'ready' },
          ready: {
            http: { url: 'http://127.0.0.1:3000/health', statuses: [200, 204], body: /ok/ },
            intervalMs: 250,
          },
          liveness: {
            exec: { command: 'curl', args: ['-f', 'localhost:3000'] },
            intervalMs: 10_000,
            attemptTimeoutMs: 1500,
            failureThreshold: 3,
          },
          restart: { policy: 'always', maxRestarts: Infinity, windowMs: 60_000, onExhausted: 'shutdown' },
          shutdown: GracefulShutdown.phases(
            [
              { signal: 'SIGINT', timeoutMs: 2000 },
              { signal: 'SIGTERM', timeoutMs: 3000 },
            ],
            { killTimeoutMs: 1000 },
          ),
        },
        migrate: {
          command: 'npm run migrate',
          shell: true,
          cwd: dir,
          dependsOn: { db: 'started' },
          restart: 'no',
          autostart: false,
        },
        web: {
          command: "vite --host 'it'\\''s me'",
          shell: true,
          cwd: dir,
          dependsOn: { api: 'ready', migrate: 'succeeded' },
          ready: { log: /Local:\s+http/, stream: 'stdout', timeoutMs: null },
          replicas: 2,
        },
      },
      env: {
        HOST: 'localhost',
        URL: 'http://localhost:80/',
        FROM_OUTER: 'outside',
        LOG_LEVEL: 'debug',
        PORT: '3000',
      },
      shutdown: GracefulShutdown.sigterm(10_000),
      restart: {
        policy: 'on-failure',
        maxRestarts: 5,
        backoff: { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 },
      },
    };
    expect(loaded.config).to.deep.equal(expected);
    expect(loaded.config.shutdown).to.be.instanceOf(GracefulShutdown);
    expect(loaded.config.services['api']!.shutdown).to.be.instanceOf(GracefulShutdown);
  });

  it('keeps the CLI-only facts aside: name, file, dir, source, exit_on_end', () => {
    const loaded = load();
    expect(loaded).to.include({ name: 'shop', file: join(project.dir, 'rxproc.yaml'), dir: project.dir });
    expect(loaded.source).to.equal('yaml');
    expect([...loaded.exitOnEnd]).to.deep.equal(['web']);
  });

  it('uses the directory name when the file has no name', () => {
    project.write('rxproc.yaml', lines('processes:', '  a: { command: "true" }'));
    expect(load().name).to.equal(project.dir.split('/').pop());
  });
});

describe('cli config: finding the file', () => {
  let project: TempProject;
  beforeEach(() => (project = tempProject()));
  afterEach(() => project.remove());

  it('prefers rxproc.yaml, then rxproc.yml, then a Procfile', () => {
    project.write('Procfile', 'web: node server.js\n');
    const fromProcfile = loadConfig({ cwd: project.dir });
    expect(fromProcfile.ok && fromProcfile.project.source).to.equal('procfile');
    project.write('rxproc.yml', lines('processes:', '  yml: { command: "true" }'));
    const fromYml = loadConfig({ cwd: project.dir });
    expect(fromYml.ok && Object.keys(fromYml.project.config.services)).to.deep.equal(['yml']);
    project.write('rxproc.yaml', lines('processes:', '  yaml: { command: "true" }'));
    const fromYaml = loadConfig({ cwd: project.dir });
    expect(fromYaml.ok && Object.keys(fromYaml.project.config.services)).to.deep.equal(['yaml']);
  });

  it('loads a named file relative to cwd', () => {
    project.write('other.yaml', lines('processes:', '  x: { command: "true" }'));
    const result = loadConfig({ cwd: project.dir, file: 'other.yaml' });
    expect(result.ok && result.project.file).to.equal(join(project.dir, 'other.yaml'));
  });

  it('reports a missing config as a placed problem', () => {
    const none = loadConfig({ cwd: project.dir });
    expect(none.ok).to.equal(false);
    expect(!none.ok && none.errors[0]).to.deep.include({ file: project.dir, line: 1, col: 1 });
    const named = loadConfig({ cwd: project.dir, file: 'nope.yaml' });
    expect(!named.ok && named.errors[0]!.message).to.match(/ENOENT/);
  });
});

describe('cli config: anchors and the documented example', () => {
  let project: TempProject;
  beforeEach(() => (project = tempProject()));
  afterEach(() => project.remove());

  it('ignores top-level x- keys and applies merge keys', () => {
    project.write(
      'rxproc.yaml',
      lines(
        'x-node: &node { env: { NODE_ENV: development }, restart: on-failure }',
        'processes:',
        '  api: { <<: *node, command: node api.js }',
      ),
    );
    const result = loadConfig({ cwd: project.dir });
    if (!result.ok) expect.fail(JSON.stringify(result.errors));
    expect(result.project.config.services['api']).to.include({
      restart: 'on-failure',
      command: 'node api.js',
    });
    expect(result.project.config.services['api']!.env).to.deep.equal({ NODE_ENV: 'development' });
  });

  it("loads the full example of the README's configuration reference", () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../../README.md'), 'utf8');
    const example = /#### Full example\s+```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).to.be.a('string');
    project.write('rxproc.yaml', example!);
    project.write('.env', 'A=1\n');
    project.write('api.env', 'B=2\n');
    const result = loadConfig({ cwd: project.dir });
    if (!result.ok) expect.fail(JSON.stringify(result.errors));
    expect(Object.keys(result.project.config.services)).to.deep.equal(['db', 'api', 'migrate', 'web', 'e2e']);
    expect([...result.project.exitOnEnd]).to.deep.equal(['e2e']);
  });
});
