import { ChildProcess } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import { expect } from 'chai';
import sinon from 'sinon';
import { createDarwinPlatform } from '../../../src/platform/darwin.js';
import type { DarwinDeps } from '../../../src/platform/darwin.js';
import type { SignalName } from '../../../src/core/signals.js';
import { PS_LISTING } from './darwin-fixtures.js';
import { FakeCommands, failed, ok } from './fake-commands.js';

const FORMAT = 'pid=,ppid=,pgid=,stat=,lstart=,comm=';
const PS_ALL = `ps -A -ww -o ${FORMAT}`;
const OWN_PID = 500;
const OWN_PGID_QUERY = `ps -o pgid= -p ${OWN_PID}`;

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`kill ${code}`), { code });
}

function setup(answers: ConstructorParameters<typeof FakeCommands>[0], extra: Partial<DarwinDeps> = {}) {
  const commands = new FakeCommands({ [OWN_PGID_QUERY]: ok(' 450\n'), ...answers });
  const kill = sinon.stub<[number, SignalName]>();
  const platform = createDarwinPlatform({
    run: commands.run,
    runSync: commands.runSync,
    kill,
    ownPid: OWN_PID,
    pidtree: () => Promise.reject(new Error('pidtree must not be used here')),
    psList: () => Promise.resolve([]),
    ...extra,
  });
  return { platform, commands, kill };
}

