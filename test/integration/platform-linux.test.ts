import { firstValueFrom } from 'rxjs';
/**
 * The Linux platform against real processes. Every test kills what it started and waits for the `'exit'` event;
 * processes outside the leader's group (setsid escapees) are tracked and killed by identity.
 */
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { runCommand, runCommandSync } from '../../src/platform/command-runner.js';
import { createDarwinPlatform } from '../../src/platform/darwin.js';
import { createLinuxPlatform } from '../../src/platform/linux.js';
import type { Platform, ProcessIdentity, ProcessInfo, TreeRoot } from '../../src/platform/types.js';
import { waitUntil } from '../support/wait.js';

/** A pid no kernel hands out (above the 2^22 maximum of pid_max). */
const IMPOSSIBLE_PID = 2 ** 30;

/** Starts `sh -c script` through `platform`, records it for cleanup, and waits until it has a pid. */
async function startShellOn(
  platform: Platform,
  children: ChildProcess[],
  script: string,
): Promise<{ child: ChildProcess; root: TreeRoot }> {
  const child = platform.spawnChild({
    command: 'sh',
    args: ['-c', script],
    cwd: undefined,
    env: undefined,
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'ignore',
  });
  children.push(child);
  await once(child, 'spawn');
  const pid = child.pid!;
  return { child, root: { pid, pgid: pid, sid: pid } };
}

describe('linux platform with real processes', function () {
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  let platform: Platform;
  const children: ChildProcess[] = [];
  const strays: ProcessIdentity[] = [];

  beforeEach(() => {
    platform = createLinuxPlatform();
  });

  afterEach(async () => {
    for (const stray of strays.splice(0)) {
      if (await platform.isAlive(stray)) platform.signalProcess(stray.pid, 'SIGKILL');
    }
    for (const child of children.splice(0)) {
      const exited = child.exitCode !== null || child.signalCode !== null;
      const exit = exited ? Promise.resolve() : once(child, 'exit');
      if (child.pid !== undefined) platform.signalGroup(child.pid, 'SIGKILL');
      await exit;
    }
  });

  const startShell = (script: string): Promise<{ child: ChildProcess; root: TreeRoot }> =>
    startShellOn(platform, children, script);

  async function treeWhere(root: TreeRoot, what: string, ok: (tree: ProcessInfo[]) => boolean) {
    return waitUntil(what, async () => {
      const tree = await platform.snapshotTree(root);
      return ok(tree) ? tree : undefined;
    });
  }

  it('starts the child as the leader of a new group and session', async () => {
    const { root } = await startShell('sleep 30 & sleep 30');
    const info = await platform.readProcess(root.pid);
    expect(info).to.include({
      pid: root.pid,
      pgid: root.pid,
      sid: root.pid,
      ppid: process.pid,
      command: 'sh',
    });
    expect(info?.startTime).to.match(/^\d+$/);
  });

  it('snapshots the leader and both sleeps, then a group SIGKILL leaves nothing alive', async () => {
    const { child, root } = await startShell('sleep 30 & sleep 30');
    const tree = await treeWhere(
      root,
      'both sleeps run',
      (t) => t.filter((p) => p.command === 'sleep').length === 2,
    );
    expect(tree.map((p) => p.pid)).to.include(root.pid);
    expect(tree).to.have.length(3);
    for (const member of tree) expect(member).to.include({ pgid: root.pgid, sid: root.sid });
    const leader = tree.find((p) => p.pid === root.pid)!;

    expect(await platform.isAlive(leader)).to.equal(true);
    expect(await platform.isGroupAlive(root.pgid)).to.equal(true);

    const exit = once(child, 'exit');
    expect(platform.signalGroup(root.pgid, 'SIGKILL')).to.deep.equal({ ok: true });
    await exit;

    expect(await platform.isAlive(leader)).to.equal(false);
    await waitUntil('the group is empty', async () => !(await platform.isGroupAlive(root.pgid)));
    for (const member of tree) {
      await waitUntil(`pid ${member.pid} is gone`, async () => !(await platform.isAlive(member)));
    }
  });

  it('finds a setsid grandchild through its parent link while the leader lives', async () => {
    const { root } = await startShell('setsid sleep 30 & sleep 30');
    const tree = await treeWhere(root, 'the setsid sleep has its own session', (t) =>
      t.some((p) => p.command === 'sleep' && p.sid !== root.sid),
    );
    const escapee = tree.find((p) => p.sid !== root.sid)!;
    strays.push(escapee);
    expect(escapee).to.include({ ppid: root.pid, pgid: escapee.pid, sid: escapee.pid });
    // Not reachable through the group: only the snapshot knows about it.
    expect(platform.signalGroup(root.pgid, 'SIGKILL')).to.deep.equal({ ok: true });
    await sleep(50);
    expect(await platform.isAlive(escapee)).to.equal(true);
  });

  it('treats a pid with another start time as a different (recycled) process', async () => {
    const { root } = await startShell('sleep 30');
    const info = (await platform.readProcess(root.pid))!;
    expect(await platform.isAlive({ pid: info.pid, startTime: info.startTime })).to.equal(true);
    expect(await platform.isAlive({ pid: info.pid, startTime: String(Number(info.startTime) + 1) })).to.equal(
      false,
    );
    expect(await platform.isAlive({ pid: info.pid, startTime: '' })).to.equal(false);
  });

  it('counts a zombie as not alive, while its group still has a live member', async () => {
    // The exec'd sleep 30 never reaps its child, so the sleep 0.1 stays a zombie until the group dies.
    const { root } = await startShell('sleep 0.1 & exec sleep 30');
    const tree = await treeWhere(root, 'a member is a zombie', (t) => t.some((p) => p.state === 'zombie'));
    const zombie = tree.find((p) => p.state === 'zombie')!;
    expect(zombie).to.include({ ppid: root.pid, pgid: root.pgid });
    expect(await platform.isAlive(zombie)).to.equal(false);
    expect(await platform.readProcess(zombie.pid)).to.include({ state: 'zombie' });
    expect(await platform.isGroupAlive(root.pgid)).to.equal(true);
  });

  it('killTreeSync kills the group and only the escapees whose identity matches', async () => {
    const { child, root } = await startShell('setsid sleep 30 & sleep 30');
    const tree = await treeWhere(root, 'the setsid sleep has its own session', (t) =>
      t.some((p) => p.command === 'sleep' && p.sid !== root.sid),
    );
    const escapee = tree.find((p) => p.sid !== root.sid)!;
    strays.push(escapee);

    const exit = once(child, 'exit');
    platform.killTreeSync(root.pgid, [{ pid: escapee.pid, startTime: 'not-its-start-time' }]);
    await exit;
    await sleep(50);
    expect(await platform.isAlive(escapee)).to.equal(true);

    platform.killTreeSync(root.pgid, [{ pid: escapee.pid, startTime: escapee.startTime }]);
    await waitUntil('the escapee is gone', async () => !(await platform.isAlive(escapee)));
  });

  it('reads nothing for a pid that does not exist, and reports ESRCH for a group that does not', async () => {
    expect(await platform.readProcess(IMPOSSIBLE_PID)).to.equal(undefined);
    expect(await platform.isAlive({ pid: IMPOSSIBLE_PID, startTime: '1' })).to.equal(false);
    expect(await platform.isGroupAlive(IMPOSSIBLE_PID)).to.equal(false);
    expect(
      await platform.snapshotTree({ pid: IMPOSSIBLE_PID, pgid: IMPOSSIBLE_PID, sid: IMPOSSIBLE_PID }),
    ).to.deep.equal([]);
    expect(platform.signalGroup(IMPOSSIBLE_PID, 'SIGTERM')).to.include({ ok: false, code: 'ESRCH' });
    expect(platform.signalProcess(IMPOSSIBLE_PID, 'SIGTERM')).to.include({ ok: false, code: 'ESRCH' });
  });

  it('lists every process in the shared table with CPU time and resident memory', async () => {
    const { root } = await startShell('sleep 30');
    const scan = await firstValueFrom(platform.processTable.fresh());
    const row = scan.byPid.get(root.pid);
    expect(row).to.include({ pid: root.pid, pgid: root.pgid });
    expect(row?.cpuMs).to.be.a('number').and.at.least(0);
    expect(row?.rssBytes).to.be.a('number').and.above(0);
    expect(scan.byPid.has(IMPOSSIBLE_PID)).to.equal(false);
  });
});

