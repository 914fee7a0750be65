/**
 * Termination runs on the handle with real processes: the ways a run is started (explicit calls, joined calls,
 * wait({ orTerminate }), and the lifetimes that terminate implicitly: `await using`, AbortSignal), kill() during a
 * graceful phase, calls before the spawn and after the exit, spawn$ unsubscription and completion, and the guarantee
 * that the runner's own process group is never signalled.
 */
import { expect } from 'chai';
import { firstValueFrom, type Subscription, toArray } from 'rxjs';
import sinon from 'sinon';
import {
  currentPlatform,
  GracefulShutdown,
  type ProcessEvent,
  ProcessHandle,
  spawn$,
  SpawnError,
  type SpawnOptions,
  type TerminatedEvent,
  type TerminationReport,
} from '../../src/index.js';
import { isPidAlive, killGroup } from '../support/processes.js';
import {
  attemptsWithHoldouts,
  ChildTracker,
  signalCalls,
  signalsSentTo,
  timeline,
} from '../support/termination.js';
import { waitUntil } from '../support/wait.js';
import { rejectionOf } from '../support/rejection.js';

/**
 * One way of ending `sleep 30`: the run it starts has a single phase (or SIGKILL only), and the same report, events,
 * signals and end state follow whatever started it.
 */
interface EndingCase {
  readonly title: string;
  /** Options of `spawn('sleep', ['30'], …)`; `signal` is the AbortSignal that `abort()` in `end` aborts. */
  readonly options?: (signal: AbortSignal) => SpawnOptions;
  /** Whether `end` is called while the spawn is still in progress, or once sleep runs (and the handle is armed). */
  readonly endWhile: 'spawning' | 'running';
  /** Starts the run the way the case is about; resolves with the report when that API hands one out. */
  readonly end: (started: {
    readonly proc: ProcessHandle;
    readonly abort: () => void;
  }) => Promise<TerminationReport | undefined>;
  /** The signal that ends sleep: the signal of the one graceful phase that ran, or SIGKILL. */
  readonly endedBy: 'SIGINT' | 'SIGTERM' | 'SIGKILL';
}

/** A graceful phase that the exit (or a kill()) must end; shorter than the test's timeout, so running out shows. */
const GRACE_MS = 10_000;

