/**
 * Termination of real process trees through the handle: which phase ends which kind of child, and what the report,
 * `proc.events$`, the signals actually sent and the tree afterwards say about it. One table of cases, run by one
 * loop; each case starts a tree, terminates it and states everything it expects. Phase timeouts that must elapse
 * are short; the others are upper bounds that a passing test never waits for, but that stay below the test's own
 * timeout, so a phase that runs out shows up as a `timeout` event and a `timedOut` attempt rather than as a hang.
 */
import { expect } from 'chai';
import type { Context } from 'mocha';
import { existsSync } from 'node:fs';
import sinon from 'sinon';
import {
  GracefulShutdown,
  type ProcessEvent,
  type ProcessHandle,
  type ProcessInfo,
  type SignalName,
  type SnapshotMember,
  type TerminationReport,
  type VerifiedEvent,
} from '../../src/index.js';
import { isPidAlive } from '../support/processes.js';
import {
  attemptsWithHoldouts,
  ChildTracker,
  cmdlineOf,
  identityOf,
  memberOf,
  procStateOf,
  signalCalls,
  timeline,
  treeOf,
} from '../support/termination.js';
import { waitUntil } from '../support/wait.js';

/** A started tree: the handle, its events so far, the leader, and the other processes the case's expectations name. */
interface Started<N extends string> {
  readonly proc: ProcessHandle;
  readonly events: ProcessEvent[];
  readonly leader: number;
  /** Found in the real tree before the termination, so the expectations can name them by pid and start time. */
  readonly named: Readonly<Record<N, ProcessInfo>>;
}

/** An expectation, as a value or computed from the started tree (for pids only known at run time). */
type Expected<N extends string, T> = T | ((tree: Started<N>) => T);

interface TreeCase<N extends string> {
  readonly title: string;
  /** When it returns false, the case is pending (a tool the fixture needs is missing). */
  readonly runsOnlyIf?: () => boolean;
  /** Starts the tree and waits until it has the shape the case is about. */
  readonly start: () => Promise<Started<N>>;
  /** Passed to `terminate()`; `undefined` calls `terminate()` without one (the default escalation). */
  readonly shutdown: GracefulShutdown | undefined;
  /** Fields the report must have (deep-equal each). */
  readonly report: Expected<N, Partial<TerminationReport>>;
  /** `report.attempts`, with holdouts as `"<pid> <disposition>"` (see `attemptsWithHoldouts`). */
  readonly attempts: Expected<N, unknown[]>;
  /** Every real signal `process.kill` was asked to send during the run, in order: `[target, signal]`. */
  readonly signals: Expected<N, [number, SignalName][]>;
  /** Every snapshotted process (in any order; escapees first is checked for all), with the fields it must have. */
  readonly snapshot: Expected<N, Array<Partial<SnapshotMember> & { readonly pid: number }>>;
  /** `timeline(proc.events$)`: the lifecycle events from the spawn to the end of the run. */
  readonly timeline: readonly string[];
  /** Fields of the `verified` event, when the case is about verification. */
  readonly verified?: Expected<N, Partial<VerifiedEvent>>;
  /** Snapshotted processes still alive afterwards (all others must be gone), and whether the handle is armed. */
  readonly afterwards?: Expected<N, { readonly alive: number[]; readonly armed: boolean }>;
}

/** A case with its names bound, so cases with different named processes fit one array. */
interface TableRow {
  readonly title: string;
  readonly run: (test: Context) => Promise<void>;
}

/** The lifecycle events of one termination run between its start and its end. */
const runEvents = (...steps: string[]): string[] => [
  'terminationStarted',
  ...steps,
  'verified',
  'terminated',
];

/** SIGINT for `sigintMs`, then SIGTERM for up to 2 s. */
const sigintThenSigterm = (sigintMs: number): GracefulShutdown =>
  GracefulShutdown.phases([
    { signal: 'SIGINT', timeoutMs: sigintMs },
    { signal: 'SIGTERM', timeoutMs: 2000 },
  ]);

/** A phase the child's exit must end (see the file comment). */
const GRACE_MS = 10_000;

