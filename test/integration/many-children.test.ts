import { expect } from 'chai';
import { spawn as spawnRaw, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { firstValueFrom, take, toArray } from 'rxjs';
import {
  currentPlatform,
  GracefulShutdown,
  type ProcessHandle,
  type ProcessUsage,
  spawn,
} from '../../src/index.js';
import { isPidAlive, killGroup } from '../support/processes.js';
import { kernelRssBytes, processesRunning } from '../support/proc-table.js';
import { fixturePath } from '../support/termination.js';
import { waitUntil } from '../support/wait.js';

/** Node code for a child that says `ready`, idles for `idleMs`, then keeps one core busy. */
const idleThenBusy = (idleMs: number): string =>
  `console.log("ready"); setTimeout(() => { for (;;) {} }, ${idleMs}); setInterval(() => {}, 1e9);`;

describe('many children: one process table, arming to the end, marked escapees, live usage', function () {
  this.timeout(30_000);
  const handles: ProcessHandle[] = [];
  const strangers: ChildProcess[] = [];
  const track = (proc: ProcessHandle): ProcessHandle => {
    handles.push(proc);
    return proc;
  };

  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  afterEach(async () => {
    for (const stranger of strangers.splice(0)) killGroup(stranger.pid);
    await Promise.all(handles.splice(0).map((proc) => proc.kill().catch(() => undefined)));
  });

  it('disarms once a member that outlived its leader ends on its own, whenever that is', async () => {
    const proc = track(spawn('sh', ['-c', 'sleep 0.4 & exit 0']));
    await proc.wait();
    expect(proc.isArmed, 'armed while the background sleep lives').to.equal(true);
    await waitUntil('the handle disarms after the sleep ended', () => !proc.isArmed);
  });

  /** Runs an ES module script that imports `names` from the library; resolves with how it ended and its lines. */
  async function runScript(names: string, ...body: string[]) {
    const library = new URL('../../src/index.ts', import.meta.url).href;
    const script = [`import { ${names} } from ${JSON.stringify(library)};`, ...body].join('\n');
    const program = track(spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]));
    const outcome = await program.wait({ timeoutMs: 15_000, output: 'lines' });
    return { ended: outcome.type, lines: outcome.output.stdout.lines };
  }

  it('lets a program end whose child left a background job; the job is killed at its exit', async () => {
    const result = await runScript(
      'spawn',
      "const proc = spawn('sh', ['-c', 'sleep 304 & exit 0']);",
      'await proc.wait();',
      "console.log(proc.isArmed ? 'armed' : 'disarmed');",
    );
    // Watching the lingering group must not keep the program alive: it ends on its own, still armed.
    expect(result).to.deep.equal({ ended: 'exited', lines: ['armed'] });
    await waitUntil(
      'the background job was killed at exit',
      () => processesRunning('sleep 304').length === 0,
    );
  });

  it('keeps a program alive while it awaits a scan it asked for', async () => {
    const result = await runScript(
      'currentPlatform',
      'const tree = await currentPlatform().snapshotTree({ pid: process.pid, pgid: process.pid, sid: process.pid });',
      "console.log(tree.some((p) => p.pid === process.pid) ? 'found itself' : 'missing');",
    );
    expect(result).to.deep.equal({ ended: 'exited', lines: ['found itself'] });
  });

  it('never signals a stranger that took over the number of a group it saw empty', async function () {
    const proc = track(spawn('sh', ['-c', 'sleep 0.2 & exit 0']));
    await proc.wait();
    const number = proc.pid!;
    await waitUntil('the group is seen empty', () => !proc.isArmed);
    // Recycle the number: ask the kernel for it as the next pid (root only), and start a group leader there.
    let stranger: ChildProcess | undefined;
    for (let attempt = 0; attempt < 50 && stranger === undefined; attempt += 1) {
      try {
        writeFileSync('/proc/sys/kernel/ns_last_pid', String(number - 1));
      } catch {
        this.skip(); // not root, or no ns_last_pid: the number cannot be recycled on demand here
      }
      const candidate = spawnRaw('sleep', ['30'], { detached: true, stdio: 'ignore' });
      strangers.push(candidate);
      await once(candidate, 'spawn');
      if (candidate.pid === number) stranger = candidate;
      // The number stays taken until the last member's zombie is reaped by init: try again a little later.
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (stranger === undefined) this.skip(); // another process kept taking the number
    const report = await proc.terminate();
    expect(report).to.include({ endedBy: 'alreadyExited' });
    expect(report.signalsSent).to.deep.equal([]);
    expect(proc.sendSignal('SIGTERM')).to.deep.equal({ sent: false, reason: 'exited' });
    await proc.kill();
    expect(isPidAlive(number), 'the stranger lives').to.equal(true);
  });

  it('finds a double-forked daemon by its marker, kills it and reports it', async () => {
    const proc = track(spawn('sh', ['-c', '( setsid sleep 301 & ) ; sleep 300']));
    const [daemon] = await waitUntil('the daemon runs', () => {
      const found = processesRunning('sleep 301');
      return found.length > 0 ? found : undefined;
    });
    const report = await proc.terminate();
    expect(report.survivorsKilled).to.deep.include(daemon);
    expect(report.stillAlive).to.deep.equal([]);
    expect(report.snapshot.find((member) => member.pid === daemon!.pid)).to.include({ inGroup: false });
    expect(processesRunning('sleep 301')).to.deep.equal([]);
  });

  it('finds an escapee forked after the snapshot, while the child was stopping', async () => {
    const proc = track(spawn(process.execPath, [fixturePath('late-escapee.cjs'), '302']));
    await proc.stdout.waitForLine('ready', { timeoutMs: 10_000 });
    const report = await proc.terminate(GracefulShutdown.sigterm(5000));
    expect(report.snapshot.map((member) => member.pid)).to.deep.equal([proc.pid]);
    const [late] = report.survivorsKilled;
    expect(late, 'the daemon started by the SIGTERM handler was killed').not.to.equal(undefined);
    expect(isPidAlive(late!.pid)).to.equal(false);
    expect(processesRunning('sleep 302')).to.deep.equal([]);
  });

  it('without a marker, a double-forked daemon is not found (the documented limit)', async () => {
    const proc = track(spawn('sh', ['-c', '( setsid sleep 303 & ) ; sleep 300'], { marker: false }));
    await waitUntil('the daemon runs', () => processesRunning('sleep 303').length > 0);
    const report = await proc.terminate();
    expect(report.survivorsKilled).to.deep.equal([]);
    const [daemon] = processesRunning('sleep 303');
    expect(daemon).not.to.equal(undefined);
    process.kill(daemon!.pid, 'SIGKILL');
  });

  it('reads CPU over the last interval: idle under 5 %, busy at least 80 % within 2 s of becoming busy', async () => {
    const proc = track(spawn(process.execPath, ['-e', idleThenBusy(2100)]));
    await proc.stdout.waitForLine('ready', { timeoutMs: 10_000 });
    const samples: ProcessUsage[] = await firstValueFrom(proc.usage$(500).pipe(take(8), toArray()));
    const percents = JSON.stringify(samples.map((sample) => Math.round(sample.cpuPercent)));
    // The first interval may still hold the end of Node's start-up (V8's background compilation and GC); the
    // next three are idle.
    expect(
      samples.slice(1, 4).every((sample) => sample.cpuPercent < 5),
      percents,
    ).to.equal(true);
    // Busy from 2.1 s on: the samples ending at 3, 3.5 and 4 s cover fully busy intervals.
    expect(
      samples.slice(5).some((sample) => sample.cpuPercent >= 80),
      percents,
    ).to.equal(true);
  });

  it('reports resident memory within 10 % of the kernel figure', async () => {
    const proc = track(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)']));
    await firstValueFrom(proc.events$);
    const [, usage] = await firstValueFrom(proc.usage$(300).pipe(take(2), toArray()));
    const kernel = kernelRssBytes(proc.pid!)!;
    expect(Math.abs(usage!.rssBytes - kernel) / kernel).to.be.below(0.1);
  });

  it('measures from the spawn on when usage$ is subscribed right after spawn()', async () => {
    const proc = track(spawn('sleep', ['30']));
    const [usage] = await firstValueFrom(proc.usage$(200).pipe(take(1), toArray()));
    expect(usage!.tree.processes).to.equal(1);
  });

  it('counts the worker of a sh -c wrapper in the tree', async () => {
    const proc = track(spawn('sh', ['-c', `${process.execPath} -e '${idleThenBusy(0)}'`]));
    await firstValueFrom(proc.events$);
    await waitUntil(
      'the worker runs',
      () => processesRunning(`${process.execPath} -e ${idleThenBusy(0)}`).length,
    );
    const [, usage] = await firstValueFrom(proc.usage$(600).pipe(take(2), toArray()));
    expect(usage!.tree.processes).to.equal(2);
    // The worker's CPU is the tree's, not the wrapper's (how much it gets depends on the machine's load).
    expect(usage!.tree.cpuPercent).to.be.above(usage!.cpuPercent + 30);
    expect(usage!.cpuPercent).to.be.below(5);
    expect(usage!.tree.rssBytes).to.be.above(usage!.rssBytes);
    // Without a marker the worker still counts: it is in the wrapper's group.
    const unmarked = track(
      spawn('sh', ['-c', `${process.execPath} -e 'setInterval(() => {}, 1e9)'`], { marker: false }),
    );
    await firstValueFrom(unmarked.events$);
    const [, plain] = await firstValueFrom(unmarked.usage$(300).pipe(take(2), toArray()));
    expect(plain!.tree.processes).to.equal(2);
  });

  it('samples 30 children at the same interval with one table scan per interval in total', async () => {
    const children = Array.from({ length: 30 }, () => track(spawn('sleep', ['30'])));
    await Promise.all(children.map((proc) => firstValueFrom(proc.events$)));
    const table = currentPlatform().processTable;
    const before = table.scanCount;
    await Promise.all(children.map((proc) => firstValueFrom(proc.usage$(1000).pipe(take(3), toArray()))));
    const scans = table.scanCount - before;
    // Three samples each need four ticks of the shared 1 s ticker; 30 unshared samplers would need 120 scans.
    expect(scans).to.be.at.most(8);
  });
});