describe('darwin platform (fake ps and kill)', () => {
  it('describes itself honestly', () => {
    const { platform } = setup({});
    expect(platform.os).to.equal('darwin');
    expect(platform.treePrecision).to.equal('ppidOnly');
  });

  it('spawns detached with the requested stdio, and does not unref', () => {
    const child = new ChildProcess();
    const spawn = sinon.stub<[string, readonly string[], SpawnOptions], ChildProcess>().returns(child);
    const { platform } = setup({}, { spawn });
    const request = {
      command: 'node',
      args: ['a.js'],
      cwd: '/tmp',
      env: { A: '1' },
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'inherit',
    } as const;
    expect(platform.spawnChild(request)).to.equal(child);
    expect(spawn.args).to.deep.equal([
      [
        'node',
        ['a.js'],
        { cwd: '/tmp', env: { A: '1' }, stdio: ['ignore', 'pipe', 'inherit'], detached: true },
      ],
    ]);
  });

  describe('signalGroup', () => {
    it('reads its own group once, then signals the negative pgid', () => {
      const { platform, commands, kill } = setup({});
      expect(platform.signalGroup(600, 'SIGTERM')).to.deep.equal({ ok: true });
      expect(platform.signalGroup(600, 'SIGKILL')).to.deep.equal({ ok: true });
      expect(commands.calls).to.deep.equal([OWN_PGID_QUERY]);
      expect(kill.args).to.deep.equal([
        [-600, 'SIGTERM'],
        [-600, 'SIGKILL'],
      ]);
    });

    for (const target of [0, 1, -1, NaN, 1.5, OWN_PID, 450]) {
      it(`refuses ${String(target)} without signalling`, () => {
        const { platform, kill } = setup({});
        expect(platform.signalGroup(target, 'SIGKILL')).to.include({ ok: false, code: 'unsafeTarget' });
        expect(kill.called).to.equal(false);
      });
    }

    it('still refuses its own pid when its group cannot be read', () => {
      const { platform, kill } = setup({ [OWN_PGID_QUERY]: new Error('spawn ps ENOENT') });
      expect(platform.signalGroup(OWN_PID, 'SIGKILL')).to.include({ code: 'unsafeTarget' });
      expect(platform.signalGroup(600, 'SIGKILL')).to.deep.equal({ ok: true });
      expect(kill.args).to.deep.equal([[-600, 'SIGKILL']]);
    });

    it('reports ESRCH as is, without a ps check', () => {
      const { platform, commands, kill } = setup({});
      kill.throws(errno('ESRCH'));
      expect(platform.signalGroup(600, 'SIGTERM')).to.include({ ok: false, code: 'ESRCH' });
      expect(commands.calls).to.deep.equal([OWN_PGID_QUERY]);
    });

    it('turns EPERM from a zombie-only group into ESRCH', () => {
      const zombiesOnly = ['  800     1   800 Z    Tue Feb  6 10:30:00 2024     <defunct>', ''].join('\n');
      const { platform, commands, kill } = setup({ [PS_ALL]: ok(PS_LISTING + zombiesOnly) });
      kill.throws(errno('EPERM'));
      const outcome = platform.signalGroup(800, 'SIGTERM');
      expect(outcome).to.include({ ok: false, code: 'ESRCH' });
      expect(!outcome.ok && outcome.error.message).to.match(/zombie-only/);
      expect(commands.calls).to.deep.equal([OWN_PGID_QUERY, PS_ALL]);
    });

    it('keeps EPERM when a live member exists (a real permission problem)', () => {
      const { platform, kill } = setup({ [PS_ALL]: ok(PS_LISTING) });
      kill.throws(errno('EPERM'));
      // group 600 has a zombie (601) but also live 600 and 602
      expect(platform.signalGroup(600, 'SIGTERM')).to.include({ ok: false, code: 'EPERM' });
    });

    it('keeps EPERM when the ps check itself fails', () => {
      const { platform, kill } = setup({ [PS_ALL]: new Error('ps failed') });
      kill.throws(errno('EPERM'));
      expect(platform.signalGroup(600, 'SIGTERM')).to.include({ ok: false, code: 'EPERM' });
    });
  });

  describe('signalProcess', () => {
    it('signals the pid and refuses unsafe targets', () => {
      const { platform, commands, kill } = setup({});
      expect(platform.signalProcess(602, 'SIGCONT')).to.deep.equal({ ok: true });
      expect(platform.signalProcess(OWN_PID, 'SIGKILL')).to.include({ code: 'unsafeTarget' });
      expect(platform.signalProcess(1, 'SIGKILL')).to.include({ code: 'unsafeTarget' });
      expect(kill.args).to.deep.equal([[602, 'SIGCONT']]);
      expect(commands.calls).to.deep.equal([]);
    });
  });

  describe('reads', () => {
    const line602 = '  602     1   600 T    Tue Feb  6 10:30:03 2024     sleep\n';
    const line601 = '  601   600   600 Z    Tue Feb  6 10:30:02 2024     <defunct>\n';

    it('readProcess runs ps -p and parses the answer', async () => {
      const { platform, commands } = setup({ [`ps -ww -o ${FORMAT} -p 602`]: ok(line602) });
      expect(await platform.readProcess(602)).to.deep.equal({
        pid: 602,
        ppid: 1,
        pgid: 600,
        sid: undefined,
        state: 'stopped',
        startTime: 'Tue Feb 6 10:30:03 2024',
        command: 'sleep',
      });
      expect(commands.calls).to.deep.equal([`ps -ww -o ${FORMAT} -p 602`]);
    });

    it('readProcess gives undefined when ps finds no such pid', async () => {
      const { platform } = setup({ [`ps -ww -o ${FORMAT} -p 999`]: failed(1) });
      expect(await platform.readProcess(999)).to.equal(undefined);
    });

    it('readProcess rejects when ps cannot run, rather than claiming the process is gone', async () => {
      const { platform } = setup({ [`ps -ww -o ${FORMAT} -p 602`]: new Error('spawn ps ENOENT') });
      let caught: unknown;
      await platform.readProcess(602).catch((error: unknown) => (caught = error));
      expect(caught).to.be.instanceOf(Error);
    });

    it('isAlive compares the start time and treats zombies as gone', async () => {
      const { platform } = setup({
        [`ps -ww -o ${FORMAT} -p 602`]: ok(line602),
        [`ps -ww -o ${FORMAT} -p 601`]: ok(line601),
      });
      expect(await platform.isAlive({ pid: 602, startTime: 'Tue Feb 6 10:30:03 2024' })).to.equal(true);
      expect(await platform.isAlive({ pid: 602, startTime: 'Tue Feb 6 10:30:04 2024' })).to.equal(false);
      expect(await platform.isAlive({ pid: 601, startTime: 'Tue Feb 6 10:30:02 2024' })).to.equal(false);
    });

    it('isGroupAlive ignores zombies', async () => {
      const zombiesOnly = '  800     1   800 Z    Tue Feb  6 10:30:00 2024     <defunct>\n';
      const { platform } = setup({ [PS_ALL]: ok(PS_LISTING + zombiesOnly) });
      expect(await platform.isGroupAlive(600)).to.equal(true);
      expect(await platform.isGroupAlive(800)).to.equal(false);
      expect(await platform.isGroupAlive(12345)).to.equal(false);
    });

    it('snapshotTree takes group members and parent-link descendants from one ps listing', async () => {
      const { platform, commands } = setup({ [PS_ALL]: ok(PS_LISTING) });
      const tree = await platform.snapshotTree({ pid: 600, pgid: 600, sid: 600 });
      expect(tree.map((p) => p.pid)).to.deep.equal([600, 601, 602, 603]);
      expect(commands.calls).to.deep.equal([PS_ALL]);
    });

    it('snapshotTree falls back to pidtree when ps fails', async () => {
      const pidtree = sinon.stub().resolves([
        { pid: 600, ppid: 500 },
        { pid: 601, ppid: 600 },
      ]);
      const { platform } = setup({ [PS_ALL]: failed(1, 'ps: illegal keyword') }, { pidtree });
      const tree = await platform.snapshotTree({ pid: 600, pgid: 600, sid: 600 });
      expect(pidtree.args).to.deep.equal([[600]]);
      expect(tree).to.deep.equal([
        {
          pid: 600,
          ppid: 500,
          pgid: undefined,
          sid: undefined,
          state: 'unknown',
          startTime: '',
          command: '',
        },
        {
          pid: 601,
          ppid: 600,
          pgid: undefined,
          sid: undefined,
          state: 'unknown',
          startTime: '',
          command: '',
        },
      ]);
    });

    it('snapshotTree is empty when both ps and pidtree fail', async () => {
      const pidtree = sinon.stub().rejects(new Error('No matching pid found'));
      const { platform } = setup({ [PS_ALL]: new Error('no ps') }, { pidtree });
      expect(await platform.snapshotTree({ pid: 600, pgid: 600, sid: 600 })).to.deep.equal([]);
    });

    it('has no marker search and no cheap identity: environments and exact start times are not readable', async () => {
      const { platform } = setup({});
      expect(platform.identify(600)).to.equal(undefined);
      expect(
        await platform.findMarked({ name: 'X', token: 't', leader: { pid: 600, startTime: '1' } }),
      ).to.deep.equal([]);
    });
  });

  it('cannot name the holdouts of a timeout: no signal masks are readable here', async () => {
    const { platform, commands } = setup({});
    expect(await platform.describeHoldouts(4242, 'SIGTERM')).to.equal(undefined);
    expect(commands.calls).to.deep.equal([]);
  });

  describe('killTreeSync', () => {
    it('SIGKILLs the group, then only the escapees whose start time still matches', () => {
      const ESCAPEES = `ps -ww -o ${FORMAT} -p 603,602,601,700`;
      const answer = [
        '  602     1   600 T    Tue Feb  6 10:30:03 2024     sleep',
        '  603   601   603 I    Tue Feb  6 10:30:04 2024     daemon',
        '  601   600   600 Z    Tue Feb  6 10:30:02 2024     <defunct>',
        '',
      ].join('\n');
      const { platform, commands, kill } = setup({ [ESCAPEES]: failed(1, '', answer) });
      platform.killTreeSync(600, [
        { pid: 603, startTime: 'Tue Feb 6 10:30:04 2024' },
        { pid: 602, startTime: 'Mon Feb 5 10:30:03 2024' }, // recycled pid: a stranger now
        { pid: 601, startTime: 'Tue Feb 6 10:30:02 2024' }, // zombie
        { pid: 700, startTime: 'whatever' }, // gone: ps did not list it
        { pid: 1, startTime: 'x' }, // never a candidate
      ]);
      expect(commands.calls).to.deep.equal([OWN_PGID_QUERY, ESCAPEES]);
      expect(kill.args).to.deep.equal([
        [-600, 'SIGKILL'],
        [603, 'SIGKILL'],
      ]);
    });

    it('leaves the group alone once it is known to be empty (null), still killing matching escapees', () => {
      const ESCAPEES = `ps -ww -o ${FORMAT} -p 603`;
      const answer = '  603   601   603 I    Tue Feb  6 10:30:04 2024     daemon\n';
      const { platform, kill } = setup({ [ESCAPEES]: failed(1, '', answer) });
      platform.killTreeSync(null, [{ pid: 603, startTime: 'Tue Feb 6 10:30:04 2024' }]);
      expect(kill.args).to.deep.equal([[603, 'SIGKILL']]);
    });

    it('never throws, even when kill and ps both fail', () => {
      const { platform, kill } = setup({ [`ps -ww -o ${FORMAT} -p 603`]: new Error('ps gone') });
      kill.throws(errno('ESRCH'));
      expect(() => platform.killTreeSync(600, [{ pid: 603, startTime: 'x' }])).not.to.throw();
    });
  });
});
