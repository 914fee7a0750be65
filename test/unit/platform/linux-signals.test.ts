/**
 * The Linux platform's signal paths with `process.kill` stubbed, so nothing is ever sent: the refusals must not reach
 * the OS at all, and accepted targets must reach it in the exact form (negative pid for a group).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import sinon from 'sinon';
import { createLinuxPlatform } from '../../../src/platform/linux.js';
import type { Platform } from '../../../src/platform/types.js';

/** This runner's process group, read from /proc (so only once the suite knows it runs on Linux). */
function readOwnPgid(): number {
  return Number(readFileSync('/proc/self/stat', 'latin1').split(') ')[1]!.split(' ')[2]);
}

// Far above any pid_max in use here, so even a broken stub could not hit a real process.
const FAR_PID = 2 ** 22 + 12_345;

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`kill ${code}`), { code });
}

describe('linux platform signals (process.kill stubbed)', function () {
  let ownPgid: number;
  let platform: Platform;
  let kill: sinon.SinonStub;

  before(function () {
    if (process.platform !== 'linux') this.skip();
    ownPgid = readOwnPgid();
  });

  beforeEach(() => {
    platform = createLinuxPlatform();
    kill = sinon.stub(process, 'kill');
  });

  afterEach(() => sinon.restore());

  const unsafe: [string, number][] = [
    ['0', 0],
    ['1', 1],
    ['-1', -1],
    ['NaN', NaN],
    ['1.5', 1.5],
    ['Infinity', Infinity],
  ];
  for (const [label, target] of unsafe) {
    it(`refuses group ${label} and process ${label} without calling the OS`, () => {
      expect(platform.signalGroup(target, 'SIGKILL')).to.include({ ok: false, code: 'unsafeTarget' });
      expect(platform.signalProcess(target, 'SIGKILL')).to.include({ ok: false, code: 'unsafeTarget' });
      expect(kill.called).to.equal(false);
    });
  }

  it("refuses this process and this process's own group", () => {
    expect(platform.signalProcess(process.pid, 'SIGTERM')).to.include({ code: 'unsafeTarget' });
    expect(platform.signalGroup(process.pid, 'SIGTERM')).to.include({ code: 'unsafeTarget' });
    expect(platform.signalGroup(ownPgid, 'SIGTERM')).to.include({ code: 'unsafeTarget' });
    expect(kill.called).to.equal(false);
  });

  it('sends a group signal to the negative pgid and a process signal to the pid', () => {
    expect(platform.signalGroup(FAR_PID, 'SIGTERM')).to.deep.equal({ ok: true });
    expect(platform.signalProcess(FAR_PID, 'SIGINT')).to.deep.equal({ ok: true });
    expect(kill.args).to.deep.equal([
      [-FAR_PID, 'SIGTERM'],
      [FAR_PID, 'SIGINT'],
    ]);
  });

  for (const code of ['ESRCH', 'EPERM', 'EINVAL', 'ENOSYS', 'EWHATEVER']) {
    it(`maps a thrown ${code} to an outcome instead of throwing`, () => {
      kill.throws(errno(code));
      const outcome = platform.signalGroup(FAR_PID, 'SIGKILL');
      expect(outcome).to.include({ ok: false, code: code === 'EWHATEVER' ? 'unknown' : code });
    });
  }

  it('killTreeSync kills the group, skips escapees whose identity no longer matches, and never throws', () => {
    kill.throws(errno('ESRCH'));
    const stranger = { pid: process.ppid, startTime: 'not-its-start-time' };
    const gone = { pid: FAR_PID, startTime: '1' };
    expect(() => platform.killTreeSync(FAR_PID, [stranger, gone])).not.to.throw();
    expect(kill.args).to.deep.equal([[-FAR_PID, 'SIGKILL']]);
  });

  it('killTreeSync refuses an unsafe group without calling the OS', () => {
    platform.killTreeSync(0, []);
    platform.killTreeSync(ownPgid, []);
    expect(kill.called).to.equal(false);
  });
});
