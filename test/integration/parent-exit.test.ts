import { expect } from 'chai';
import { spawn as spawnRaw, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { firstValueFrom } from 'rxjs';
import { spawn } from '../../src/index.js';
import { sharedParentExitCleanup } from '../../src/process/parent-exit.js';
import { isPidAlive, killGroup } from '../support/processes.js';
import { waitUntil } from '../support/wait.js';

interface Parent {
  child: ChildProcess;
  firstLine: Promise<string>;
  output: () => string;
}

function startParent(mode: string): Parent {
  const child = spawnRaw(process.execPath, ['--import', 'tsx', 'test/fixtures/parent-exit.ts', mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.setEncoding('utf8');
  child.stderr.resume();
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) resolve(text.slice(0, newline));
    });
    child.once('exit', () => reject(new Error(`parent exited before printing a pid: ${text}`)));
  });
  firstLine.catch(() => undefined);
  return { child, firstLine, output: () => text };
}

describe('parent-exit listeners in this process', () => {
  it('adds one listener per signal for many live children and returns to the baseline after them', async () => {
    const events = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    // Children of earlier tests may still be armed (their groups are checked after the exit): the baseline is what
    // the process has without rxproc's one set of listeners.
    const ours = (): number => (sharedParentExitCleanup().size > 0 ? 1 : 0);
    await new Promise((resolve) => setImmediate(resolve));
    const baseline = events.map((event) => process.listenerCount(event) - ours());
    const children = Array.from({ length: 20 }, () => spawn('sleep', ['30']));
    await Promise.all(children.map((child) => firstValueFrom(child.events$)));
    expect(events.map((event) => process.listenerCount(event))).to.deep.equal(baseline.map((n) => n + 1));
    await Promise.all(children.map((child) => child.kill()));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.map((event) => process.listenerCount(event))).to.deep.equal(
      baseline.map((n) => n + ours()),
    );
  });
});

describe('parent-exit cleanup (real parent processes)', function () {
  this.timeout(30_000);
  let childPid: number | undefined;

  afterEach(() => killGroup(childPid));

  const exitModes: Array<[string, number | null, NodeJS.Signals | null]> = [
    ['exit', 3, null],
    ['throw', 1, null],
    ['reject', 1, null],
  ];
  for (const [mode, code, signal] of exitModes) {
    it(`kills the child group when the parent leaves by ${mode}`, async () => {
      const parent = startParent(mode);
      childPid = Number(await parent.firstLine);
      const [exitCode, exitSignal] = (await once(parent.child, 'exit')) as [
        number | null,
        NodeJS.Signals | null,
      ];
      expect({ exitCode, exitSignal }).to.deep.equal({ exitCode: code, exitSignal: signal });
      await waitUntil(`the child ${childPid} is gone`, () => !isPidAlive(childPid!));
    });
  }

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    it(`stops the child group gracefully and re-raises when the parent gets ${signal} and nobody else listens`, async () => {
      const parent = startParent('signal');
      childPid = Number(await parent.firstLine);
      parent.child.kill(signal);
      const [exitCode, exitSignal] = (await once(parent.child, 'exit')) as [
        number | null,
        NodeJS.Signals | null,
      ];
      expect({ exitCode, exitSignal }).to.deep.equal({ exitCode: null, exitSignal: signal });
      await waitUntil(`the child ${childPid} is gone`, () => !isPidAlive(childPid!));
    });
  }

  it("with parentSignals: 'kill', kills the child group at once and re-raises", async () => {
    const parent = startParent('signal-kill');
    childPid = Number(await parent.firstLine);
    const sent = Date.now();
    parent.child.kill('SIGTERM');
    const [exitCode, exitSignal] = (await once(parent.child, 'exit')) as [
      number | null,
      NodeJS.Signals | null,
    ];
    expect({ exitCode, exitSignal }).to.deep.equal({ exitCode: null, exitSignal: 'SIGTERM' });
    // The default shutdown would have spent 2 s on SIGINT, which the background sleep ignores.
    expect(Date.now() - sent).to.be.below(1500);
    await waitUntil(`the child ${childPid} is gone`, () => !isPidAlive(childPid!));
  });

  it("keeps the application's own SIGINT listener working and forwards SIGINT to the child group", async () => {
    const parent = startParent('own-listener');
    childPid = Number(await parent.firstLine);
    parent.child.kill('SIGINT');
    // The leader (sh) and its foreground sleep die of the forwarded SIGINT while the parent is still running.
    await waitUntil('the forwarded SIGINT ended the leader', () => !isPidAlive(childPid!));
    const [exitCode] = (await once(parent.child, 'exit')) as [number | null];
    expect(exitCode).to.equal(0);
    expect(parent.output()).to.include('app handled SIGINT');
  });

  it('leaves a detached child running', async () => {
    const parent = startParent('detach');
    childPid = Number(await parent.firstLine);
    await once(parent.child, 'exit');
    expect(isPidAlive(childPid)).to.equal(true);
  });
});