describe('the ps-based (macOS) platform, smoke-tested against procps ps on Linux', function () {
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      const exit =
        child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
      if (child.pid !== undefined) createLinuxPlatform().signalGroup(child.pid, 'SIGKILL');
      await exit;
    }
  });

  it('runs commands: non-zero exits are results, a missing binary rejects', async () => {
    expect(await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3'])).to.deep.equal({
      exitCode: 3,
      stdout: 'out\n',
      stderr: 'err\n',
    });
    expect(runCommandSync('sh', ['-c', 'echo out; exit 0'])).to.deep.equal({
      exitCode: 0,
      stdout: 'out\n',
      stderr: '',
    });
    expect(await runCommand('sh', ['-c', 'kill -TERM $$'])).to.deep.equal({
      exitCode: null,
      stdout: '',
      stderr: '',
    });
    let caught: unknown;
    await runCommand('/nonexistent/rxproc-binary', []).catch((error: unknown) => (caught = error));
    expect(caught).to.be.instanceOf(Error);
    expect(() => runCommandSync('/nonexistent/rxproc-binary', [])).to.throw();
  });

  it('reads, snapshots and kills a real group through ps', async () => {
    const darwin = createDarwinPlatform();
    const { child, root } = await startShellOn(darwin, children, 'sleep 30 & sleep 30');
    const pid = root.pid;

    const leader = (await darwin.readProcess(pid))!;
    expect(leader).to.include({ pid, ppid: process.pid, pgid: pid, sid: undefined, command: 'sh' });
    expect(await darwin.isAlive(leader)).to.equal(true);
    const tree = await waitUntil('both sleeps run', async () => {
      const found = await darwin.snapshotTree(root);
      return found.length === 3 ? found : undefined;
    });
    expect(tree.map((p) => p.command).sort()).to.deep.equal(['sh', 'sleep', 'sleep']);

    const exit = once(child, 'exit');
    expect(darwin.signalGroup(pid, 'SIGKILL')).to.deep.equal({ ok: true });
    await exit;
    expect(await darwin.isAlive(leader)).to.equal(false);
    await waitUntil('the group is empty', async () => !(await darwin.isGroupAlive(pid)));
  });
});
