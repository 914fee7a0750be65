import { expect } from 'chai';
import { spawn as spawnRaw, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { GracefulShutdown, spawn, type TerminationReport } from '../../src/index.js';
import { isPidAlive, killGroup, trackProcesses } from '../support/processes.js';
import { waitUntil } from '../support/wait.js';

interface Parent {
  readonly child: ChildProcess;
  /** Resolves with the first line that starts with `prefix`, without it. */
  line(prefix: string): Promise<string>;
  lines(): string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startParent(mode: string): Parent {
  const child = spawnRaw(process.execPath, ['--import', 'tsx', 'test/fixtures/parent-signals.ts', mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (text += chunk));
  child.stderr.resume();
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const lines = (): string[] => text.split('\n').filter((line) => line !== '');
  return {
    child,
    lines,
    exit,
    line: (prefix) =>
      waitUntil(`the parent printed '${prefix}'`, () => {
        const found = lines().find((line) => line.startsWith(`${prefix} `));
        return found?.slice(prefix.length + 1);
      }),
  };
}

describe('parent signals and detach (real parent processes)', function () {
  this.timeout(30_000);
  let childPid: number | undefined;
  afterEach(() => killGroup(childPid));

  it('Ctrl-C without an application handler: one SIGINT, the child drains, the parent ends by SIGINT (130)', async () => {
    const parent = startParent('no-handler');
    childPid = Number(await parent.line('pid'));
    parent.child.kill('SIGINT');
    const { code, signal } = await parent.exit;
    expect({ code, signal }, parent.lines().join('\n')).to.deep.equal({ code: null, signal: 'SIGINT' });
    const childLines = parent.lines().filter((line) => line.startsWith('child SIGINT'));
    expect(childLines).to.deep.equal(['child SIGINT 1']);
    expect(JSON.parse(await parent.line('exited'))).to.deep.include({
      code: 0,
      signal: null,
      endedBecause: 'parentSignal',
    });
  });

  it("Ctrl-C with the application's handler calling terminate(): one SIGINT, counted as the first phase", async () => {
    const parent = startParent('handler');
    childPid = Number(await parent.line('pid'));
    parent.child.kill('SIGINT');
    const { code } = await parent.exit;
    expect(code).to.equal(0);
    expect(parent.lines().filter((line) => line.startsWith('child SIGINT'))).to.deep.equal([
      'child SIGINT 1',
    ]);
    const report = JSON.parse(await parent.line('report')) as TerminationReport;
    expect(report).to.deep.include({ endedBy: 'SIGINT', forced: false, status: { code: 0, signal: null } });
    expect(report.signalsForwarded).to.deep.equal(['SIGINT']);
    expect(report.signalsSent).to.deep.equal([]);
  });

  it('a second Ctrl-C while the child drains kills it at once and ends the parent by SIGINT', async () => {
    const parent = startParent('slow-drain');
    childPid = Number(await parent.line('pid'));
    parent.child.kill('SIGINT');
    // Two signals sent back to back may merge into one: the second goes once the first has reached the child.
    await waitUntil('the child got the first SIGINT', () => parent.lines().includes('child SIGINT 1'));
    const second = Date.now();
    parent.child.kill('SIGINT');
    const { signal } = await parent.exit;
    expect(signal).to.equal('SIGINT');
    expect(Date.now() - second, 'at once, not after the 20 s drain').to.be.below(2000);
    await waitUntil(`the child ${childPid} is gone`, () => !isPidAlive(childPid!));
    expect(parent.lines().filter((line) => line.startsWith('child SIGINT'))).to.deep.equal([
      'child SIGINT 1',
    ]);
  });

  it('a script whose only child is detached ends at once; the child lives on', async () => {
    const parent = startParent('detach');
    childPid = Number(await parent.line('pid'));
    const started = Date.now();
    const { code } = await parent.exit;
    expect(code).to.equal(0);
    expect(Date.now() - started).to.be.below(3000);
    expect(isPidAlive(childPid)).to.equal(true);
  });

  it('re-arming after detach kills the child again when the parent exits', async () => {
    const parent = startParent('rearm');
    childPid = Number(await parent.line('pid'));
    const { code } = await parent.exit;
    expect(code).to.equal(3);
    await waitUntil(`the child ${childPid} is gone`, () => !isPidAlive(childPid!));
  });
});

describe('everyday use in this process', function () {
  this.timeout(20_000);
  const track = trackProcesses();

  it('wait() ends a piped stdin first, so cat finishes', async () => {
    const proc = track(spawn('cat', [], { stdin: 'pipe' }));
    await proc.stdin.write('hello\n');
    const outcome = await proc.wait({ timeoutMs: 2000, output: 'lines' });
    expect(outcome.type).to.equal('exited');
    expect(outcome.output.stdout.lines).to.deep.equal(['hello']);
  });

  it('an abort shows on the exit event, on wait() and in the report', async () => {
    const controller = new AbortController();
    const proc = track(
      spawn('sleep', ['30'], { signal: controller.signal, shutdown: GracefulShutdown.sigterm(2000) }),
    );
    const events: unknown[] = [];
    proc.events$.subscribe((event) => events.push(event));
    await waitUntil('sleep runs', () => proc.state === 'running');
    controller.abort();
    const outcome = await proc.wait();
    expect(outcome).to.deep.equal({
      type: 'exited',
      status: { code: null, signal: 'SIGTERM' },
      endedBecause: 'aborted',
    });
    const exited = events.find((event) => (event as { type: string }).type === 'exited');
    expect(exited).to.deep.include({ endedBecause: 'aborted' });
    const terminated = await waitUntil('the report', () =>
      events.find((event) => (event as { type: string }).type === 'terminated'),
    );
    expect((terminated as { report: TerminationReport }).report.reason).to.equal('aborted');
  });

  it('20 children sharing one AbortSignal add one abort listener', async () => {
    const controller = new AbortController();
    const added: string[] = [];
    const original = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((
      type: string,
      ...rest: Parameters<typeof original> extends [string, ...infer R] ? R : never
    ) => {
      added.push(type);
      original(type, ...rest);
    }) as typeof controller.signal.addEventListener;
    let warnings = 0;
    const onWarning = (warning: Error): void => {
      if (warning.name === 'MaxListenersExceededWarning') warnings += 1;
    };
    process.on('warning', onWarning);
    const children = Array.from({ length: 20 }, () =>
      track(spawn('sleep', ['30'], { signal: controller.signal, shutdown: GracefulShutdown.sigterm(2000) })),
    );
    await waitUntil('all run', () => children.every((child) => child.state === 'running'));
    expect(added).to.deep.equal(['abort']);
    controller.abort();
    const outcomes = await Promise.all(children.map((child) => child.wait()));
    process.off('warning', onWarning);
    expect(
      outcomes.every((outcome) => outcome.type === 'exited' && outcome.endedBecause === 'aborted'),
    ).to.equal(true);
    expect(warnings).to.equal(0);
  });
});
