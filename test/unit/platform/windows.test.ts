import { firstValueFrom } from 'rxjs';
import { ChildProcess } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import { expect } from 'chai';
import sinon from 'sinon';
import type { SignalName } from '../../../src/core/signals.js';
import { createWindowsPlatform, outcomeFromTaskkill } from '../../../src/platform/windows.js';
import type { WindowsDeps } from '../../../src/platform/windows.js';
import { FakeCommands, failed, ok } from './fake-commands.js';

const OWN_PID = 4000;

function setup(answers: ConstructorParameters<typeof FakeCommands>[0], extra: Partial<WindowsDeps> = {}) {
  const commands = new FakeCommands(answers);
  const kill = sinon.stub<[number, SignalName]>();
  const platform = createWindowsPlatform({
    runSync: commands.runSync,
    kill,
    ownPid: OWN_PID,
    pidtree: () => Promise.reject(new Error('unexpected pidtree call')),
    psList: () => Promise.reject(new Error('unexpected ps-list call')),
    ...extra,
  });
  return { platform, commands, kill };
}

const listing = [
  { pid: 4, ppid: 0, name: 'System' },
  { pid: 900, ppid: 800, name: 'cmd.exe' },
  { pid: 901, ppid: 900, name: 'node.exe' },
  { pid: 902, ppid: 901, name: 'conhost.exe' },
  { pid: 950, ppid: 800, name: 'other.exe' },
];

