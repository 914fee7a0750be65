/**
 * Termination of real process trees through the handle: which phase ends which kind of child, and what the report
 * and `proc.events$` say about it. Phase timeouts that must elapse are short; the others are long upper bounds
 * that a passing test never waits for.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import sinon from 'sinon';
import { GracefulShutdown, type ProcessHandle, type ProcessInfo } from '../../src/index.js';
import { eventually, isPidAlive } from '../support/processes.js';
import {
  attemptsWithHoldouts,
  ChildTracker,
  cmdlineOf,
  identityOf,
  memberOf,
  procStateOf,
  recordEvents,
  signalsSentTo,
  timeline,
  waitForTree,
} from '../support/termination.js';

describe('terminate() on real process trees', function () {
  this.timeout(20_000);
  const children = new ChildTracker();

  afterEach(async () => {
    sinon.restore();
    await children.cleanup();
  });

  /** Starts `sh -c 'setsid sleep 30 & sleep 31'` and resolves once the escapee has its own session. */
  async function spawnWithEscapee(): Promise<{ proc: ProcessHandle; leader: number; escapee: ProcessInfo }> {
    const { proc } = children.spawn('sh', ['-c', 'setsid sleep 30 & sleep 31']);
    await eventually(() => proc.state === 'running', 'the shell has started');
    const leader = proc.pid!;
    const escapee = await waitForTree(leader, 'the escapee has its own session', (tree) =>
      tree.find((p) => p.command === 'sleep' && p.pgid !== leader && p.sid === p.pid),
    );
    children.trackStray(escapee);
    return { proc, leader, escapee };
  }

  it('ends a child without handlers in the first phase of the default escalation', async () => {
    const { proc, events } = children.spawn('sleep', ['30']);
    await eventually(() => proc.state === 'running', 'sleep has started');
    const pid = proc.pid!;

    const report = await proc.terminate();

    expect(report).to.deep.include({
      processName: 'sleep',
      status: { code: null, signal: 'SIGINT' },
      endedBy: 'SIGINT',
      forced: false,
      attempts: [],
      signalsSent: ['SIGINT'],
      snapshotOutcome: 'taken',
      snapshotTruncated: false,
      survivorsKilled: [],
      stillAlive: [],
    });
    expect(report.snapshot).to.have.length(1);
    expect(memberOf(report.snapshot, pid)).to.deep.include({
      pid,
      ppid: process.pid,
      pgid: pid,
      command: 'sleep',
      inGroup: true,
    });
    expect(timeline(events)).to.deep.equal([
      'spawned',
      'terminationStarted',
      'signalSent SIGINT (termination)',
      'exited SIGINT',
      'verified',
      'terminated',
    ]);
    const started = events.find((e) => e.type === 'terminationStarted');
    expect(started).to.deep.include({ phases: GracefulShutdown.default().phases });
    expect(proc.state).to.equal('exited');
    expect(isPidAlive(pid)).to.equal(false);
  });

  it('escalates to SIGTERM after one timeout when the child ignores SIGINT', async () => {
    const { proc, events } = await children.spawnSignalChild(['--ignore', 'SIGINT']);
    const shutdown = GracefulShutdown.phases([
      { signal: 'SIGINT', timeoutMs: 300 },
      { signal: 'SIGTERM', timeoutMs: 2000 },
    ]);

    const report = await proc.terminate(shutdown);

    expect(report).to.deep.include({
      status: { code: null, signal: 'SIGTERM' },
      endedBy: 'SIGTERM',
      forced: false,
      signalsSent: ['SIGINT', 'SIGTERM'],
      snapshotOutcome: 'taken',
      survivorsKilled: [],
      stillAlive: [],
    });
    // The timeout names the holdout and why: a do-nothing handler caught the SIGINT.
    expect(attemptsWithHoldouts(report.attempts)).to.deep.equal([
      { kind: 'timedOut', phase: 1, signal: 'SIGINT', timeoutMs: 300, holdouts: [`${proc.pid} caught`] },
    ]);
    expect(report.snapshot.map((m) => m.pid)).to.deep.equal([proc.pid]);
    expect(timeline(events)).to.deep.equal([
      'spawned',
      'terminationStarted',
      'signalSent SIGINT (termination)',
      'timeout SIGINT 300',
      'signalSent SIGTERM (termination)',
      'exited SIGTERM',
      'verified',
      'terminated',
    ]);
  });

  it('forces SIGKILL when the child ignores both SIGINT and SIGTERM', async () => {
    const { proc, events } = await children.spawnSignalChild(['--ignore', 'SIGINT,SIGTERM']);
    const shutdown = GracefulShutdown.phases([
      { signal: 'SIGINT', timeoutMs: 200 },
      { signal: 'SIGTERM', timeoutMs: 200 },
    ]);

    const report = await proc.terminate(shutdown);

    expect(report).to.deep.include({
      status: { code: null, signal: 'SIGKILL' },
      endedBy: 'SIGKILL',
      forced: true,
      signalsSent: ['SIGINT', 'SIGTERM', 'SIGKILL'],
      survivorsKilled: [],
      stillAlive: [],
    });
    expect(attemptsWithHoldouts(report.attempts)).to.deep.equal([
      { kind: 'timedOut', phase: 1, signal: 'SIGINT', timeoutMs: 200, holdouts: [`${proc.pid} caught`] },
      { kind: 'timedOut', phase: 2, signal: 'SIGTERM', timeoutMs: 200, holdouts: [`${proc.pid} caught`] },
    ]);
    expect(timeline(events)).to.deep.equal([
      'spawned',
      'terminationStarted',
      'signalSent SIGINT (termination)',
      'timeout SIGINT 200',
      'signalSent SIGTERM (termination)',
      'timeout SIGTERM 200',
      'signalSent SIGKILL (termination)',
      'exited SIGKILL',
      'verified',
      'terminated',
    ]);
  });

  it('waits for a slow handler, and no longer than it takes (the timeout is an upper bound)', async () => {
    const { proc, events } = await children.spawnSignalChild(['--exit-after', 'SIGTERM:300:0']);
    const timeoutMs = 10_000;

    const report = await proc.terminate(GracefulShutdown.sigterm(timeoutMs));

    expect(report).to.deep.include({
      status: { code: 0, signal: null },
      endedBy: 'SIGTERM',
      forced: false,
      attempts: [],
      signalsSent: ['SIGTERM'],
      stillAlive: [],
    });
    // Behavioural, not a speed check: the run ended with the exit instead of sitting out the whole phase.
    expect(report.durationMs).to.be.below(timeoutMs);
    expect(timeline(events)).to.deep.equal([
      'spawned',
      'terminationStarted',
      'signalSent SIGTERM (termination)',
      'exited 0',
      'verified',
      'terminated',
    ]);
  });

  it('ends a depth-3 tree (sh → sh → sleep) and every snapshotted process is gone', async () => {
    // The trailing `:` keeps each shell from exec'ing its last command, so the tree really is three deep.
    const { proc } = children.spawn('sh', ['-c', `sh -c 'sleep 30; :'; :`]);
    await eventually(() => proc.state === 'running', 'the outer shell has started');
    const leader = proc.pid!;
    await waitForTree(leader, 'sleep runs under the inner shell', (tree) =>
      tree.find((p) => p.command === 'sleep'),
    );

    const report = await proc.terminate(GracefulShutdown.sigint(2000));

    expect(report).to.deep.include({
      status: { code: null, signal: 'SIGINT' },
      endedBy: 'SIGINT',
      forced: false,
      signalsSent: ['SIGINT'],
      survivorsKilled: [],
      stillAlive: [],
    });
    expect(report.snapshot).to.have.length(3);
    const inner = report.snapshot.find((m) => m.command === 'sh' && m.pid !== leader);
    const sleeper = report.snapshot.find((m) => m.command === 'sleep');
    expect(memberOf(report.snapshot, leader)).to.deep.include({ command: 'sh', pgid: leader, inGroup: true });
    expect(inner).to.deep.include({ ppid: leader, pgid: leader, inGroup: true });
    expect(sleeper).to.deep.include({ ppid: inner?.pid, pgid: leader, inGroup: true });
    for (const member of report.snapshot) {
      expect(isPidAlive(member.pid), `pid ${member.pid} (${member.command})`).to.equal(false);
    }
  });

  it("keeps signalling the group after the leader died: a shell's background job ignores SIGINT", async () => {
    const { proc, events } = children.spawn('sh', ['-c', 'sleep 30 & sleep 31']);
    await eventually(() => proc.state === 'running', 'the shell has started');
    const leader = proc.pid!;
    const background = await waitForTree(leader, 'both sleeps run', (tree) => {
      const sleeps = tree.filter((p) => p.command === 'sleep');
      return sleeps.length === 2 ? sleeps.find((p) => cmdlineOf(p.pid) === 'sleep 30') : undefined;
    });
    const shutdown = GracefulShutdown.phases([
      { signal: 'SIGINT', timeoutMs: 300 },
      { signal: 'SIGTERM', timeoutMs: 2000 },
    ]);

    const report = await proc.terminate(shutdown);

    expect(report).to.deep.include({
      // The leader died of the SIGINT; the group only emptied with the SIGTERM.
      status: { code: null, signal: 'SIGINT' },
      endedBy: 'SIGTERM',
      forced: false,
      signalsSent: ['SIGINT', 'SIGTERM'],
      survivorsKilled: [],
      stillAlive: [],
    });
    // A background job of a non-interactive shell has SIGINT ignored (P18), and the timeout says so.
    expect(attemptsWithHoldouts(report.attempts)).to.deep.equal([
      {
        kind: 'timedOut',
        phase: 1,
        signal: 'SIGINT',
        timeoutMs: 300,
        holdouts: [`${background.pid} ignored`],
      },
    ]);
    expect(memberOf(report.snapshot, background.pid)).to.deep.include({ pgid: leader, inGroup: true });
    expect(report.snapshot).to.have.length(3);
    expect(isPidAlive(background.pid)).to.equal(false);
    expect(timeline(events)).to.deep.equal([
      'spawned',
      'terminationStarted',
      'signalSent SIGINT (termination)',
      'exited SIGINT',
      'timeout SIGINT 300',
      'signalSent SIGTERM (termination)',
      'verified',
      'terminated',
    ]);
  });

  it('still signals the group when the leader already exited but its background job lives on', async () => {
    const { proc, events } = children.spawn('sh', ['-c', 'sleep 30 & exit 0']);
    const outcome = await proc.wait();
    expect(outcome).to.deep.equal({ type: 'exited', status: { code: 0, signal: null } });
    const leader = proc.pid!;
    const background = await waitForTree(leader, 'the background sleep runs', (tree) =>
      tree.find((p) => p.command === 'sleep' && p.pgid === leader),
    );
    expect(proc.isArmed, 'armed while its group is not empty').to.equal(true);
    const shutdown = GracefulShutdown.phases([
      { signal: 'SIGINT', timeoutMs: 200 },
      { signal: 'SIGTERM', timeoutMs: 2000 },
    ]);

    const report = await proc.terminate(shutdown);

    expect(report).to.deep.include({
      status: { code: 0, signal: null },
      endedBy: 'SIGTERM',
      forced: false,
      signalsSent: ['SIGINT', 'SIGTERM'],
      snapshotOutcome: 'taken',
      survivorsKilled: [],
      stillAlive: [],
    });
    expect(attemptsWithHoldouts(report.attempts)).to.deep.equal([
      {
        kind: 'timedOut',
        phase: 1,
        signal: 'SIGINT',
        timeoutMs: 200,
        holdouts: [`${background.pid} ignored`],
      },
    ]);
    expect(report.snapshot.map(identityOf)).to.deep.equal([identityOf(background)]);
    expect(memberOf(report.snapshot, background.pid)).to.deep.include({ pgid: leader, inGroup: true });
    expect(isPidAlive(background.pid)).to.equal(false);
    expect(proc.isArmed).to.equal(false);
    expect(timeline(events).slice(-6)).to.deep.equal([
      'terminationStarted',
      'signalSent SIGINT (termination)',
      'timeout SIGINT 200',
      'signalSent SIGTERM (termination)',
      'verified',
      'terminated',
    ]);
  });

  it('kills a setsid escapee that the group signals never reach', async () => {
    const { proc, leader, escapee } = await spawnWithEscapee();
    const events = recordEvents(proc);

    const report = await proc.terminate(GracefulShutdown.sigint(2000));

    expect(report).to.deep.include({
      status: { code: null, signal: 'SIGINT' },
      endedBy: 'SIGINT',
      forced: false,
      attempts: [],
      signalsSent: ['SIGINT'],
      survivorsKilled: [identityOf(escapee)],
      stillAlive: [],
    });
    expect(memberOf(report.snapshot, escapee.pid)).to.deep.include({
      startTime: escapee.startTime,
      ppid: leader,
      pgid: escapee.pid,
      inGroup: false,
    });
    // Escapees come first in the snapshot; the leader and its foreground sleep follow, in the group.
    expect(report.snapshot[0]?.pid).to.equal(escapee.pid);
    expect(report.snapshot.filter((m) => m.inGroup === true)).to.have.length(2);
    expect(isPidAlive(escapee.pid)).to.equal(false);
    const verified = events.find((e) => e.type === 'verified');
    expect(verified).to.deep.include({ killed: [identityOf(escapee)], stillAlive: [] });
    expect(timeline(events)).to.deep.equal([
      'spawned',
      'terminationStarted',
      'signalSent SIGINT (termination)',
      'exited SIGINT',
      'verified',
      'terminated',
    ]);
  });

  it('finds a reparented member of another group by its session, and kills it', async function () {
    if (!existsSync('/usr/bin/perl')) this.skip(); // perl provides setpgid(2), which sh and node do not
    // The subshell exits at once, so the member is reparented (no parent link) and leads its own group: only the
    // leader's session still ties it to the tree (§3 case 3: a job-control shell's background job).
    const { proc, events } = children.spawn('sh', [
      '-c',
      `(perl -e 'setpgrp(0, 0); exec "sleep", "30"' &); sleep 31`,
    ]);
    await eventually(() => proc.state === 'running', 'the shell has started');
    const leader = proc.pid!;
    const member = await waitForTree(leader, 'the member leads its own group', (tree) =>
      tree.find((p) => p.command === 'sleep' && p.pgid === p.pid && p.sid === leader && p.ppid !== leader),
    );
    children.trackStray(member);

    const report = await proc.terminate(GracefulShutdown.sigint(2000));

    expect(report).to.deep.include({
      endedBy: 'SIGINT',
      forced: false,
      signalsSent: ['SIGINT'],
      survivorsKilled: [identityOf(member)],
      stillAlive: [],
    });
    expect(memberOf(report.snapshot, member.pid)).to.deep.include({ pgid: member.pid, inGroup: false });
    expect(isPidAlive(member.pid)).to.equal(false);
    expect(events.find((e) => e.type === 'verified')).to.deep.include({ killed: [identityOf(member)] });
  });

  it("reports a setsid escapee as still alive with survivors: 'report', and leaves it alone", async () => {
    const { proc, escapee } = await spawnWithEscapee();

    const report = await proc.terminate(
      GracefulShutdown.sigint(2000, { survivors: 'report', verifyTimeoutMs: 200 }),
    );

    expect(report).to.deep.include({
      endedBy: 'SIGINT',
      forced: false,
      survivorsKilled: [],
      stillAlive: [identityOf(escapee)],
    });
    expect(memberOf(report.snapshot, escapee.pid).inGroup).to.equal(false);
    expect(isPidAlive(escapee.pid), 'left alone').to.equal(true);
  });

  it('stays armed for parent-exit cleanup while a reported escapee is alive', async () => {
    const { proc, escapee } = await spawnWithEscapee();

    const report = await proc.terminate(
      GracefulShutdown.sigint(2000, { survivors: 'report', verifyTimeoutMs: 200 }),
    );

    expect(report.stillAlive).to.deep.equal([identityOf(escapee)]);
    expect(proc.isArmed).to.equal(true);
  });

  it('ends a stopped child within the phase: SIGCONT follows the signal', async () => {
    const { proc, events } = await children.spawnSignalChild(['--exit-after', 'SIGTERM:0:0']);
    const pid = proc.pid!;
    process.kill(pid, 'SIGSTOP');
    await eventually(() => procStateOf(pid) === 'T', 'the child is stopped');
    const kill = sinon.spy(process, 'kill');

    const report = await proc.terminate(GracefulShutdown.sigterm(5000));

    expect(signalsSentTo(kill, -pid)).to.deep.equal(['SIGTERM', 'SIGCONT']);

    expect(memberOf(report.snapshot, pid).state).to.equal('stopped');
    // Exit code 0 shows the handler ran, so the process was continued; no timeout, no SIGKILL.
    expect(report).to.deep.include({
      status: { code: 0, signal: null },
      endedBy: 'SIGTERM',
      forced: false,
      attempts: [],
      signalsSent: ['SIGTERM'],
      stillAlive: [],
    });
    expect(timeline(events)).to.deep.equal([
      'spawned',
      'terminationStarted',
      'signalSent SIGTERM (termination)',
      'exited 0',
      'verified',
      'terminated',
    ]);
  });

  it('counts a zombie grandchild as gone', async () => {
    // The leader execs sleep, which never reaps the background sleep: a zombie after 0.1 s.
    const { proc, events } = children.spawn('sh', ['-c', 'sleep 0.1 & exec sleep 30']);
    await eventually(() => proc.state === 'running', 'the leader has started');
    const leader = proc.pid!;
    const zombie = await waitForTree(leader, 'the unreaped child is a zombie', (tree) =>
      tree.find((p) => p.pid !== leader && p.state === 'zombie'),
    );

    const report = await proc.terminate(GracefulShutdown.sigint(2000));

    expect(report).to.deep.include({
      status: { code: null, signal: 'SIGINT' },
      endedBy: 'SIGINT',
      forced: false,
      attempts: [],
      signalsSent: ['SIGINT'],
      survivorsKilled: [],
      stillAlive: [],
    });
    expect(memberOf(report.snapshot, zombie.pid)).to.deep.include({
      ppid: leader,
      state: 'zombie',
      inGroup: true,
    });
    const verified = events.find((e) => e.type === 'verified');
    expect(verified).to.deep.include({
      checked: [identityOf(zombie)],
      alreadyGone: [identityOf(zombie)],
      killed: [],
      stillAlive: [],
    });
  });
});
