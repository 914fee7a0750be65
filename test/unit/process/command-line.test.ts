import { expect } from 'chai';
import { InvalidOptionError } from '../../../src/core/errors.js';
import {
  localBinDirectories,
  preferLocalPath,
  programOf,
  shellInvocation,
  withCommandLineHint,
} from '../../../src/process/command-line.js';
import { ExitError, lastLines } from '../../../src/process/exit-error.js';
import { SpawnError } from '../../../src/process/errors.js';
import { resolveSpawnOptions } from '../../../src/process/options.js';

const unix = { variables: () => ({ PATH: '/usr/bin' }), cwd: () => '/work', windows: false };
const windows = { variables: () => ({ Path: 'C:\\bin' }), cwd: () => 'C:\\work', windows: true };

describe('shell and preferLocal', () => {
  it('resolve and validate the options', () => {
    expect(resolveSpawnOptions({}, unix)).to.include({ shell: undefined, preferLocal: false });
    expect(resolveSpawnOptions({ shell: true }, unix).shell).to.equal('/bin/sh');
    expect(resolveSpawnOptions({ shell: true }, windows).shell).to.equal('cmd.exe');
    expect(resolveSpawnOptions({ shell: '/bin/bash' }, unix).shell).to.equal('/bin/bash');
    expect(resolveSpawnOptions({ shell: false, preferLocal: true }, unix)).to.include({
      shell: undefined,
      preferLocal: true,
    });
    for (const bad of [{ shell: '' }, { shell: 1 }, { shell: 'a\0b' }, { preferLocal: 'yes' }]) {
      expect(() => resolveSpawnOptions(bad, unix)).to.throw(InvalidOptionError);
    }
  });

  it('wrap a command line for sh and for cmd.exe', () => {
    expect(shellInvocation('/bin/sh', 'ls', ['-la', '*.ts'])).to.deep.equal({
      command: '/bin/sh',
      args: ['-c', 'ls -la *.ts'],
    });
    expect(shellInvocation('C:\\Windows\\System32\\cmd.exe', 'dir', ['/b'])).to.deep.equal({
      command: 'C:\\Windows\\System32\\cmd.exe',
      args: ['/d', '/s', '/c', '"dir /b"'],
    });
  });

  it('list node_modules/.bin from the cwd up to the root, nearest first', () => {
    expect(localBinDirectories('/a/b')).to.deep.equal([
      '/a/b/node_modules/.bin',
      '/a/node_modules/.bin',
      '/node_modules/.bin',
    ]);
  });

  it('prepend them to PATH, keeping the spelling of the variable', () => {
    expect(preferLocalPath({ PATH: '/usr/bin', A: '1' }, '/a', false)).to.deep.equal({
      PATH: '/a/node_modules/.bin:/node_modules/.bin:/usr/bin',
      A: '1',
    });
    expect(preferLocalPath({}, '/', false)).to.deep.equal({ PATH: '/node_modules/.bin' });
    const win = preferLocalPath({ Path: 'C:\\bin' }, '/a', true);
    expect(Object.keys(win)).to.deep.equal(['Path']);
    expect(win.Path).to.match(/;C:\\bin$/);
  });
});

describe('a command line passed as the command', () => {
  const notFound = new SpawnError('COMMAND_NOT_FOUND', 'ls', 'command ls -la /tmp not found', {
    errno: 'ENOENT',
  });

  it('gets a hint when it was not found and no shell was asked for', () => {
    const hinted = withCommandLineHint(notFound, 'ls -la /tmp', undefined);
    expect(hinted.reason).to.equal(
      "command ls -la /tmp not found; did you mean spawn('ls', ['-la', '/tmp']) or shell: true?",
    );
    expect(hinted).to.include({ code: 'COMMAND_NOT_FOUND', errno: 'ENOENT', processName: 'ls' });
    expect(hinted.message).to.include('did you mean');
  });

  it('gets no hint otherwise', () => {
    expect(withCommandLineHint(notFound, 'ls', undefined)).to.equal(notFound);
    expect(withCommandLineHint(notFound, 'ls -la', '/bin/sh')).to.equal(notFound);
    const other = new SpawnError('NOT_EXECUTABLE', 'x', 'denied');
    expect(withCommandLineHint(other, 'a b', undefined)).to.equal(other);
  });

  it('is named after its program, while a path with spaces keeps its basename', () => {
    expect(programOf('ls -la /tmp')).to.equal('ls');
    expect(programOf('/opt/My App/tool')).to.equal('/opt/My App/tool');
    expect(programOf('/usr/bin/ls')).to.equal('/usr/bin/ls');
  });
});

describe('ExitError', () => {
  it('says how the child ended and quotes the last stderr line', () => {
    const error = new ExitError('build', { code: 2, signal: null }, ['warning', 'fatal: no such file']);
    expect(error).to.include({ code: 'NON_ZERO_EXIT', exitCode: 2, signal: null, processName: 'build' });
    expect(error.message).to.equal("Process 'build' exited with code 2: fatal: no such file");
    const timedOut = new ExitError('build', { code: null, signal: 'SIGINT' }, [], { timeoutMs: 50 });
    expect(timedOut).to.include({ code: 'TIMED_OUT', timeoutMs: 50 });
    expect(timedOut.message).to.equal(
      "Process 'build' timed out after 50 ms and was terminated (it was ended by SIGINT)",
    );
  });

  it('keeps at most the last 10 lines', () => {
    const text = Array.from({ length: 12 }, (_, i) => `l${i}`).join('\n') + '\n';
    expect(lastLines(text)).to.deep.equal(['l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8', 'l9', 'l10', 'l11']);
    expect(lastLines('')).to.deep.equal([]);
    expect(lastLines('a\r\nb')).to.deep.equal(['a', 'b']);
  });
});