describe('windows platform (fake taskkill, pidtree and ps-list)', () => {
  it('describes itself honestly', () => {
    const { platform } = setup({});
    expect(platform.os).to.equal('win32');
    expect(platform.treePrecision).to.equal('ppidOnly');
  });

  it('spawns without detached, with windowsHide', () => {
    const child = new ChildProcess();
    const spawn = sinon.stub<[string, readonly string[], SpawnOptions], ChildProcess>().returns(child);
    const { platform } = setup({}, { spawn });
    const request = {
      command: 'node.exe',
      args: ['a.js', 'b c'],
      cwd: undefined,
      env: undefined,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    } as const;
    expect(platform.spawnChild(request)).to.equal(child);
    expect(spawn.args).to.deep.equal([
      [
        'node.exe',
        ['a.js', 'b c'],
        { cwd: undefined, env: undefined, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true },
      ],
    ]);
    expect(spawn.args[0]![2]).not.to.have.property('detached');
  });

  describe('signalGroup', () => {
    for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
      it(`runs taskkill /T /F for ${signal}`, () => {
        const { platform, commands, kill } = setup({ 'taskkill /PID 900 /T /F': ok('SUCCESS') });
        expect(platform.signalGroup(900, signal)).to.deep.equal({ ok: true });
        expect(commands.calls).to.deep.equal(['taskkill /PID 900 /T /F']);
        expect(kill.called).to.equal(false);
      });
    }

    for (const signal of ['SIGCONT', 'SIGSTOP', 'SIGWINCH'] as const) {
      it(`reports ENOSYS for ${signal} and runs nothing`, () => {
        const { platform, commands } = setup({});
        expect(platform.signalGroup(900, signal)).to.include({ ok: false, code: 'ENOSYS' });
        expect(commands.calls).to.deep.equal([]);
      });
    }

    for (const target of [0, 1, -1, NaN, 1.5, OWN_PID]) {
      it(`refuses ${String(target)} without running taskkill`, () => {
        const { platform, commands } = setup({});
        expect(platform.signalGroup(target, 'SIGKILL')).to.include({ ok: false, code: 'unsafeTarget' });
        expect(commands.calls).to.deep.equal([]);
      });
    }

    it('maps taskkill exit 128 to ESRCH', () => {
      const { platform } = setup({
        'taskkill /PID 900 /T /F': failed(128, 'ERROR: The process "900" not found.'),
      });
      expect(platform.signalGroup(900, 'SIGKILL')).to.include({ ok: false, code: 'ESRCH' });
    });

    it('maps "Access is denied" to EPERM and other failures to unknown', () => {
      const denied = failed(
        1,
        'ERROR: The process with PID 900 could not be terminated.\nReason: Access is denied.',
      );
      expect(outcomeFromTaskkill(denied)).to.include({ ok: false, code: 'EPERM' });
      expect(outcomeFromTaskkill(failed(255, 'something else'))).to.include({ ok: false, code: 'unknown' });
      expect(outcomeFromTaskkill(failed(1, ''))).to.include({ ok: false, code: 'unknown' });
    });

    it('maps a taskkill that cannot run to unknown, without throwing', () => {
      const { platform } = setup({ 'taskkill /PID 900 /T /F': new Error('spawnSync taskkill ENOENT') });
      expect(platform.signalGroup(900, 'SIGKILL')).to.include({ ok: false, code: 'unknown' });
    });
  });

  describe('signalProcess', () => {
    it('uses process.kill and maps its errors', () => {
      const { platform, kill } = setup({});
      expect(platform.signalProcess(901, 'SIGTERM')).to.deep.equal({ ok: true });
      kill.throws(Object.assign(new Error('kill ENOSYS'), { code: 'ENOSYS' }));
      expect(platform.signalProcess(901, 'SIGUSR2')).to.include({ ok: false, code: 'ENOSYS' });
      expect(platform.signalProcess(OWN_PID, 'SIGKILL')).to.include({ code: 'unsafeTarget' });
      expect(kill.args).to.deep.equal([
        [901, 'SIGTERM'],
        [901, 'SIGUSR2'],
      ]);
    });
  });

  describe('reads', () => {
    it('readProcess and isAlive come from ps-list, with an empty start time', async () => {
      const { platform } = setup({}, { psList: () => Promise.resolve(listing) });
      expect(await platform.readProcess(901)).to.deep.equal({
        pid: 901,
        ppid: 900,
        pgid: undefined,
        sid: undefined,
        state: 'unknown',
        startTime: '',
        command: 'node.exe',
      });
      expect(await platform.readProcess(12345)).to.equal(undefined);
      expect(await platform.isAlive({ pid: 901, startTime: '' })).to.equal(true);
      expect(await platform.isAlive({ pid: 12345, startTime: '' })).to.equal(false);
    });

    it('isGroupAlive follows parent links, also from a root that is gone', async () => {
      const { platform } = setup({}, { psList: () => Promise.resolve(listing.filter((p) => p.pid !== 900)) });
      expect(await platform.isGroupAlive(900)).to.equal(true); // 901 still names 900 as its parent
      expect(await platform.isGroupAlive(7777)).to.equal(false);
      expect(await platform.isGroupAlive(0)).to.equal(false);
    });

    it('snapshotTree comes from pidtree', async () => {
      const pidtree = sinon.stub().resolves([
        { pid: 900, ppid: 800 },
        { pid: 901, ppid: 900 },
      ]);
      const { platform } = setup({}, { pidtree });
      const tree = await platform.snapshotTree({ pid: 900, pgid: 900, sid: 900 });
      expect(pidtree.args).to.deep.equal([[900]]);
      expect(tree.map((p) => [p.pid, p.ppid, p.startTime])).to.deep.equal([
        [900, 800, ''],
        [901, 900, ''],
      ]);
    });

    it('snapshotTree leaves out a root that is gone and is empty when pidtree finds nothing', async () => {
      const gone = setup({}, { pidtree: sinon.stub().resolves([{ pid: 900 }, { pid: 901, ppid: 900 }]) });
      expect(
        (await gone.platform.snapshotTree({ pid: 900, pgid: 900, sid: 900 })).map((p) => p.pid),
      ).to.deep.equal([901]);
      const none = setup({}, { pidtree: sinon.stub().rejects(new Error('No matching pid found')) });
      expect(await none.platform.snapshotTree({ pid: 900, pgid: 900, sid: 900 })).to.deep.equal([]);
    });

    it('lists processes in the shared table without CPU or memory figures (ps-list has none here)', async () => {
      const { platform } = setup({}, { psList: () => Promise.resolve(listing) });
      const scan = await firstValueFrom(platform.processTable.fresh());
      expect(scan.rows.map((row) => row.pid)).to.include(900);
      expect(scan.rows.every((row) => row.cpuMs === undefined && row.rssBytes === undefined)).to.equal(true);
    });
  });

  it('cannot name the holdouts of a timeout: no signal masks are readable here', async () => {
    const { platform, commands } = setup({});
    expect(await platform.describeHoldouts(4242, 'SIGTERM')).to.equal(undefined);
    expect(commands.calls).to.deep.equal([]);
  });

  describe('killTreeSync', () => {
    it('runs one taskkill /T /F for the root and leaves escapees alone', () => {
      const { platform, commands, kill } = setup({ 'taskkill /PID 900 /T /F': ok('') });
      platform.killTreeSync(900, [{ pid: 950, startTime: '' }]);
      expect(commands.calls).to.deep.equal(['taskkill /PID 900 /T /F']);
      expect(kill.called).to.equal(false);
    });

    it('runs nothing once the tree is known to be gone (null)', () => {
      const { platform, commands, kill } = setup({});
      platform.killTreeSync(null, [{ pid: 950, startTime: '' }]);
      expect(commands.calls).to.deep.equal([]);
      expect(kill.called).to.equal(false);
    });

    it('never throws', () => {
      const { platform } = setup({ 'taskkill /PID 900 /T /F': new Error('no taskkill') });
      expect(() => platform.killTreeSync(900, [])).not.to.throw();
      expect(() => platform.killTreeSync(OWN_PID, [])).not.to.throw();
    });
  });
});