describe('terminate() lifetimes on the handle', function () {
  this.timeout(20_000);
  const children = new ChildTracker();

  afterEach(async () => {
    sinon.restore();
    await children.cleanup();
  });

  describe('one run ends a sleep, however it is started', () => {
    const endings: EndingCase[] = [
      {
        title: 'terminate() waits for a spawn still in progress, then terminates',
        endWhile: 'spawning',
        end: ({ proc }) => proc.terminate(),
        endedBy: 'SIGINT',
      },
      {
        title: 'kill() right after spawn() skips the graceful phases',
        endWhile: 'spawning',
        end: ({ proc }) => proc.kill(),
        endedBy: 'SIGKILL',
      },
      {
        title: 'terminate() once running ends the run it armed, and disarms the handle',
        endWhile: 'running',
        end: ({ proc }) => proc.terminate(GracefulShutdown.sigterm(2000)),
        endedBy: 'SIGTERM',
      },
      {
        title:
          "concurrent terminate(), terminate() and terminate$() join one run, with the first caller's shutdown",
        endWhile: 'running',
        end: async ({ proc }) => {
          const [first, second, streamed] = await Promise.all([
            proc.terminate(),
            proc.terminate(GracefulShutdown.sigterm(1000)), // joins: the first caller's shutdown applies
            firstValueFrom(proc.terminate$().pipe(toArray())),
          ]);
          expect(second).to.equal(first);
          const completed = streamed.at(-1);
          expect(completed?.type).to.equal('completed');
          if (completed?.type !== 'completed') throw new Error('unreachable');
          expect(completed.report).to.equal(first);
          expect(streamed.map((e) => e.type)).to.deep.equal([
            'started',
            'snapshot',
            'signalSent',
            'exited',
            'verified',
            'completed',
          ]);
          return first;
        },
        endedBy: 'SIGINT',
      },
      {
        title: 'a terminate$() run goes on after its subscriber left, and a later call joins it',
        endWhile: 'running',
        end: async ({ proc }) => {
          const seen: string[] = [];
          const subscription = proc.terminate$(GracefulShutdown.sigterm(2000)).subscribe((e) => {
            seen.push(e.type);
            if (e.type === 'signalSent') subscription.unsubscribe();
          });
          const report = await proc.terminate(GracefulShutdown.sigint(2000)); // joins: SIGTERM, not SIGINT
          expect(seen).to.deep.equal(['started', 'snapshot', 'signalSent']);
          return report;
        },
        endedBy: 'SIGTERM',
      },
      {
        title: 'wait({ timeoutMs, orTerminate }) terminates a child that outlives the timeout',
        endWhile: 'spawning',
        end: async ({ proc }) => {
          const outcome = await proc.wait({ timeoutMs: 100, orTerminate: GracefulShutdown.sigterm(1000) });
          expect(outcome).to.deep.include({
            type: 'terminated',
            timeoutMs: 100,
            status: { code: null, signal: 'SIGTERM' },
          });
          if (outcome.type !== 'terminated') throw new Error('unreachable');
          return outcome.report;
        },
        endedBy: 'SIGTERM',
      },
      {
        title: '`await using` terminates at scope exit with the configured shutdown',
        options: () => ({ shutdown: GracefulShutdown.sigterm(2000) }),
        endWhile: 'running',
        end: async ({ proc }) => {
          {
            await using _scoped = proc;
          }
          return undefined;
        },
        endedBy: 'SIGTERM',
      },
      {
        title: 'an AbortSignal that aborts terminates the child with the configured shutdown',
        options: (signal) => ({ signal, shutdown: GracefulShutdown.sigterm(2000) }),
        endWhile: 'running',
        end: async ({ proc, abort }) => {
          abort();
          expect(await proc.wait()).to.deep.equal({
            type: 'exited',
            status: { code: null, signal: 'SIGTERM' },
            endedBecause: 'aborted',
          });
          return undefined;
        },
        endedBy: 'SIGTERM',
      },
    ];

    for (const ending of endings) {
      it(ending.title, async () => {
        const { endedBy } = ending;
        const kill = sinon.spy(process, 'kill');
        const controller = new AbortController();
        const { proc, events } = children.spawn('sleep', ['30'], ending.options?.(controller.signal) ?? {});
        expect(proc.state).to.equal('spawning');
        expect(proc.pid).to.equal(undefined);
        expect(proc.isArmed, 'armed while spawning').to.equal(false);
        if (ending.endWhile === 'running') {
          await waitUntil('sleep has started', () => proc.state === 'running');
          expect(proc.isArmed, 'armed while running').to.equal(true);
        }

        const returned = await ending.end({ proc, abort: () => controller.abort() });
        const { report } = await waitUntil('the run has ended', () =>
          events.find((e): e is TerminatedEvent => e.type === 'terminated'),
        );
        kill.restore();

        if (returned !== undefined) expect(returned, 'the report handed out').to.equal(report);
        const pid = proc.pid!;
        const status = { code: null, signal: endedBy };
        expect(report).to.deep.include({
          status,
          endedBy,
          forced: endedBy === 'SIGKILL',
          attempts: [],
          signalsSent: [endedBy],
          snapshotOutcome: 'taken',
          survivorsKilled: [],
          stillAlive: [],
        });
        expect(report.snapshot.map((m) => m.pid)).to.deep.equal([pid]);
        // SIGKILL alone when no graceful phase ran; otherwise the phase's signal and its SIGCONT, nothing more.
        expect(signalCalls(kill), 'signals sent').to.deep.equal(
          endedBy === 'SIGKILL'
            ? [[-pid, 'SIGKILL']]
            : [
                [-pid, endedBy],
                [-pid, 'SIGCONT'],
              ],
        );
        expect(timeline(events)).to.deep.equal([
          'spawned',
          'terminationStarted',
          `signalSent ${endedBy} (termination)`,
          `exited ${endedBy}`,
          'verified',
          'terminated',
        ]);
        expect(proc.state).to.equal('exited');
        expect(proc.exitStatus).to.deep.equal(status);
        expect(isPidAlive(pid)).to.equal(false);
        expect(proc.isArmed, 'armed afterwards').to.equal(false);
      });
    }
  });

  describe('interrupted runs', () => {
    it('kill() during a graceful phase jumps to SIGKILL, and both callers get the same report', async () => {
      const { proc, events } = await children.spawnSignalChild(['--ignore', 'SIGINT']);
      const pid = proc.pid!;
      const kill = sinon.spy(process, 'kill');
      const terminating = proc.terminate(GracefulShutdown.sigint(GRACE_MS));
      await waitUntil('the SIGINT phase has begun', () =>
        events.some((e) => e.type === 'signalSent' && e.signal === 'SIGINT'),
      );

      const killing = proc.kill();
      const [terminated, killed] = await Promise.all([terminating, killing]);
      kill.restore();

      expect(killed).to.equal(terminated);
      // The phase was abandoned rather than sat out: an `interrupted` attempt, no `timeout` event, and SIGKILL
      // as the only signal after the phase's own. Sitting the phase out would have ended it with a timeout.
      expect(terminated).to.deep.include({
        status: { code: null, signal: 'SIGKILL' },
        endedBy: 'SIGKILL',
        forced: true,
        attempts: [{ kind: 'interrupted', phase: 1, signal: 'SIGINT' }],
        signalsSent: ['SIGINT', 'SIGKILL'],
        stillAlive: [],
      });
      expect(signalCalls(kill), 'signals sent').to.deep.equal([
        [-pid, 'SIGINT'],
        [-pid, 'SIGCONT'],
        [-pid, 'SIGKILL'],
      ]);
      expect(timeline(events)).to.deep.equal([
        'spawned',
        'terminationStarted',
        'signalSent SIGINT (termination)',
        'signalSent SIGKILL (termination)',
        'exited SIGKILL',
        'verified',
        'terminated',
      ]);
    });
  });

  describe('before the spawn and after the exit', () => {
    it('resolves at once after the exit and sends nothing', async () => {
      const { proc, events } = children.spawn('sh', ['-c', 'exit 3']);
      await proc.wait();
      const pid = proc.pid!;
      const kill = sinon.spy(process, 'kill');

      const report = await proc.terminate();
      const again = await proc.kill();

      // Existence probes (`kill(-pgid, 0)`) deliver nothing; no real signal may go to any group or to the pid.
      const toGroups = signalCalls(kill).filter(([target]) => typeof target !== 'number' || target <= 0);
      expect(toGroups, 'signals sent with a pid ≤ 0').to.deep.equal([]);
      expect(signalsSentTo(kill, pid)).to.deep.equal([]);
      for (const result of [report, again]) {
        expect(result).to.deep.include({
          status: { code: 3, signal: null },
          endedBy: 'alreadyExited',
          forced: false,
          attempts: [],
          signalsSent: [],
          snapshotOutcome: 'skipped',
          snapshot: [],
          survivorsKilled: [],
          stillAlive: [],
        });
      }
      expect(events.filter((e) => e.type === 'signalSent')).to.deep.equal([]);
    });

    it('rejects with the SpawnError when the spawn fails', async () => {
      const { proc, events } = children.spawn('no-such-cmd-rxproc-test');
      const early = proc.terminate(); // before the failure is known
      expect(proc.state).to.equal('spawning');

      const error = await rejectionOf(early);

      expect(error).to.be.instanceOf(SpawnError);
      expect(error).to.include({ code: 'COMMAND_NOT_FOUND' });
      expect(await rejectionOf(proc.terminate())).to.equal(error);
      expect(await rejectionOf(proc.kill())).to.equal(error);
      expect(proc.isArmed).to.equal(false);
      expect(timeline(events)).to.deep.equal(['spawnFailed COMMAND_NOT_FOUND']);
    });
  });

  describe('implicit terminations', () => {
    it('`await using` on a handle whose spawn failed does not throw', async () => {
      const { proc: failed } = children.spawn('no-such-cmd-rxproc-test');
      await rejectionOf(failed.wait());
      {
        await using proc = failed;
        expect(proc.state).to.equal('failed');
      }
    });

    it('spawn$ unsubscription terminates the child exactly once', async () => {
      const terminateSpy = sinon.spy(ProcessHandle.prototype, 'terminate');
      const kill = sinon.spy(process, 'kill');
      const seen: ProcessEvent[] = [];
      let subscription: Subscription | undefined;
      let pid: number | undefined;
      try {
        subscription = spawn$('sleep', ['30'], { shutdown: GracefulShutdown.sigterm(2000) }).subscribe((e) =>
          seen.push(e),
        );
        await waitUntil('sleep has started', () => seen.some((e) => e.type === 'spawned'));
        pid = seen[0]?.type === 'spawned' ? seen[0].pid : undefined;
        expect(pid).to.be.a('number');

        subscription.unsubscribe();
        subscription.unsubscribe();

        expect(terminateSpy.callCount).to.equal(1);
        const report = (await terminateSpy.firstCall.returnValue) as TerminationReport;
        expect(report).to.deep.include({
          status: { code: null, signal: 'SIGTERM' },
          endedBy: 'SIGTERM',
          signalsSent: ['SIGTERM'],
          stillAlive: [],
        });
        expect(isPidAlive(pid!)).to.equal(false);
        expect(signalsSentTo(kill, -pid!)).to.deep.equal(['SIGTERM', 'SIGCONT']);
        expect(terminateSpy.callCount).to.equal(1);
      } finally {
        subscription?.unsubscribe();
        if (pid !== undefined && isPidAlive(pid)) killGroup(pid);
      }
    });

    it('spawn$ completion terminates the background job the leader left behind', async () => {
      const terminateSpy = sinon.spy(ProcessHandle.prototype, 'terminate');
      const shutdown = GracefulShutdown.phases([
        { signal: 'SIGINT', timeoutMs: 200 },
        { signal: 'SIGTERM', timeoutMs: 2000 },
      ]);
      const source$ = spawn$('sh', ['-c', 'sleep 30 & exit 0'], {
        shutdown,
        stdout: 'discard',
        stderr: 'discard',
      });
      let leader: number | undefined;
      try {
        const seen = await firstValueFrom(source$.pipe(toArray()));
        const spawned = seen[0];
        leader = spawned?.type === 'spawned' ? spawned.pid : undefined;
        expect(timeline(seen)).to.deep.equal(['spawned', 'exited 0']);

        expect(terminateSpy.callCount).to.equal(1);
        const report = (await terminateSpy.firstCall.returnValue) as TerminationReport;
        // The background sleep ignores SIGINT (P18): the group only empties with SIGTERM.
        expect(report).to.deep.include({
          status: { code: 0, signal: null },
          endedBy: 'SIGTERM',
          signalsSent: ['SIGINT', 'SIGTERM'],
          stillAlive: [],
        });
        expect(report.snapshot).to.have.length(1);
        expect(attemptsWithHoldouts(report.attempts)).to.deep.equal([
          {
            kind: 'timedOut',
            phase: 1,
            signal: 'SIGINT',
            timeoutMs: 200,
            holdouts: [`${report.snapshot[0]!.pid} ignored`],
          },
        ]);
        expect(report.snapshot[0]).to.deep.include({ command: 'sleep', pgid: leader, inGroup: true });
        expect(isPidAlive(report.snapshot[0]!.pid)).to.equal(false);
      } finally {
        killGroup(leader);
      }
    });

    it('an already-aborted AbortSignal spawns nothing', async () => {
      const controller = new AbortController();
      controller.abort(new Error('not needed any more'));
      const spawnSpy = sinon.spy(currentPlatform(), 'spawnChild');

      const { proc, events } = children.spawn('sleep', ['30'], { signal: controller.signal });

      expect(spawnSpy.callCount).to.equal(0);
      expect(proc.state).to.equal('failed');
      expect(proc.pid).to.equal(undefined);
      expect(timeline(events)).to.deep.equal(['spawnFailed ABORTED']);
      const error = await rejectionOf(proc.terminate());
      expect(error).to.be.instanceOf(SpawnError);
      expect(error).to.include({ code: 'ABORTED' });
    });
  });

  describe("the runner's own process group", () => {
    it('is never signalled, whatever happens to the children', async () => {
      const own = await currentPlatform().readProcess(process.pid);
      const ownPgid = own?.pgid;
      expect(ownPgid).to.be.a('number');
      const onSigint = sinon.spy();
      const onSigterm = sinon.spy();
      process.on('SIGINT', onSigint);
      process.on('SIGTERM', onSigterm);
      const kill = sinon.spy(process, 'kill');
      const childGroups: number[] = [];
      try {
        // A spawn that fails, signalled while its failure is still unknown (P1), then after it is known.
        const { proc: failed } = children.spawn('no-such-cmd-rxproc-test');
        expect(failed.sendSignal('SIGTERM')).to.deep.equal({ sent: false, reason: 'notStarted' });
        const failedRuns = [failed.terminate(), failed.kill()].map((p) => rejectionOf(p));
        await Promise.all(failedRuns);
        expect(failed.sendSignal('SIGINT')).to.deep.equal({ sent: false, reason: 'notStarted' });
        expect(await rejectionOf(failed.kill())).to.be.instanceOf(SpawnError);

        // A spawn in progress, then running, then exited.
        const { proc } = children.spawn('sleep', ['30']);
        expect(proc.sendSignal('SIGINT')).to.deep.equal({ sent: false, reason: 'notStarted' });
        const report = await proc.terminate(GracefulShutdown.sigterm(2000));
        childGroups.push(proc.pid!);
        expect(report.endedBy).to.equal('SIGTERM');
        expect(proc.sendSignal('SIGTERM')).to.deep.equal({ sent: false, reason: 'exited' });
        expect((await proc.kill()).endedBy).to.equal('alreadyExited');

        // A forced run whose leader ignores both graceful signals.
        const { proc: stubborn } = await children.spawnSignalChild(['--ignore', 'SIGINT,SIGTERM']);
        const forced = await stubborn.terminate(
          GracefulShutdown.phases([
            { signal: 'SIGINT', timeoutMs: 100 },
            { signal: 'SIGTERM', timeoutMs: 100 },
          ]),
        );
        childGroups.push(stubborn.pid!);
        expect(forced.endedBy).to.equal('SIGKILL');
      } finally {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
        kill.restore();
      }

      expect(onSigint.callCount, 'SIGINT listener of the runner').to.equal(0);
      expect(onSigterm.callCount, 'SIGTERM listener of the runner').to.equal(0);
      const forbidden = new Set([0, -1, 1, process.pid, -process.pid, ownPgid, -ownPgid!]);
      const targets = kill.getCalls().map((call) => call.args[0] as unknown);
      expect(targets.filter((target) => forbidden.has(target as number))).to.deep.equal([]);
      // The spy did see the library's sends, and only to the children's groups.
      expect(targets.length).to.be.greaterThan(0);
      const allowed = new Set(childGroups.map((pgid) => -pgid));
      expect(targets.filter((target) => !allowed.has(target as number))).to.deep.equal([]);
    });
  });
});
