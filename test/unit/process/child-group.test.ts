import { expect } from 'chai';
import type { TerminationReport, TerminationSnapshotEvent } from '../../../src/index.js';
import { ChildGroup, type ParentSignalHooks } from '../../../src/process/child-group.js';

/** A group as a handle with the default policy would set it up; parent signals are not what these tests check. */
const parentHooks: ParentSignalHooks = { policy: 'auto', now: () => 0, terminate: () => Promise.resolve() };
import { TestScheduler } from 'rxjs/testing';
import { CHILD_PID, fakeDeps, FakeOs } from '../../support/fake-platform.js';

function newGroup() {
  const { deps, os, signals } = fakeDeps();
  const group = new ChildGroup(CHILD_PID, deps, parentHooks);
  return { group, os, signals, cleanup: deps.cleanup };
}

/** Lets the group's asynchronous emptiness check finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function snapshotWith(
  ...members: { pid: number; startTime: string; inGroup: boolean }[]
): TerminationSnapshotEvent {
  return {
    type: 'snapshot',
    at: 0,
    outcome: 'taken',
    total: members.length,
    truncated: false,
    members: members.map((m) => ({
      ...m,
      ppid: 1,
      pgid: m.inGroup ? CHILD_PID : m.pid,
      state: 'sleeping',
      command: 'x',
    })),
  };
}

function reportWith(stillAlive: TerminationReport['stillAlive']): TerminationReport {
  return {
    processName: 'fake',
    status: { code: 0, signal: null },
    endedBy: 'SIGTERM',
    reason: 'terminated',
    forced: false,
    durationMs: 1,
    attempts: [],
    signalsSent: ['SIGTERM'],
    signalsForwarded: [],
    snapshotOutcome: 'taken',
    snapshot: [],
    snapshotTruncated: false,
    survivorsKilled: [],
    stillAlive,
  };
}

describe('ChildGroup', () => {
  it('signals the whole group by its number and reports the send on signals$', () => {
    const { group, os } = newGroup();
    const seen: unknown[] = [];
    group.signals$.subscribe((sent) => seen.push(sent));
    expect(group.signal('SIGHUP', 'manual')).to.deep.equal({ ok: true });
    expect(os.platform.signalGroup.calledOnceWithExactly(CHILD_PID, 'SIGHUP')).to.equal(true);
    expect(seen).to.deep.equal([
      { signal: 'SIGHUP', cause: 'manual', pgid: CHILD_PID, outcome: { ok: true } },
    ]);
  });

  it('never asks the OS to signal or probe a group it has seen empty', async () => {
    const { group, os } = newGroup();
    os.groupAlive = false;
    group.leaderExited();
    await settle();
    expect(group.isGone).to.equal(true);
    const outcome = group.send('SIGTERM');
    expect(outcome).to.include({ ok: false, code: 'ESRCH' });
    expect(os.platform.signalGroup.called).to.equal(false);
    group.forwardSignal('SIGINT');
    expect(os.platform.signalGroup.called).to.equal(false);
  });

  it('stays armed after the exit while a member of the group is alive', async () => {
    const { group, cleanup } = newGroup();
    group.arm();
    expect(cleanup.size).to.equal(1);
    group.leaderExited(); // the fake group is alive by default
    await settle();
    expect(group.isArmed).to.equal(true);
    expect(group.isGone).to.equal(false);
  });

  it('disarms after the exit when the group is empty and no recorded escapee lives', async () => {
    const { group, os, cleanup } = newGroup();
    group.arm();
    os.groupAlive = false;
    group.leaderExited();
    await settle();
    expect(group.isArmed).to.equal(false);
    expect(cleanup.size).to.equal(0);
  });

  it('stays armed after the exit while a recorded escapee lives', async () => {
    const { group, os } = newGroup();
    group.arm();
    const escapee = os.addEscapee(5000);
    group.terminationEvent(snapshotWith({ ...escapee, inGroup: false }));
    os.groupAlive = false;
    group.leaderExited();
    await settle();
    expect(group.isGone).to.equal(true);
    expect(group.isArmed).to.equal(true);
  });

  it('leaves the decision to a termination run in progress', async () => {
    const { group, os } = newGroup();
    group.arm();
    group.terminationStarted();
    os.groupAlive = false;
    group.leaderExited();
    await settle();
    expect(group.isArmed).to.equal(true);
    expect(group.isGone).to.equal(false);
  });

  it('disarms after a successful run with nothing left alive, and stays armed after a failed one', () => {
    const ok = newGroup();
    ok.group.arm();
    ok.group.terminationStarted();
    ok.group.terminationSettled({ kind: 'completed', report: reportWith([]) });
    expect(ok.group.isArmed).to.equal(false);
    expect(ok.group.isGone).to.equal(true);

    const failed = newGroup();
    failed.group.arm();
    failed.group.terminationStarted();
    failed.group.terminationSettled({ kind: 'failed', error: new Error('SIGKILL did not end it') });
    expect(failed.group.isArmed).to.equal(true);
    expect(failed.group.isGone).to.equal(false);
  });

  it('stays armed after a successful run that left a survivor alive, and then kills only that survivor', () => {
    const { group, os, signals } = newGroup();
    group.arm();
    const escapee = os.addEscapee(5000);
    group.terminationEvent(
      snapshotWith({ ...escapee, inGroup: false }, { pid: 4300, startTime: '7', inGroup: true }),
    );
    group.terminationSettled({ kind: 'completed', report: reportWith([escapee]) });
    expect(group.isArmed).to.equal(true);
    signals.handlers?.onExit();
    // The group's number may be a stranger's now: null, and only the recorded escapee.
    expect(os.platform.killTreeSync.calledOnceWithExactly(null, [escapee])).to.equal(true);
  });

  it('kills its group at parent exit while the group may be alive', () => {
    const { group, os, signals } = newGroup();
    group.arm();
    signals.handlers?.onExit();
    expect(os.platform.killTreeSync.calledOnceWithExactly(CHILD_PID, [])).to.equal(true);
  });

  it('watches a group whose leader exited until its last member ends, however late, then disarms', () => {
    const scheduler = new TestScheduler(() => undefined);
    scheduler.maxFrames = 60_000;
    const { deps, os } = fakeDeps(new FakeOs(scheduler));
    const group = new ChildGroup(CHILD_PID, deps, parentHooks);
    group.arm();
    group.leaderExited(); // a member is still alive
    scheduler.schedule(() => (os.groupAlive = false), 30_000);
    scheduler.schedule(() => expect(group.isArmed, 'armed while the member lives').to.equal(true), 29_999);
    scheduler.flush();
    expect(group.isGone).to.equal(true);
    expect(group.isArmed).to.equal(false);
    // One shared ticker: about one scan per watch interval, not a busy poll.
    expect(os.processTable.scanCount).to.be.within(150, 152);
  });

  it('stops watching when a termination starts, and the run decides', () => {
    const scheduler = new TestScheduler(() => undefined);
    scheduler.maxFrames = 60_000;
    const { deps, os } = fakeDeps(new FakeOs(scheduler));
    const group = new ChildGroup(CHILD_PID, deps, parentHooks);
    group.arm();
    group.leaderExited();
    scheduler.schedule(() => group.terminationStarted(), 1_000);
    scheduler.schedule(() => (os.groupAlive = false), 2_000);
    scheduler.flush();
    expect(group.isArmed, 'the run has not settled').to.equal(true);
    expect(os.processTable.scanCount).to.be.at.most(6);
  });
});