describe('terminate() on real process trees', function () {
  this.timeout(20_000);
  const children = new ChildTracker();

  afterEach(async () => {
    sinon.restore();
    await children.cleanup();
  });

  /** `sleep 30`, once it runs. */
  async function startSleep(): Promise<Started<never>> {
    const { proc, events } = children.spawn('sleep', ['30']);
    await waitUntil('sleep has started', () => proc.state === 'running');
    return { proc, events, leader: proc.pid!, named: {} };
  }

  /** test/fixtures/signal-child.cjs with `args`, once its handlers are installed. */
  async function startSignalChild(args: readonly string[]): Promise<Started<never>> {
    const { proc, events } = await children.spawnSignalChild(args);
    return { proc, events, leader: proc.pid!, named: {} };
  }

  /** `sh -c script`, once `find` finds the processes the case names in the real tree of the leader. */
  async function startShell<N extends string>(
    script: string,
    what: string,
    find: (tree: readonly ProcessInfo[], leader: number) => Record<N, ProcessInfo> | undefined,
  ): Promise<Started<N>> {
    const { proc, events } = children.spawn('sh', ['-c', script]);
    await waitUntil('the shell has started', () => proc.state === 'running');
    const leader = proc.pid!;
    const named = await waitUntil(what, async () => find(await treeOf(leader), leader));
    return { proc, events, leader, named };
  }

  /** `sh -c 'setsid sleep 30 & sleep 31'`, once the escapee has its own session; the escapee is tracked. */
  async function startWithEscapee(): Promise<Started<'escapee' | 'foreground'>> {
    const started = await startShell(
      'setsid sleep 30 & sleep 31',
      'the escapee has its own session and the foreground sleep runs',
      (tree, leader) => {
        const escapee = tree.find((p) => p.command === 'sleep' && p.pgid !== leader && p.sid === p.pid);
        const foreground = tree.find((p) => p.command === 'sleep' && p.pgid === leader);
        return escapee && foreground && { escapee, foreground };
      },
    );
    children.trackStray(started.named.escapee);
    return started;
  }

  const cases: TableRow[] = [
    treeCase({
      title: 'ends a child without handlers in the first phase of the default escalation',
      start: startSleep,
      shutdown: undefined,
      report: {
        processName: 'sleep',
        status: { code: null, signal: 'SIGINT' },
        endedBy: 'SIGINT',
        forced: false,
        signalsSent: ['SIGINT'],
        snapshotOutcome: 'taken',
        snapshotTruncated: false,
        survivorsKilled: [],
        stillAlive: [],
      },
      attempts: [],
      signals: ({ leader }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
      ],
      snapshot: ({ leader }) => [
        { pid: leader, ppid: process.pid, pgid: leader, command: 'sleep', inGroup: true },
      ],
      timeline: ['spawned', ...runEvents('signalSent SIGINT (termination)', 'exited SIGINT')],
    }),

    treeCase({
      // The timeout names the holdout and why: a do-nothing handler caught the SIGINT.
      title: 'escalates to SIGTERM after one timeout when the child ignores SIGINT, naming the holdout',
      start: () => startSignalChild(['--ignore', 'SIGINT']),
      shutdown: sigintThenSigterm(300),
      report: {
        status: { code: null, signal: 'SIGTERM' },
        endedBy: 'SIGTERM',
        forced: false,
        signalsSent: ['SIGINT', 'SIGTERM'],
        snapshotOutcome: 'taken',
        survivorsKilled: [],
        stillAlive: [],
      },
      attempts: ({ leader }) => [
        { kind: 'timedOut', phase: 1, signal: 'SIGINT', timeoutMs: 300, holdouts: [`${leader} caught`] },
      ],
      signals: ({ leader }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
        [-leader, 'SIGTERM'],
        [-leader, 'SIGCONT'],
      ],
      snapshot: ({ leader }) => [{ pid: leader, inGroup: true }],
      timeline: [
        'spawned',
        ...runEvents(
          'signalSent SIGINT (termination)',
          'timeout SIGINT 300',
          'signalSent SIGTERM (termination)',
          'exited SIGTERM',
        ),
      ],
    }),

    treeCase({
      title: 'forces SIGKILL when the child ignores both SIGINT and SIGTERM',
      start: () => startSignalChild(['--ignore', 'SIGINT,SIGTERM']),
      shutdown: GracefulShutdown.phases([
        { signal: 'SIGINT', timeoutMs: 200 },
        { signal: 'SIGTERM', timeoutMs: 200 },
      ]),
      report: {
        status: { code: null, signal: 'SIGKILL' },
        endedBy: 'SIGKILL',
        forced: true,
        signalsSent: ['SIGINT', 'SIGTERM', 'SIGKILL'],
        survivorsKilled: [],
        stillAlive: [],
      },
      attempts: ({ leader }) => [
        { kind: 'timedOut', phase: 1, signal: 'SIGINT', timeoutMs: 200, holdouts: [`${leader} caught`] },
        { kind: 'timedOut', phase: 2, signal: 'SIGTERM', timeoutMs: 200, holdouts: [`${leader} caught`] },
      ],
      signals: ({ leader }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
        [-leader, 'SIGTERM'],
        [-leader, 'SIGCONT'],
        [-leader, 'SIGKILL'],
      ],
      snapshot: ({ leader }) => [{ pid: leader, inGroup: true }],
      timeline: [
        'spawned',
        ...runEvents(
          'signalSent SIGINT (termination)',
          'timeout SIGINT 200',
          'signalSent SIGTERM (termination)',
          'timeout SIGTERM 200',
          'signalSent SIGKILL (termination)',
          'exited SIGKILL',
        ),
      ],
    }),

    treeCase({
      // The handler takes 300 ms. Had the run sat out its phase instead of ending with the exit, the phase would
      // have ended by its timeout: a `timedOut` attempt, a `timeout` event and a SIGKILL, all excluded below.
      title: 'waits for a slow handler, and ends with its exit rather than with the phase timeout',
      start: () => startSignalChild(['--exit-after', 'SIGTERM:300:0']),
      shutdown: GracefulShutdown.sigterm(GRACE_MS),
      report: {
        status: { code: 0, signal: null },
        endedBy: 'SIGTERM',
        forced: false,
        signalsSent: ['SIGTERM'],
        stillAlive: [],
      },
      attempts: [],
      signals: ({ leader }) => [
        [-leader, 'SIGTERM'],
        [-leader, 'SIGCONT'],
      ],
      snapshot: ({ leader }) => [{ pid: leader, inGroup: true }],
      timeline: ['spawned', ...runEvents('signalSent SIGTERM (termination)', 'exited 0')],
    }),

    treeCase({
      // The trailing `:` keeps each shell from exec'ing its last command, so the tree really is three deep.
      title: 'ends a depth-3 tree (sh → sh → sleep) and every snapshotted process is gone',
      start: () =>
        startShell(`sh -c 'sleep 30; :'; :`, 'sleep runs under the inner shell', (tree) => {
          const sleeper = tree.find((p) => p.command === 'sleep');
          const inner = tree.find((p) => p.pid === sleeper?.ppid);
          return sleeper && inner && { inner, sleeper };
        }),
      shutdown: GracefulShutdown.sigint(2000),
      report: {
        status: { code: null, signal: 'SIGINT' },
        endedBy: 'SIGINT',
        forced: false,
        signalsSent: ['SIGINT'],
        survivorsKilled: [],
        stillAlive: [],
      },
      attempts: [],
      signals: ({ leader }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
      ],
      snapshot: ({ leader, named: { inner, sleeper } }) => [
        { pid: leader, command: 'sh', pgid: leader, inGroup: true },
        { pid: inner.pid, command: 'sh', ppid: leader, pgid: leader, inGroup: true },
        { pid: sleeper.pid, command: 'sleep', ppid: inner.pid, pgid: leader, inGroup: true },
      ],
      timeline: ['spawned', ...runEvents('signalSent SIGINT (termination)', 'exited SIGINT')],
    }),

    treeCase({
      // A background job of a non-interactive shell has SIGINT ignored (P18), and the timeout says so. The leader
      // died of the SIGINT; the group only emptied with the SIGTERM.
      title: "keeps signalling the group after the leader died: a shell's background job ignores SIGINT",
      start: () =>
        startShell('sleep 30 & sleep 31', 'both sleeps run', (tree) => {
          const sleeps = tree.filter((p) => p.command === 'sleep');
          const background = sleeps.find((p) => cmdlineOf(p.pid) === 'sleep 30');
          const foreground = sleeps.find((p) => cmdlineOf(p.pid) === 'sleep 31');
          return background && foreground && { background, foreground };
        }),
      shutdown: sigintThenSigterm(300),
      report: {
        status: { code: null, signal: 'SIGINT' },
        endedBy: 'SIGTERM',
        forced: false,
        signalsSent: ['SIGINT', 'SIGTERM'],
        survivorsKilled: [],
        stillAlive: [],
      },
      attempts: ({ named: { background } }) => [
        {
          kind: 'timedOut',
          phase: 1,
          signal: 'SIGINT',
          timeoutMs: 300,
          holdouts: [`${background.pid} ignored`],
        },
      ],
      signals: ({ leader }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
        [-leader, 'SIGTERM'],
        [-leader, 'SIGCONT'],
      ],
      snapshot: ({ leader, named: { background, foreground } }) => [
        { pid: leader, inGroup: true },
        { pid: background.pid, pgid: leader, inGroup: true },
        { pid: foreground.pid, pgid: leader, inGroup: true },
      ],
      timeline: [
        'spawned',
        ...runEvents(
          'signalSent SIGINT (termination)',
          'exited SIGINT',
          'timeout SIGINT 300',
          'signalSent SIGTERM (termination)',
        ),
      ],
    }),

    treeCase({
      title: 'still signals the group when the leader already exited but its background job lives on',
      start: async () => {
        const { proc, events } = children.spawn('sh', ['-c', 'sleep 30 & exit 0']);
        expect(await proc.wait()).to.deep.equal({ type: 'exited', status: { code: 0, signal: null } });
        const leader = proc.pid!;
        const background = await waitUntil('the background sleep runs', async () =>
          (await treeOf(leader)).find((p) => p.command === 'sleep' && p.pgid === leader),
        );
        expect(proc.isArmed, 'armed while its group is not empty').to.equal(true);
        return { proc, events, leader, named: { background } };
      },
      shutdown: sigintThenSigterm(200),
      report: {
        status: { code: 0, signal: null },
        endedBy: 'SIGTERM',
        forced: false,
        signalsSent: ['SIGINT', 'SIGTERM'],
        snapshotOutcome: 'taken',
        survivorsKilled: [],
        stillAlive: [],
      },
      attempts: ({ named: { background } }) => [
        {
          kind: 'timedOut',
          phase: 1,
          signal: 'SIGINT',
          timeoutMs: 200,
          holdouts: [`${background.pid} ignored`],
        },
      ],
      signals: ({ leader }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
        [-leader, 'SIGTERM'],
        [-leader, 'SIGCONT'],
      ],
      // The leader is gone before the run starts: the snapshot holds only the background job.
      snapshot: ({ leader, named: { background } }) => [
        { pid: background.pid, startTime: background.startTime, pgid: leader, inGroup: true },
      ],
      timeline: [
        'spawned',
        'exited 0',
        ...runEvents(
          'signalSent SIGINT (termination)',
          'timeout SIGINT 200',
          'signalSent SIGTERM (termination)',
        ),
      ],
    }),

    treeCase({
      // Escapees come first in the snapshot; the leader and its foreground sleep follow, in the group.
      title: 'kills a setsid escapee that the group signals never reach',
      start: startWithEscapee,
      shutdown: GracefulShutdown.sigint(2000),
      report: ({ named: { escapee } }) => ({
        status: { code: null, signal: 'SIGINT' },
        endedBy: 'SIGINT',
        forced: false,
        signalsSent: ['SIGINT'],
        survivorsKilled: [identityOf(escapee)],
        stillAlive: [],
      }),
      attempts: [],
      signals: ({ leader, named: { escapee } }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
        [escapee.pid, 'SIGKILL'],
      ],
      snapshot: ({ leader, named: { escapee, foreground } }) => [
        { pid: escapee.pid, startTime: escapee.startTime, ppid: leader, pgid: escapee.pid, inGroup: false },
        { pid: leader, inGroup: true },
        { pid: foreground.pid, inGroup: true },
      ],
      verified: ({ named: { escapee } }) => ({ killed: [identityOf(escapee)], stillAlive: [] }),
      timeline: ['spawned', ...runEvents('signalSent SIGINT (termination)', 'exited SIGINT')],
    }),

    treeCase({
      // The subshell exits at once, so the member is reparented (no parent link) and leads its own group: only the
      // leader's session still ties it to the tree (§3 case 3: a job-control shell's background job).
      title: 'finds a reparented member of another group by its session, and kills it',
      runsOnlyIf: () => existsSync('/usr/bin/perl'), // perl provides setpgid(2), which sh and node do not
      start: async () => {
        const started = await startShell(
          `(perl -e 'setpgrp(0, 0); exec "sleep", "30"' &); sleep 31`,
          'the member leads its own group and the shell runs its foreground sleep',
          (tree, leader) => {
            const member = tree.find(
              (p) => p.command === 'sleep' && p.pgid === p.pid && p.sid === leader && p.ppid !== leader,
            );
            const foreground = tree.find((p) => p.command === 'sleep' && p.ppid === leader);
            return member && foreground && { member, foreground };
          },
        );
        children.trackStray(started.named.member);
        return started;
      },
      shutdown: GracefulShutdown.sigint(2000),
      report: ({ named: { member } }) => ({
        endedBy: 'SIGINT',
        forced: false,
        signalsSent: ['SIGINT'],
        survivorsKilled: [identityOf(member)],
        stillAlive: [],
      }),
      attempts: [],
      signals: ({ leader, named: { member } }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
        [member.pid, 'SIGKILL'],
      ],
      snapshot: ({ leader, named: { member, foreground } }) => [
        { pid: member.pid, pgid: member.pid, inGroup: false },
        { pid: leader, inGroup: true },
        { pid: foreground.pid, inGroup: true },
      ],
      verified: ({ named: { member } }) => ({ killed: [identityOf(member)] }),
      timeline: ['spawned', ...runEvents('signalSent SIGINT (termination)', 'exited SIGINT')],
    }),

    treeCase({
      title:
        "reports a setsid escapee as still alive with survivors: 'report', leaves it alone, and stays armed for " +
        'parent-exit cleanup',
      start: startWithEscapee,
      shutdown: GracefulShutdown.sigint(2000, { survivors: 'report', verifyTimeoutMs: 200 }),
      report: ({ named: { escapee } }) => ({
        endedBy: 'SIGINT',
        forced: false,
        survivorsKilled: [],
        stillAlive: [identityOf(escapee)],
      }),
      attempts: [],
      signals: ({ leader }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
      ],
      snapshot: ({ leader, named: { escapee, foreground } }) => [
        { pid: escapee.pid, inGroup: false },
        { pid: leader, inGroup: true },
        { pid: foreground.pid, inGroup: true },
      ],
      timeline: ['spawned', ...runEvents('signalSent SIGINT (termination)', 'exited SIGINT')],
      afterwards: ({ named: { escapee } }) => ({ alive: [escapee.pid], armed: true }),
    }),

    treeCase({
      // Exit code 0 shows the handler ran, so the process was continued; no timeout, no SIGKILL.
      title: 'ends a stopped child within the phase: SIGCONT follows the signal',
      start: async () => {
        const started = await startSignalChild(['--exit-after', 'SIGTERM:0:0']);
        process.kill(started.leader, 'SIGSTOP');
        await waitUntil('the child is stopped', () => procStateOf(started.leader) === 'T');
        return started;
      },
      shutdown: GracefulShutdown.sigterm(5000),
      report: {
        status: { code: 0, signal: null },
        endedBy: 'SIGTERM',
        forced: false,
        signalsSent: ['SIGTERM'],
        stillAlive: [],
      },
      attempts: [],
      signals: ({ leader }) => [
        [-leader, 'SIGTERM'],
        [-leader, 'SIGCONT'],
      ],
      snapshot: ({ leader }) => [{ pid: leader, state: 'stopped' }],
      timeline: ['spawned', ...runEvents('signalSent SIGTERM (termination)', 'exited 0')],
    }),

    treeCase({
      // The leader execs sleep, which never reaps the background sleep: a zombie after 0.1 s.
      title: 'counts a zombie grandchild as gone',
      start: () =>
        startShell('sleep 0.1 & exec sleep 30', 'the unreaped child is a zombie', (tree, leader) => {
          const zombie = tree.find((p) => p.pid !== leader && p.state === 'zombie');
          return zombie && { zombie };
        }),
      shutdown: GracefulShutdown.sigint(2000),
      report: {
        status: { code: null, signal: 'SIGINT' },
        endedBy: 'SIGINT',
        forced: false,
        signalsSent: ['SIGINT'],
        survivorsKilled: [],
        stillAlive: [],
      },
      attempts: [],
      signals: ({ leader }) => [
        [-leader, 'SIGINT'],
        [-leader, 'SIGCONT'],
      ],
      snapshot: ({ leader, named: { zombie } }) => [
        { pid: leader, inGroup: true },
        { pid: zombie.pid, ppid: leader, state: 'zombie', inGroup: true },
      ],
      verified: ({ named: { zombie } }) => ({
        checked: [identityOf(zombie)],
        alreadyGone: [identityOf(zombie)],
        killed: [],
        stillAlive: [],
      }),
      timeline: ['spawned', ...runEvents('signalSent SIGINT (termination)', 'exited SIGINT')],
    }),
  ];

  for (const { title, run } of cases) {
    it(title, function () {
      return run(this);
    });
  }

  /** Binds a case to the runner below. */
  function treeCase<N extends string>(spec: TreeCase<N>): TableRow {
    return { title: spec.title, run: (test) => runTreeCase(spec, test) };
  }

  async function runTreeCase<N extends string>(spec: TreeCase<N>, test: Context): Promise<void> {
    if (spec.runsOnlyIf?.() === false) test.skip();
    const tree = await spec.start();
    const { proc, events } = tree;
    const expected = <T>(value: Expected<N, T>): T =>
      typeof value === 'function' ? (value as (tree: Started<N>) => T)(tree) : value;
    const kill = sinon.spy(process, 'kill');

    const report = await (spec.shutdown === undefined ? proc.terminate() : proc.terminate(spec.shutdown));
    kill.restore();

    expect(report).to.deep.include(expected(spec.report));
    expect(attemptsWithHoldouts(report.attempts), 'attempts').to.deep.equal(expected(spec.attempts));
    expect(signalCalls(kill), 'signals sent').to.deep.equal(expected(spec.signals));

    const snapshot = expected(spec.snapshot);
    expect(
      report.snapshot.map((m) => m.pid),
      'snapshotted pids',
    ).to.have.members(snapshot.map((m) => m.pid));
    for (const member of snapshot) expect(memberOf(report.snapshot, member.pid)).to.deep.include(member);
    const kinds = report.snapshot.map((m) => (m.inGroup === false ? 'escapee' : 'group'));
    expect(kinds, 'escapees first').to.deep.equal([...kinds].sort());

    expect(timeline(events)).to.deep.equal(spec.timeline);
    const started = events.find((e) => e.type === 'terminationStarted');
    expect(started).to.deep.include({ phases: (spec.shutdown ?? GracefulShutdown.default()).phases });
    if (spec.verified !== undefined) {
      expect(events.find((e) => e.type === 'verified')).to.deep.include(expected(spec.verified));
    }

    const { alive, armed } = expected(spec.afterwards ?? { alive: [], armed: false });
    for (const member of report.snapshot) {
      const what = `pid ${member.pid} (${member.command}) alive afterwards`;
      expect(isPidAlive(member.pid), what).to.equal(alive.includes(member.pid));
    }
    expect(proc.state).to.equal('exited');
    expect(proc.isArmed, 'armed afterwards').to.equal(armed);
  }
});
