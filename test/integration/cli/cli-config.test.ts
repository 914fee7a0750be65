import { expect } from 'chai';
import { builtCli, project, runCli } from '../../support/cli.js';

describe('rxproc CLI: commands, help and configuration errors (built binary)', function () {
  this.timeout(60_000);
  before(async function () {
    this.timeout(120_000);
    await builtCli();
  });

  it('--version prints the package version; --help lists the commands; both exit 0', async () => {
    const version = await runCli(['--version'], process.cwd());
    expect(version.code).to.equal(0);
    expect(version.stdout.trim()).to.match(/^\d+\.\d+\.\d+/);
    const help = await runCli(['--help'], process.cwd());
    expect(help.code).to.equal(0);
    expect(help.stdout)
      .to.contain('up [options] [services...]')
      .and.contain('run [options] <service>')
      .and.contain('config');
    for (const command of [
      ['up'],
      ['run'],
      ['config', 'validate'],
      ['config', 'print'],
      ['config', 'schema'],
    ]) {
      const result = await runCli([...command, '--help'], process.cwd());
      expect(result.code, command.join(' ')).to.equal(0);
      expect(result.stdout, command.join(' ')).to.contain('Usage: rxproc');
    }
  });

  it('an unknown option or --ui value is a usage error: status 2', async () => {
    const unknown = await runCli(['up', '--frobnicate'], process.cwd());
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain("unknown option '--frobnicate'");
    const ui = await runCli(['up', '--ui', 'fancy'], process.cwd());
    expect(ui.code).to.equal(2);
    expect(ui.stderr).to.contain('fancy');
  });

  it('reports every config problem as file:line:col with the key path, and exits 2 (validate and up)', async () => {
    const dir = project({
      'rxproc.yaml': [
        'processes:',
        '  api:',
        '    comand: node api.js',
        '  web:',
        '    command: vite',
        '    depends_on: { apii: ready }',
        '    restart: { policy: sometimes }',
        '',
      ].join('\n'),
    });
    try {
      for (const args of [['config', 'validate'], ['up']]) {
        const result = await runCli(args, dir.dir);
        expect(result.code, args.join(' ')).to.equal(2);
        expect(result.stderr).to.match(/rxproc\.yaml:3:5: processes\.api\.comand: .*command/);
        expect(result.stderr).to.match(
          /rxproc\.yaml:7:14: processes\.web\.restart: expected one of no, on-failure/,
        );
      }
    } finally {
      dir.remove();
    }
  });

  it('reports a dependency on an unknown process with its position', async () => {
    const dir = project({
      'rxproc.yaml': 'processes:\n  web:\n    command: vite\n    depends_on: { apii: ready }\n',
    });
    try {
      const result = await runCli(['config', 'validate'], dir.dir);
      expect(result.code).to.equal(2);
      expect(result.stderr).to.match(/rxproc\.yaml:4:\d+: processes\.web\.depends_on\.apii: /);
    } finally {
      dir.remove();
    }
  });

  it('config validate accepts a valid file; print shows it resolved; schema is a JSON Schema', async () => {
    const dir = project({
      'rxproc.yaml':
        'processes:\n  api:\n    command: [node, api.js]\n    ready: { tcp: 3000, timeout: 5s }\n',
    });
    try {
      const valid = await runCli(['config', 'validate'], dir.dir);
      expect(valid.code).to.equal(0);
      expect(valid.stdout).to.contain('valid, 1 processes (api)');
      const printed = await runCli(['config', 'print', '--json'], dir.dir);
      expect(printed.code).to.equal(0);
      expect(JSON.parse(printed.stdout)).to.have.nested.property('services.api.ready.timeoutMs', 5000);
      const schema = await runCli(['config', 'schema'], dir.dir);
      const parsed = JSON.parse(schema.stdout) as { properties: Record<string, unknown> };
      expect(parsed.properties).to.have.property('processes');
    } finally {
      dir.remove();
    }
  });

  it('no config file here: a clear error, status 2', async () => {
    const dir = project({});
    try {
      const result = await runCli(['up'], dir.dir);
      expect(result.code).to.equal(2);
      expect(result.stderr).to.match(/rxproc\.yaml/);
    } finally {
      dir.remove();
    }
  });
});
