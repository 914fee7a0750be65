/**
 * run() with real processes: resolving and rejecting, timeoutMs, input, reject: false, an AbortSignal, and the
 * shell and preferLocal options it shares with spawn().
 */
import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, ExitError, InvalidOptionError, run, spawn, SpawnError } from '../../src/index.js';
import { findMarkedProcesses } from '../support/leak-guard.js';
import { rejectionOf } from '../support/rejection.js';

describe('run()', function () {
  this.timeout(20_000);

  it('resolves with the status and both outputs as strings, without the final newline', async () => {
    const result = await run('sh', ['-c', 'echo out; echo err >&2']);
    expect(result).to.deep.include({
      name: 'sh',
      status: { code: 0, signal: null },
      stdout: 'out',
      stderr: 'err',
      stdoutTruncated: false,
      stderrTruncated: false,
      timedOut: false,
    });
    expect(result.durationMs).to.be.a('number').and.at.least(0);
  });

  it('collects from the first byte: a fast, long output is complete', async () => {
    const result = await run('seq', ['1', '100000'], { collect: 'unbounded' });
    const lines = result.stdout.split('\n');
    expect(lines).to.have.length(100_000);
    expect([lines[0], lines.at(-1)]).to.deep.equal(['1', '100000']);
  });

  it('says when the collect bound cut the output', async () => {
    const result = await run('seq', ['1', '1000'], { collect: { maxBytes: 10 } });
    expect(result).to.include({ stdout: '1\n2\n3\n4\n5', stdoutTruncated: true });
  });

  it('rejects a failed exit with an ExitError carrying the code and the last stderr lines', async () => {
    const script = 'for i in $(seq 1 15); do echo "line $i" >&2; done; exit 3';
    const error = await rejectionOf(run('sh', ['-c', script], { name: 'failing' }));
    expect(error).to.be.instanceOf(ExitError);
    expect(error).to.include({ code: 'NON_ZERO_EXIT', exitCode: 3, signal: null, processName: 'failing' });
    const tail = (error as ExitError).stderrTail;
    expect(tail).to.have.length(10);
    expect([tail[0], tail.at(-1)]).to.deep.equal(['line 6', 'line 15']);
    expect((error as Error).message)
      .to.include('exited with code 3')
      .and.include('line 15');
  });

  it('resolves a failed exit under reject: false', async () => {
    const result = await run('sh', ['-c', 'echo partial; exit 2'], { reject: false });
    expect(result).to.deep.include({ status: { code: 2, signal: null }, stdout: 'partial', timedOut: false });
  });

  it('terminates the child after timeoutMs and rejects saying it timed out', async () => {
    const error = await rejectionOf(run('sleep', ['30'], { timeoutMs: 200 }));
    expect(error).to.be.instanceOf(ExitError);
    expect(error).to.include({ code: 'TIMED_OUT', timeoutMs: 200, signal: 'SIGINT' });
    expect((error as Error).message).to.include('timed out after 200 ms');
    expect(findMarkedProcesses()).to.deep.equal([]);
  });

  it('resolves with timedOut under reject: false', async () => {
    const result = await run('sleep', ['30'], { timeoutMs: 100, reject: false });
    expect(result).to.deep.include({ timedOut: true, status: { code: null, signal: 'SIGINT' } });
  });

  it('writes input to a piped stdin and closes it', async () => {
    const result = await run('sort', [], { input: 'b\nc\na\n' });
    expect(result.stdout).to.equal('a\nb\nc');
    const bytes = await run('wc', ['-c'], { input: new Uint8Array([1, 2, 3]) });
    expect(bytes.stdout.trim()).to.equal('3');
  });

  it('terminates on abort and rejects with an AbortedError once the child is gone', async () => {
    const controller = new AbortController();
    const running = run('sleep', ['30'], { signal: controller.signal });
    setTimeout(() => controller.abort('enough'), 100);
    const error = await rejectionOf(running);
    expect(error).to.be.instanceOf(AbortedError);
    expect(error).to.include({ cause: 'enough' });
    expect(findMarkedProcesses()).to.deep.equal([]);
  });

  it('rejects with the SpawnError, also under reject: false', async () => {
    const error = await rejectionOf(run('rxproc-no-such-command', [], { reject: false }));
    expect(error).to.be.instanceOf(SpawnError);
    expect(error).to.include({ code: 'COMMAND_NOT_FOUND' });
  });

  it('refuses bad run options before spawning anything', async () => {
    for (const options of [
      { timeoutMs: -1 },
      { reject: 'no' as unknown as boolean },
      { input: 5 as unknown as string },
      { input: 'x', stdin: 'inherit' as const },
      { collect: { maxBytes: 0 } },
    ]) {
      expect(await rejectionOf(run('sleep', ['30'], options))).to.be.instanceOf(InvalidOptionError);
    }
  });
});

describe('shell and preferLocal', function () {
  this.timeout(20_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rxproc-local-'));
    const bin = join(dir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    mkdirSync(join(dir, 'packages', 'app'), { recursive: true });
    writeFileSync(join(bin, 'rxproc-some-tool'), '#!/bin/sh\necho "local tool $1"\n');
    chmodSync(join(bin, 'rxproc-some-tool'), 0o755);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shell: true runs a command line through /bin/sh', async () => {
    const result = await run('echo $((1 + 2)) | tr 3 x', [], { shell: true });
    expect(result.stdout).to.equal('x');
  });

  it('shell: a path names the shell; the arguments join the command line', async () => {
    const result = await run('echo', ['"$0"', 'a  b'], { shell: '/bin/sh' });
    expect(result.stdout).to.equal('/bin/sh a b');
  });

  it('preferLocal finds node_modules/.bin from the cwd up to the root', async () => {
    const cwd = join(dir, 'packages', 'app');
    const result = await run('rxproc-some-tool', ['x'], { cwd, preferLocal: true });
    expect(result.stdout).to.equal('local tool x');
    const error = await rejectionOf(run('rxproc-some-tool', ['x'], { cwd }));
    expect(error).to.be.instanceOf(SpawnError);
    expect(error).to.include({ code: 'COMMAND_NOT_FOUND' });
  });

  it('spawn("ls -la /tmp") fails with a hint and the program as its name', async () => {
    const error = await rejectionOf(spawn('ls -la /tmp').wait());
    expect(error).to.be.instanceOf(SpawnError);
    expect(error).to.include({ code: 'COMMAND_NOT_FOUND', processName: 'ls' });
    expect((error as SpawnError).reason).to.include(
      `did you mean spawn('ls', ['-la', '/tmp']) or shell: true?`,
    );
  });

  it('refuses an invalid shell or preferLocal as INVALID_OPTION', async () => {
    for (const options of [
      { shell: '' },
      { shell: 1 as unknown as boolean },
      { preferLocal: 'yes' as unknown as boolean },
    ]) {
      const error = await rejectionOf(spawn('true', [], options).wait());
      expect(error).to.be.instanceOf(SpawnError);
      expect(error).to.include({ code: 'INVALID_OPTION' });
    }
  });
});
