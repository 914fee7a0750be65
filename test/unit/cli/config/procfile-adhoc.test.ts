import { expect } from 'chai';
import { adhocProject, parseProcfile, type ConfigResult } from '../../../../src/cli/config/index.js';
import { lines } from './temp-project.js';

function services(result: ConfigResult): Record<string, unknown> {
  if (!result.ok) expect.fail(JSON.stringify(result.errors));
  return result.project.config.services;
}

describe('cli config: Procfile', () => {
  it('reads name: command lines, skipping comments and blanks, each run by the shell in the file’s directory', () => {
    const text = lines(
      '# dev processes',
      '',
      'web: npm start -- --port $PORT',
      '  worker:node worker.js  ',
      'clock: ./clock.sh',
    );
    const result = parseProcfile(text, '/srv/app/Procfile');
    expect(services(result)).to.deep.equal({
      web: { command: 'npm start -- --port $PORT', shell: true, cwd: '/srv/app' },
      worker: { command: 'node worker.js', shell: true, cwd: '/srv/app' },
      clock: { command: './clock.sh', shell: true, cwd: '/srv/app' },
    });
    expect(result.ok && result.project).to.include({ source: 'procfile', name: 'app', dir: '/srv/app' });
  });

  it('places bad lines, bad or repeated names and empty commands', () => {
    const text = lines('web: ok', 'just words', 'web.1: bad name', 'web: again', 'empty:   ');
    const result = parseProcfile(text, '/p/Procfile');
    expect(result.ok).to.equal(false);
    const found = result.ok ? [] : result.errors.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`);
    expect(found).to.deep.equal([
      '/p/Procfile:2:1 expected "name: command"',
      '/p/Procfile:3:1 expected a process name of letters, digits, "_", "-" or ":" (no dots or spaces)',
      '/p/Procfile:4:1 duplicate process name "web"',
      '/p/Procfile:5:10 expected a command after the name',
    ]);
  });

  it('reports a Procfile without processes', () => {
    const result = parseProcfile('# nothing\n', '/p/Procfile');
    expect(!result.ok && result.errors[0]).to.deep.include({ line: 1, col: 1 });
  });
});

describe('cli config: ad-hoc commands', () => {
  it('derives names from the program, deduplicated, and expands npm:script', () => {
    const result = adhocProject([
      'npm run dev',
      'tsc -w',
      'npm:lint',
      'npm test',
      './node_modules/.bin/vite --open',
    ]);
    expect(services(result)).to.deep.equal({
      npm: { command: 'npm run dev', shell: true },
      tsc: { command: 'tsc -w', shell: true },
      lint: { command: 'npm run lint', shell: true },
      'npm-2': { command: 'npm test', shell: true },
      vite: { command: './node_modules/.bin/vite --open', shell: true },
    });
    expect(result.ok && result.project).to.include({ source: 'adhoc', file: undefined });
  });

  it('uses given names in order and derives the rest without clashing with them', () => {
    const result = adhocProject(['tsc -w', 'vite', 'tsc -p other'], ['tsc', 'web']);
    expect(Object.keys(services(result))).to.deep.equal(['tsc', 'web', 'tsc-2']);
  });

  it('places bad, repeated and surplus names in the --names text', () => {
    const bad = adhocProject(['a', 'b', 'c'], ['ok', 'x.y', 'ok']);
    expect(!bad.ok && bad.errors.map((p) => `${p.file}:${p.col} ${p.path}`)).to.deep.equal([
      '--names:4 x.y',
      '--names:8 ok',
    ]);
    const surplus = adhocProject(['a'], ['one', 'two']);
    expect(!surplus.ok && surplus.errors[0]).to.deep.include({ file: '--names', col: 5 });
    expect(adhocProject([]).ok).to.equal(false);
  });
});
