import { expect } from 'chai';
import { formatProblem, loadConfig, type ConfigProblem } from '../../../../src/cli/config/index.js';
import { lines, tempProject, type TempProject } from './temp-project.js';

describe('cli config: placed problems', () => {
  let project: TempProject;
  beforeEach(() => (project = tempProject()));
  afterEach(() => project.remove());

  /** The problems of a config text, as `line:col path: message` without the file. */
  function problems(text: string): ConfigProblem[] {
    project.write('rxproc.yaml', text);
    const result = loadConfig({ cwd: project.dir, environment: {} });
    if (result.ok) expect.fail('expected problems');
    for (const p of result.errors) expect(p.file).to.equal(`${project.dir}/rxproc.yaml`);
    return [...result.errors];
  }
  const where = (p: ConfigProblem) => `${p.line}:${p.col} ${p.path}`;

  it('renders file:line:col: path: message', () => {
    const p: ConfigProblem = { file: '/x/rxproc.yaml', line: 3, col: 5, path: 'processes.a', message: 'bad' };
    expect(formatProblem(p)).to.equal('/x/rxproc.yaml:3:5: processes.a: bad');
    expect(formatProblem({ ...p, path: '' })).to.equal('/x/rxproc.yaml:3:5: bad');
  });

  it('places an unknown key at the key, with a did-you-mean', () => {
    const found = problems(
      lines('processes:', '  api:', '    command: node', '    depnds_on: [db]', '  db: { command: x }'),
    );
    expect(found.map(where)).to.deep.equal(['4:5 processes.api.depnds_on']);
    expect(found[0]!.message).to.equal('unknown key "depnds_on"; did you mean "depends_on"?');
  });

  it('does not also call a required key missing when a typo of it was suggested', () => {
    const found = problems(lines('processes:', '  api:', '    comand: node'));
    expect(found.map((p) => `${where(p)}: ${p.message}`)).to.deep.equal([
      '3:5 processes.api.comand: unknown key "comand"; did you mean "command"?',
    ]);
  });

  it('suggests our name for another tool’s key, and lists the keys when nothing is close', () => {
    const found = problems(
      lines('processes:', '  a:', '    command: x', '    ready: { tcp: 1, period: 2s }', '    zzz: 1'),
    );
    expect(found.map(where)).to.deep.equal(['4:22 processes.a.ready.period', '5:5 processes.a.zzz']);
    expect(found[0]!.message).to.match(/did you mean "interval"/);
    expect(found[1]!.message).to.match(/expected one of command, args, cwd/);
  });

  it('reports every problem, in file order, not only the first', () => {
    const found = problems(
      lines(
        'processes:',
        '  a:',
        '    command: 42',
        '    replicas: two',
        '    autostart: yes',
        '  b:',
        '    command: y',
        '    restart: sometimes',
      ),
    );
    expect(found.map(where)).to.deep.equal([
      '3:14 processes.a.command',
      '4:15 processes.a.replicas',
      '5:16 processes.a.autostart',
      '8:14 processes.b.restart',
    ]);
    expect(found[0]!.message).to.match(/^expected a command line/);
    expect(found[1]!.message).to.match(/expected number/);
    expect(found[3]!.message).to.match(/no, on-failure, always, unless-stopped/);
  });

  it('places a missing required key at the mapping that should hold it', () => {
    const found = problems(lines('processes:', '  a:', '    cwd: src', '    env: { A: b }'));
    expect(found.map(where)).to.deep.equal(['3:5 processes.a.command']);
    expect(found[0]!.message).to.equal('missing required key "command"');
    expect(problems(lines('name: x')).map(where)).to.deep.equal(['1:1 processes']);
  });

  it('rejects bad durations at the value: garbage, negatives, too large', () => {
    const found = problems(
      lines(
        'processes:',
        '  a:',
        '    command: x',
        '    ready: { log: up, interval: fast, initial_delay: -5, attempt_timeout: 30d }',
        '    stop: { grace: 1000000h }',
      ),
    );
    expect(found.map(where)).to.deep.equal([
      '4:33 processes.a.ready.interval',
      '4:54 processes.a.ready.initial_delay',
      '4:75 processes.a.ready.attempt_timeout',
      '5:20 processes.a.stop.grace',
    ]);
    for (const p of found) expect(p.message).to.match(/^expected a duration such as 500ms/);
  });

  it('checks probe kinds, regexes, ports and signals', () => {
    const found = problems(
      lines(
        'processes:',
        '  a:',
        '    command: x',
        '    ready: { tcp: 70000 }',
        '    liveness: { log: "(" }',
        '  b:',
        '    command: y',
        '    ready: { interval: 1s }',
        '    stop: { signal: SIGNOPE }',
      ),
    );
    expect(found.map((p) => `${where(p)}: ${p.message}`)).to.deep.equal([
      '4:19 processes.a.ready.tcp: expected a port number from 1 to 65535',
      '5:22 processes.a.liveness.log: expected a valid JavaScript regular expression',
      '8:12 processes.b.ready: expected exactly one of log, tcp, http, exec',
    ]);
    // Signals are checked once the shapes are right.
    const signal = problems(lines('processes:', '  b:', '    command: y', '    stop: { signal: SIGNOPE }'));
    expect(signal.map(where)).to.deep.equal(['4:21 processes.b.stop.signal']);
    expect(signal[0]!.message).to.match(/SIGNOPE/);
  });

  it('rejects bad process names at the key', () => {
    const found = problems(lines('processes:', '  web.1: { command: x }', '  "has space": { command: y }'));
    expect(found.map(where)).to.deep.equal(['2:3 processes.web.1', '3:3 processes.has space']);
    expect(found[0]!.message).to.match(/no dots/);
  });

  it('places an unknown dependency at its entry, in a map or a list', () => {
    const found = problems(
      lines(
        'processes:',
        '  api: { command: x, depends_on: { db: ready, cache: started } }',
        '  web: { command: y, depends_on: [api, apx] }',
        '  db: { command: z }',
      ),
    );
    expect(found.map(where)).to.deep.equal([
      '2:47 processes.api.depends_on.cache',
      '3:40 processes.web.depends_on[1]',
    ]);
    expect(found[0]!.message).to.match(/unknown process "cache"; expected one of api, web, db/);
  });

  it('names a dependency cycle at the entry that closes it', () => {
    const found = problems(
      lines(
        'processes:',
        '  a: { command: x, depends_on: [b] }',
        '  b: { command: x, depends_on: { c: ready } }',
        '  c: { command: x, depends_on: { a: started } }',
        '  self: { command: x, depends_on: [self] }',
      ),
    );
    expect(found.map((p) => `${where(p)}: ${p.message}`)).to.deep.equal([
      '4:34 processes.c.depends_on.a: dependency cycle: a → b → c → a',
      '5:36 processes.self.depends_on[0]: dependency cycle: self → self',
    ]);
  });

  it('turns YAML syntax errors into placed problems', () => {
    const found = problems(lines('processes:', '  a:', '    command: [x, y', '  b: { command: z }'));
    expect(found.length).to.be.greaterThan(0);
    expect(found[0]!.line).to.be.within(3, 4);
    expect(found[0]!.col).to.be.greaterThan(0);
    const tab = problems(lines('processes:', '\ta: { command: x }'));
    expect(tab[0]).to.include({ line: 2, col: 1 });
  });

  it('reports duplicate keys at the second occurrence', () => {
    const found = problems(
      lines('processes:', '  a: { command: x }', '  b: { command: y }', '  a: { command: z }'),
    );
    expect(found.map((p) => `${p.line}:${p.col}`)).to.deep.equal(['4:3']);
    expect(found[0]!.message).to.equal('duplicate key "a" (each key may appear once)');
  });

  it('reports a missing env_file at its entry, for the project and for a process', () => {
    project.write('present.env', 'A=1\n');
    const found = problems(
      lines('env_file: [present.env, missing.env]', 'processes:', '  a: { command: x, env_file: gone.env }'),
    );
    expect(found.map(where)).to.deep.equal(['1:25 env_file[1]', '3:30 processes.a.env_file']);
    expect(found[0]!.message).to.match(/missing\.env \(ENOENT\)/);
  });

  it('explains the keys that differ from other tools: liveness timeout, stop forms, conditions, URLs', () => {
    const found = problems(
      lines(
        'processes:',
        '  a:',
        '    command: x',
        '    liveness: { tcp: 80, timeout: 2s }',
        '    stop: { signal: SIGINT, phases: [{ signal: SIGTERM, grace: 1s }] }',
        '    ready: { http: "localhost:3000" }',
        '  b: { command: y, depends_on: { a: healty }, env: { 1BAD: x } }',
      ),
    );
    expect(found.map((p) => `${where(p)}: ${p.message}`)).to.deep.equal([
      '4:35 processes.a.liveness.timeout: timeout applies only to readiness probes; use attempt_timeout for one attempt',
      '5:11 processes.a.stop: expected either signal/grace or phases, not both',
      '6:20 processes.a.ready.http: expected an http:// or https:// URL',
      '7:37 processes.b.depends_on.a: expected one of started, ready, completed, succeeded (or an alias: healthy, log_ready, completed_successfully)',
      '7:54 processes.b.env.1BAD: expected a variable name (letters, digits, "_"; not starting with a digit)',
    ]);
  });
});
