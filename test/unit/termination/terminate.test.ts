import { expect } from 'chai';
import sinon from 'sinon';
import {
  EMPTY,
  NEVER,
  type Observable,
  ReplaySubject,
  asyncScheduler,
  defer,
  map,
  of,
  throwError,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { RunHelpers } from 'rxjs/internal/testing/TestScheduler';
import { match } from 'ts-pattern';
import { GracefulShutdown } from '../../../src/termination/graceful-shutdown.js';
import { terminate, terminate$ } from '../../../src/termination/terminate.js';
import { TerminationError } from '../../../src/termination/error.js';
import type { TerminationPort } from '../../../src/termination/port.js';
import type { TerminationEvent, TerminationReport } from '../../../src/termination/types.js';
import { InvalidOptionError } from '../../../src/core/errors.js';
import {
  type FakeProcess,
  LEADER_PID,
  SIGKILL_DEATH,
  SIGTERM_DEATH,
  fakeProcess,
  identity,
  member,
} from './fake-termination-port.js';

interface Setup {
  readonly fake: FakeProcess;
  readonly shutdown: GracefulShutdown;
  readonly killNow$?: Observable<unknown>;
}

interface Outcome {
  readonly fake: FakeProcess;
  readonly events: TerminationEvent[];
  readonly error: unknown;
  readonly completed: boolean;
}

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
}

/** Runs one termination in virtual time and returns everything it emitted. */
function runTermination(setup: (scheduler: TestScheduler, helpers: RunHelpers) => Setup): Outcome {
  const scheduler = newScheduler();
  const events: TerminationEvent[] = [];
  let error: unknown;
  let completed = false;
  let fake: FakeProcess | undefined;
  scheduler.run((helpers) => {
    // A bug that keeps polling must fail the test, not spin the flush forever.
    scheduler.maxFrames = 1_000_000;
    const built = setup(scheduler, helpers);
    fake = built.fake;
    terminate$(built.fake.port, built.shutdown, { scheduler, killNow$: built.killNow$ }).subscribe({
      next: (event) => events.push(event),
      error: (e: unknown) => (error = e),
      complete: () => (completed = true),
    });
  });
  return { fake: fake!, events, error, completed };
}

/** One line per event: virtual time, type, and the detail that matters for ordering. */
function timeline(events: readonly TerminationEvent[]): string[] {
  return events.map((event) => {
    const detail = match(event)
      .with(
        { type: 'signalSent' },
        { type: 'signalFailed' },
        { type: 'timeout' },
        { type: 'interrupted' },
        (e) => ` ${e.signal}`,
      )
      .with({ type: 'exited' }, (e) => ` by ${e.endedBy}`)
      .with({ type: 'survivorKilled' }, (e) => ` ${e.identity.pid}`)
      .with({ type: 'snapshot' }, (e) => ` ${e.outcome}`)
      .with({ type: 'started' }, { type: 'verified' }, { type: 'completed' }, () => '')
      .exhaustive();
    return `${event.at} ${event.type}${detail}`;
  });
}

function reportOf(outcome: Outcome): TerminationReport {
  const last = outcome.events.at(-1);
  if (last?.type !== 'completed') throw new Error(`no completed event; error: ${String(outcome.error)}`);
  expect(outcome.completed).to.equal(true);
  return last.report;
}

describe('terminate$', () => {
  describe('preflight', () => {
    it('sends nothing when the leader has exited and its group is gone', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.exitLeader({ code: 0, signal: null });
        return { fake, shutdown: GracefulShutdown.sigterm(5000) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 exited by alreadyExited',
        '0 completed',
      ]);
      expect(outcome.fake.signalGroup.called).to.equal(false);
      expect(outcome.fake.snapshotTree.called).to.equal(false);
      const report = reportOf(outcome);
      expect(report).to.deep.include({
        processName: 'fake',
        status: { code: 0, signal: null },
        endedBy: 'alreadyExited',
        forced: false,
        durationMs: 0,
        attempts: [],
        signalsSent: [],
        snapshotOutcome: 'skipped',
        snapshot: [],
        survivorsKilled: [],
        stillAlive: [],
      });
    });

    it('is a cold marble: started, exited, completed in one frame', () => {
      newScheduler().run(({ expectObservable }) => {
        // Inside run() the asyncScheduler is virtualised, so it can stand in for the TestScheduler.
        const fake = fakeProcess(asyncScheduler);
        fake.exitLeader();
        const types$ = terminate$(fake.port, GracefulShutdown.sigterm(5000), asyncScheduler).pipe(
          map((e) => e.type),
        );
        expectObservable(types$).toBe('(abc|)', { a: 'started', b: 'exited', c: 'completed' });
      });
    });

    it('keeps signalling the group when the leader is gone but members live (shell background jobs)', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.exitLeader(SIGTERM_DEATH, true);
        fake.react('SIGTERM', { groupGoneAfterMs: 20 });
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      // Group checks back off from 0: at 0, 1, 3, 7, 15, 31, ...; the one at 31 is the first after 20.
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGTERM',
        '31 exited by SIGTERM',
        '31 verified',
        '31 completed',
      ]);
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGTERM', 'SIGCONT']);
    });

    it('bounds a group check that never answers and then escalates', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.exitLeader();
        fake.isGroupAlive.callsFake(() => NEVER);
        // The group is in fact empty: the kernel says so with ESRCH.
        fake.failSend('SIGTERM', 'ESRCH');
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '2000 snapshot taken',
        '2000 signalFailed SIGTERM',
        '2000 exited by SIGTERM',
        '2000 verified',
        '2000 completed',
      ]);
    });
  });

  describe('graceful phases', () => {
    it('ends in phase 1 when the child exits on SIGTERM', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGTERM', { leaderExitsAfterMs: 30 });
        return { fake, shutdown: GracefulShutdown.sigterm(5000) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGTERM',
        '30 exited by SIGTERM',
        '30 verified',
        '30 completed',
      ]);
      expect(outcome.fake.signalGroup.firstCall.calledWithExactly('SIGTERM')).to.equal(true);
      expect(outcome.fake.signalGroup.secondCall.calledWithExactly('SIGCONT')).to.equal(true);
      expect(outcome.fake.signalGroup.callCount).to.equal(2);
      expect(outcome.fake.snapshotTree.calledBefore(outcome.fake.signalGroup)).to.equal(true);
      const report = reportOf(outcome);
      expect(report).to.deep.include({
        status: SIGTERM_DEATH,
        endedBy: 'SIGTERM',
        forced: false,
        durationMs: 30,
        attempts: [],
        signalsSent: ['SIGTERM'],
        snapshotOutcome: 'taken',
      });
    });

    it('escalates to phase 2 after phase 1 times out', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        const shutdown = GracefulShutdown.phases([
          { signal: 'SIGINT', timeoutMs: 1000 },
          { signal: 'SIGTERM', timeoutMs: 2000 },
        ]);
        return { fake, shutdown };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGINT',
        '1000 timeout SIGINT',
        '1000 signalSent SIGTERM',
        '1010 exited by SIGTERM',
        '1010 verified',
        '1010 completed',
      ]);
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGINT', 'SIGCONT', 'SIGTERM', 'SIGCONT']);
      expect(reportOf(outcome).attempts).to.deep.equal([
        { kind: 'timedOut', phase: 1, signal: 'SIGINT', timeoutMs: 1000 },
      ]);
    });

    it('ends only after SIGKILL, reported as forced', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 0, status: SIGKILL_DEATH });
        return { fake, shutdown: GracefulShutdown.sigterm(500) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGTERM',
        '500 timeout SIGTERM',
        '500 signalSent SIGKILL',
        '500 exited by SIGKILL',
        '500 verified',
        '500 completed',
      ]);
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGTERM', 'SIGCONT', 'SIGKILL']);
      const report = reportOf(outcome);
      expect(report).to.deep.include({
        status: SIGKILL_DEATH,
        endedBy: 'SIGKILL',
        forced: true,
        durationMs: 500,
        signalsSent: ['SIGTERM', 'SIGKILL'],
        attempts: [{ kind: 'timedOut', phase: 1, signal: 'SIGTERM', timeoutMs: 500 }],
      });
    });

    it('names the holdouts of a timed-out phase on the event, the attempt and the error', () => {
      const holdout = { pid: 4243, command: 'sleep', state: 'sleeping', disposition: 'ignored' } as const;
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 0, status: SIGKILL_DEATH });
        const port = { ...fake.port, describeHoldouts: sinon.stub().returns(of([holdout])) };
        return { fake: { ...fake, port }, shutdown: GracefulShutdown.sigint(500) };
      });
      const timeout = outcome.events.find((e) => e.type === 'timeout');
      expect(timeout).to.deep.include({ at: 500, signal: 'SIGINT', holdouts: [holdout] });
      expect(reportOf(outcome).attempts).to.deep.equal([
        { kind: 'timedOut', phase: 1, signal: 'SIGINT', timeoutMs: 500, holdouts: [holdout] },
      ]);
      expect(timeline(outcome.events)).to.include('500 signalSent SIGKILL');
      const error = new TerminationError('fake', reportOf(outcome).attempts);
      expect(error.message).to.include('still alive: pid 4243 sleep [sleeping] ignored');
    });

    it('does not let an unanswered holdout query delay the escalation beyond its bound', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 0, status: SIGKILL_DEATH });
        const port = { ...fake.port, describeHoldouts: () => NEVER };
        return { fake: { ...fake, port }, shutdown: GracefulShutdown.sigterm(500) };
      });
      // The timeout is stamped when the wait ran out; SIGKILL follows once the 250 ms query bound has passed.
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGTERM',
        '500 timeout SIGTERM',
        '750 signalSent SIGKILL',
        '750 exited by SIGKILL',
        '750 verified',
        '750 completed',
      ]);
      expect(reportOf(outcome).attempts).to.deep.equal([
        { kind: 'timedOut', phase: 1, signal: 'SIGTERM', timeoutMs: 500 },
      ]);
    });

    it('keeps signalling the group after the leader exits until the members are gone', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        // sh -c 'sleep 30 & sleep 31': SIGINT ends the shell, the background job ignores it.
        fake.react('SIGINT', { leaderExitsAfterMs: 10, groupGoneAfterMs: 1_000_000 });
        fake.react('SIGTERM', { groupGoneAfterMs: 10 });
        const shutdown = GracefulShutdown.phases([
          { signal: 'SIGINT', timeoutMs: 1000 },
          { signal: 'SIGTERM', timeoutMs: 1000 },
        ]);
        return { fake, shutdown };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGINT',
        '1000 timeout SIGINT',
        '1000 signalSent SIGTERM',
        // The SIGTERM phase polls again from 1000 (1001, 1003, 1007, 1015): the group is gone at 1010.
        '1015 exited by SIGTERM',
        '1015 verified',
        '1015 completed',
      ]);
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGINT', 'SIGCONT', 'SIGTERM', 'SIGCONT']);
      // Polled from the leader's exit at 10 through the SIGINT budget, then again in the SIGTERM phase.
      expect(outcome.fake.isGroupAlive.callCount).to.be.greaterThan(20);
    });

    it('with zero timeouts sends every signal at once and fails when nothing ends the process', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        const shutdown = GracefulShutdown.phases(
          [
            { signal: 'SIGINT', timeoutMs: 0 },
            { signal: 'SIGTERM', timeoutMs: 0 },
          ],
          { killTimeoutMs: 0 },
        );
        return { fake, shutdown };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGINT',
        '0 timeout SIGINT',
        '0 signalSent SIGTERM',
        '0 timeout SIGTERM',
        '0 signalSent SIGKILL',
        '0 timeout SIGKILL',
      ]);
      expect(outcome.error).to.be.instanceOf(TerminationError);
      expect((outcome.error as TerminationError).attempts.map((a) => a.signal)).to.deep.equal([
        'SIGINT',
        'SIGTERM',
        'SIGKILL',
      ]);
    });

    it('with a zero timeout still counts an exit known at the instant of the send', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGINT', { leaderExitsAfterMs: 0 });
        return { fake, shutdown: GracefulShutdown.sigint(0) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGINT',
        '0 exited by SIGINT',
        '0 verified',
        '0 completed',
      ]);
      expect(reportOf(outcome).attempts).to.deep.equal([]);
    });
  });

  describe('failed sends', () => {
    it('waits the 100 ms grace and ends when the exit arrives inside it', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.failSend('SIGTERM', 'EPERM', { leaderExitsAfterMs: 40 });
        return { fake, shutdown: GracefulShutdown.sigterm(5000) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalFailed SIGTERM',
        '40 exited by SIGTERM',
        '40 verified',
        '40 completed',
      ]);
      // No SIGCONT after a send that did not happen.
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGTERM']);
      const [attempt] = reportOf(outcome).attempts;
      expect(attempt).to.deep.include({ kind: 'sendFailed', phase: 1, signal: 'SIGTERM', code: 'EPERM' });
    });

    it('escalates after the grace when no exit follows', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.failSend('SIGTERM', 'EPERM');
        fake.react('SIGKILL', { leaderExitsAfterMs: 5, status: SIGKILL_DEATH });
        return { fake, shutdown: GracefulShutdown.sigterm(5000) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalFailed SIGTERM',
        '100 signalSent SIGKILL',
        '105 exited by SIGKILL',
        '105 verified',
        '105 completed',
      ]);
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGTERM', 'SIGKILL']);
      expect(reportOf(outcome).attempts.map((a) => a.kind)).to.deep.equal(['sendFailed']);
    });

    it('treats ESRCH as an empty group: the racing exit ends the run without a group check', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        // The group was reaped just before the send; Node delivers the exit a millisecond later.
        fake.failSend('SIGTERM', 'ESRCH', { leaderExitsAfterMs: 1 });
        fake.isGroupAlive.callsFake(() => NEVER);
        return { fake, shutdown: GracefulShutdown.sigterm(5000) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalFailed SIGTERM',
        '1 exited by SIGTERM',
        '1 verified',
        '1 completed',
      ]);
      expect(outcome.fake.isGroupAlive.called).to.equal(false);
      expect(reportOf(outcome).attempts).to.have.length(1);
    });
  });

  describe('SIGKILL', () => {
    it('fails with a TerminationError listing every attempt when SIGKILL does not take effect', () => {
      const outcome = runTermination((scheduler) => ({
        fake: fakeProcess(scheduler),
        shutdown: GracefulShutdown.sigterm(1000),
      }));
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGTERM',
        '1000 timeout SIGTERM',
        '1000 signalSent SIGKILL',
        '4000 timeout SIGKILL',
      ]);
      expect(outcome.completed).to.equal(false);
      const error = outcome.error;
      expect(error).to.be.instanceOf(TerminationError);
      if (!(error instanceof TerminationError)) return;
      expect(error.code).to.equal('TERMINATION_FAILED');
      expect(error.name).to.equal('TerminationError');
      expect(error.processName).to.equal('fake');
      expect(error.attempts).to.deep.equal([
        { kind: 'timedOut', phase: 1, signal: 'SIGTERM', timeoutMs: 1000 },
        { kind: 'timedOut', phase: 2, signal: 'SIGKILL', timeoutMs: 3000 },
      ]);
      expect(error.message).to.equal(
        "Failed to terminate process 'fake'; it may still be running. Attempts: " +
          '[1] phase 1 (SIGTERM): no exit within 1000 ms; [2] phase 2 (SIGKILL): no exit within 3000 ms',
      );
    });

    it('fails 100 ms after a SIGKILL send that could not be delivered', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.failSend('SIGKILL', 'EPERM');
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      expect(timeline(outcome.events).slice(-2)).to.deep.equal([
        '1000 timeout SIGTERM',
        '1000 signalFailed SIGKILL',
      ]);
      const error = outcome.error as TerminationError;
      expect(error.attempts.map((a) => `${a.kind} ${a.signal}`)).to.deep.equal([
        'timedOut SIGTERM',
        'sendFailed SIGKILL',
      ]);
      expect(error.message).to.contain('[2] phase 2 (SIGKILL): send failed with EPERM (kill EPERM)');
    });

    it('ends after a SIGKILL that raced the exit (ESRCH) within the grace', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.failSend('SIGKILL', 'ESRCH', { leaderExitsAfterMs: 3, status: SIGKILL_DEATH });
        return { fake, shutdown: GracefulShutdown.sigterm(100) };
      });
      expect(timeline(outcome.events).slice(3)).to.deep.equal([
        '100 timeout SIGTERM',
        '100 signalFailed SIGKILL',
        '103 exited by SIGKILL',
        '103 verified',
        '103 completed',
      ]);
      expect(reportOf(outcome).attempts.map((a) => `${a.kind} ${a.signal}`)).to.deep.equal([
        'timedOut SIGTERM',
        'sendFailed SIGKILL',
      ]);
    });

    it('killOnly goes straight to SIGKILL, without SIGCONT', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 2, status: SIGKILL_DEATH });
        return { fake, shutdown: GracefulShutdown.killOnly() };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGKILL',
        '2 exited by SIGKILL',
        '2 verified',
        '2 completed',
      ]);
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGKILL']);
      expect(reportOf(outcome)).to.deep.include({ forced: true, attempts: [], signalsSent: ['SIGKILL'] });
    });
  });

  describe('killNow$', () => {
    it('abandons a graceful phase and kills at once', () => {
      const outcome = runTermination((scheduler, { hot }) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 0, status: SIGKILL_DEATH });
        return { fake, shutdown: GracefulShutdown.sigterm(5000), killNow$: hot('300ms x') };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGTERM',
        '300 interrupted SIGTERM',
        '300 signalSent SIGKILL',
        '300 exited by SIGKILL',
        '300 verified',
        '300 completed',
      ]);
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGTERM', 'SIGCONT', 'SIGKILL']);
      expect(reportOf(outcome).attempts).to.deep.equal([
        { kind: 'interrupted', phase: 1, signal: 'SIGTERM' },
      ]);
    });

    it('also cuts the grace after a failed send short', () => {
      const outcome = runTermination((scheduler, { hot }) => {
        const fake = fakeProcess(scheduler);
        fake.failSend('SIGINT', 'EPERM');
        fake.react('SIGKILL', { leaderExitsAfterMs: 0, status: SIGKILL_DEATH });
        const shutdown = GracefulShutdown.phases([
          { signal: 'SIGINT', timeoutMs: 1000 },
          { signal: 'SIGTERM', timeoutMs: 1000 },
        ]);
        return { fake, shutdown, killNow$: hot('20ms x') };
      });
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGINT', 'SIGKILL']);
      expect(reportOf(outcome).attempts.map((a) => `${a.kind} ${a.phase} ${a.signal}`)).to.deep.equal([
        'sendFailed 1 SIGINT',
        'interrupted 1 SIGINT',
      ]);
      expect(timeline(outcome.events)).to.include('20 signalSent SIGKILL');
    });

    it('skips the graceful phases when the request comes before the first signal', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 0, status: SIGKILL_DEATH });
        return { fake, shutdown: GracefulShutdown.sigterm(5000), killNow$: of('now') };
      });
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGKILL']);
      expect(timeline(outcome.events)).to.include('0 interrupted SIGTERM');
    });

    it('is kept when it comes between two phases, while the holdouts of a timed-out phase are asked', () => {
      const outcome = runTermination((scheduler, { cold, hot }) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 0, status: SIGKILL_DEATH });
        const port = { ...fake.port, describeHoldouts: () => cold('100ms (a|)', { a: [] }) };
        const shutdown = GracefulShutdown.phases([
          { signal: 'SIGINT', timeoutMs: 1000 },
          { signal: 'SIGTERM', timeoutMs: 1000 },
        ]);
        return { fake: { ...fake, port }, shutdown, killNow$: hot('1050ms x') };
      });
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGINT', 'SIGCONT', 'SIGKILL']);
      expect(timeline(outcome.events)).to.include('1100 interrupted SIGTERM');
    });

    it('that completes without a request changes nothing', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake, shutdown: GracefulShutdown.sigterm(500), killNow$: EMPTY };
      });
      expect(outcome.completed).to.equal(true);
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGTERM', 'SIGCONT']);
    });

    it('is ignored once SIGKILL is under way, and subscribed once per run', () => {
      let subscriptions = 0;
      const outcome = runTermination((scheduler, { cold }) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 50, status: SIGKILL_DEATH });
        const killNow$ = defer(() => {
          subscriptions += 1;
          return cold('520ms x');
        });
        return { fake, shutdown: GracefulShutdown.sigterm(500), killNow$ };
      });
      expect(subscriptions).to.equal(1);
      expect(timeline(outcome.events).at(-1)).to.equal('550 completed');
      expect(reportOf(outcome).attempts.map((a) => a.kind)).to.deep.equal(['timedOut']);
    });
  });

  describe('snapshot', () => {
    it('is bounded: a snapshot that never answers is recorded and the run goes on after 2 s', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.snapshotTree.callsFake(() => NEVER);
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '2000 snapshot timedOut',
        '2000 signalSent SIGTERM',
        '2010 exited by SIGTERM',
        '2010 verified',
        '2010 completed',
      ]);
      const snapshot = outcome.events[1];
      expect(snapshot?.type === 'snapshot' && snapshot.error?.message).to.match(/no answer within 2000 ms/);
      expect(reportOf(outcome).snapshotOutcome).to.equal('timedOut');
    });

    it('records a failed snapshot and still terminates', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.snapshotTree.callsFake(() => throwError(() => new Error('ps: not found')));
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      const snapshot = outcome.events[1];
      expect(snapshot).to.deep.include({ type: 'snapshot', at: 0, outcome: 'failed', members: [] });
      expect(reportOf(outcome).endedBy).to.equal('SIGTERM');
    });

    it('marks escapees, keeps them first, and caps the list at 1024', () => {
      const many = Array.from({ length: 1500 }, (_, i) => member(10_000 + i, LEADER_PID));
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler, [member(LEADER_PID, LEADER_PID), ...many, member(9, 9)]);
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      const report = reportOf(outcome);
      expect(report.snapshot).to.have.length(1024);
      expect(report.snapshotTruncated).to.equal(true);
      expect(report.snapshot[0]).to.deep.include({ pid: 9, inGroup: false });
      expect(report.snapshot[1]).to.deep.include({ pid: LEADER_PID, inGroup: true });
      const snapshot = outcome.events.find((e) => e.type === 'snapshot');
      expect(snapshot).to.deep.include({ total: 1502, truncated: true });
      // The leader is never checked individually; everything else kept is.
      expect(outcome.fake.isAlive.callCount).to.equal(1023);
      expect(outcome.fake.isAlive.calledWith(identity(LEADER_PID))).to.equal(false);
    });
  });

  describe('verification', () => {
    const tree = [member(LEADER_PID, LEADER_PID), member(4243, LEADER_PID), member(5000, 5000)];

    it('kills a surviving escapee one by one and reports it', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler, tree);
        let escapeeAlive = true;
        fake.isAlive.callsFake((id) => of(id.pid === 5000 && escapeeAlive));
        fake.killProcess.callsFake(() => {
          escapeeAlive = false;
          return of({ ok: true as const });
        });
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      expect(timeline(outcome.events).slice(3)).to.deep.equal([
        '10 exited by SIGTERM',
        '10 survivorKilled 5000',
        '10 verified',
        '10 completed',
      ]);
      expect(outcome.fake.killProcess.calledOnceWithExactly(identity(5000))).to.equal(true);
      expect(outcome.fake.isAlive.calledWith(identity(LEADER_PID))).to.equal(false);
      const verified = outcome.events.find((e) => e.type === 'verified');
      expect(verified).to.deep.include({
        checked: [identity(5000), identity(4243)],
        alreadyGone: [identity(4243)],
        killed: [identity(5000)],
        goneWhileWaiting: [],
        stillAlive: [],
      });
      const report = reportOf(outcome);
      expect(report.survivorsKilled).to.deep.equal([identity(5000)]);
      expect(report.stillAlive).to.deep.equal([]);
    });

    it('counts zombies as gone (isAlive says so) and never kills them', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler, [
          member(LEADER_PID, LEADER_PID),
          member(4300, LEADER_PID, 'zombie'),
        ]);
        fake.isAlive.callsFake(() => of(false));
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      expect(outcome.fake.killProcess.called).to.equal(false);
      expect(outcome.events.find((e) => e.type === 'verified')).to.deep.include({
        alreadyGone: [identity(4300)],
        stillAlive: [],
      });
    });

    it('is bounded: a survivor that outlives its SIGKILL is reported after verifyTimeoutMs', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler, tree);
        fake.isAlive.callsFake((id) => of(id.pid === 5000));
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake, shutdown: GracefulShutdown.sigterm(1000, { verifyTimeoutMs: 400 }) };
      });
      expect(timeline(outcome.events).slice(3)).to.deep.equal([
        '10 exited by SIGTERM',
        '10 survivorKilled 5000',
        '410 verified',
        '410 completed',
      ]);
      expect(reportOf(outcome)).to.deep.include({ survivorsKilled: [], stillAlive: [identity(5000)] });
    });

    it("with survivors: 'report' leaves survivors alone and waits for them within the bound", () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler, tree);
        let goneAt = Infinity;
        fake.isAlive.callsFake((id) => of(id.pid === 5000 && scheduler.now() < goneAt));
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        scheduler.schedule(() => (goneAt = 120), 120);
        return { fake, shutdown: GracefulShutdown.sigterm(1000, { survivors: 'report' }) };
      });
      expect(outcome.fake.killProcess.called).to.equal(false);
      const verified = outcome.events.find((e) => e.type === 'verified');
      // Re-checked from 10 with backoff (10, 11, 13, 17, 25, 41, 73, 123): gone at the check at 123.
      expect(verified).to.deep.include({ at: 123, goneWhileWaiting: [identity(5000)], killed: [] });
    });

    it('treats a check that never answers as unverifiable, within the bound', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler, tree);
        fake.isAlive.callsFake(() => NEVER);
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake, shutdown: GracefulShutdown.sigterm(1000) };
      });
      const verified = outcome.events.find((e) => e.type === 'verified');
      expect(verified).to.deep.include({ at: 1010, stillAlive: [identity(5000), identity(4243)] });
      expect(reportOf(outcome).durationMs).to.equal(1010);
    });
  });

  describe('subscription', () => {
    it('sends nothing before subscription and nothing after unsubscription', () => {
      newScheduler().run(({ expectObservable }) => {
        const fake = fakeProcess(asyncScheduler);
        const shutdown = GracefulShutdown.phases([
          { signal: 'SIGINT', timeoutMs: 500 },
          { signal: 'SIGTERM', timeoutMs: 500 },
        ]);
        const run$ = terminate$(fake.port, shutdown).pipe(map((e) => e.type));
        expect(fake.signalGroup.called).to.equal(false);
        expectObservable(run$, '^ 699ms !').toBe('(abc) 495ms (de)', {
          a: 'started',
          b: 'snapshot',
          c: 'signalSent',
          d: 'timeout',
          e: 'signalSent',
        });
      });
    });

    it('after unsubscription no SIGKILL follows', () => {
      const scheduler = newScheduler();
      let fake: FakeProcess | undefined;
      scheduler.run(() => {
        fake = fakeProcess(scheduler);
        const subscription = terminate$(fake.port, GracefulShutdown.sigterm(500), scheduler).subscribe();
        scheduler.schedule(() => subscription.unsubscribe(), 300);
      });
      expect(fake!.sentSignals()).to.deep.equal(['SIGTERM', 'SIGCONT']);
    });

    it('each subscription is a separate run', () => {
      const scheduler = newScheduler();
      scheduler.run(() => {
        const fake = fakeProcess(scheduler);
        fake.exitLeader();
        const run$ = terminate$(fake.port, GracefulShutdown.sigterm(5000), scheduler);
        run$.subscribe();
        run$.subscribe();
        expect(fake.isGroupAlive.callCount).to.equal(2);
      });
    });
  });

  describe('terminate()', () => {
    it('resolves with the report, with promise-returning port methods on the async scheduler', async () => {
      let status: { code: number | null; signal: null } | undefined;
      const exit = new ReplaySubject<{ code: number; signal: null }>(1);
      const port: TerminationPort = {
        name: 'promised',
        root: { pid: LEADER_PID, pgid: LEADER_PID, sid: LEADER_PID },
        exitStatus: () => status,
        exit$: exit.asObservable(),
        signalGroup: (signal) => {
          if (signal === 'SIGTERM') {
            setImmediate(() => {
              status = { code: 0, signal: null };
              exit.next(status as { code: number; signal: null });
            });
          }
          return { ok: true };
        },
        snapshotTree: () => Promise.resolve([member(LEADER_PID, LEADER_PID), member(7, 7)]),
        isGroupAlive: () => Promise.resolve(status === undefined),
        isAlive: () => Promise.resolve(false),
        killProcess: () => Promise.resolve({ ok: true }),
      };
      const report = await terminate(port, GracefulShutdown.sigterm(5000));
      expect(report).to.deep.include({ processName: 'promised', endedBy: 'SIGTERM', forced: false });
      expect(report.snapshot.map((m) => m.pid)).to.deep.equal([7, LEADER_PID]);
    });

    it('rejects with the TerminationError', async () => {
      const scheduler = newScheduler();
      let pending: Promise<TerminationReport> | undefined;
      scheduler.run(() => {
        pending = terminate(fakeProcess(scheduler).port, GracefulShutdown.sigterm(10), scheduler);
      });
      const error: unknown = await pending!.catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TerminationError);
    });
  });

  it('rejects something that is not a GracefulShutdown', () => {
    const fake = fakeProcess(asyncScheduler);
    const bogus = { phases: [{ signal: 'SIGTERM', timeoutMs: NaN }] } as unknown as GracefulShutdown;
    expect(() => terminate$(fake.port, bogus)).to.throw(InvalidOptionError);
  });

  describe('a fresh forwarded signal as the first phase', () => {
    /** The fake's port, with a signal forwarded to the group `ageMs` before the run starts (at 0). */
    function forwarded(fake: FakeProcess, signal: 'SIGINT' | 'SIGTERM', ageMs: number): FakeProcess {
      return { ...fake, port: { ...fake.port, recentSignal: () => ({ signal, at: -ageMs }) } };
    }
    const intThenTerm = GracefulShutdown.phases([
      { signal: 'SIGINT', timeoutMs: 1000 },
      { signal: 'SIGTERM', timeoutMs: 2000 },
    ]);

    it('is not sent again, and its phase times out at the rest of the budget', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake: forwarded(fake, 'SIGINT', 300), shutdown: intThenTerm };
      });
      expect(timeline(outcome.events)).to.deep.equal([
        '0 started',
        '0 snapshot taken',
        '0 signalSent SIGINT',
        '700 timeout SIGINT',
        '700 signalSent SIGTERM',
        '710 exited by SIGTERM',
        '710 verified',
        '710 completed',
      ]);
      expect(outcome.events[2]).to.deep.include({ type: 'signalSent', forwardedAt: -300 });
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGCONT', 'SIGTERM', 'SIGCONT']);
      const report = reportOf(outcome);
      expect(report.signalsForwarded).to.deep.equal(['SIGINT']);
      expect(report.signalsSent).to.deep.equal(['SIGTERM']);
      expect(report.attempts).to.deep.equal([
        { kind: 'timedOut', phase: 1, signal: 'SIGINT', timeoutMs: 1000 },
      ]);
    });

    it('counts an exit during the rest of the budget as ended by that signal', () => {
      const scheduler = newScheduler();
      scheduler.run(({ expectObservable }) => {
        const fake = fakeProcess(scheduler);
        scheduler.schedule(() => fake.exitLeader({ code: 0, signal: null }), 200);
        const types$ = terminate$(forwarded(fake, 'SIGINT', 300).port, intThenTerm, { scheduler }).pipe(
          map((event) => (event.type === 'exited' ? `exited:${event.endedBy}` : event.type)),
        );
        expectObservable(types$).toBe('(abc) 195ms (def|)', {
          a: 'started',
          b: 'snapshot',
          c: 'signalSent',
          d: 'exited:SIGINT',
          e: 'verified',
          f: 'completed',
        });
      });
    });

    it('is sent again once it is as old as the phase timeout', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGINT', { leaderExitsAfterMs: 10 });
        return { fake: forwarded(fake, 'SIGINT', 1000), shutdown: intThenTerm };
      });
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGINT', 'SIGCONT']);
      expect(reportOf(outcome).signalsForwarded).to.deep.equal([]);
    });

    it('never stands in for a different signal, nor for a later phase', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGTERM', { leaderExitsAfterMs: 10 });
        return { fake: forwarded(fake, 'SIGTERM', 0), shutdown: intThenTerm };
      });
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGINT', 'SIGCONT', 'SIGTERM', 'SIGCONT']);
    });

    it('never stands in for SIGKILL of a kill-only run', () => {
      const outcome = runTermination((scheduler) => {
        const fake = fakeProcess(scheduler);
        fake.react('SIGKILL', { leaderExitsAfterMs: 0, status: SIGKILL_DEATH });
        const port = { ...fake.port, recentSignal: () => ({ signal: 'SIGKILL' as const, at: 0 }) };
        return { fake: { ...fake, port }, shutdown: GracefulShutdown.killOnly() };
      });
      expect(outcome.fake.sentSignals()).to.deep.equal(['SIGKILL']);
    });
  });

  it('records why the run was started, on the started event and in the report', () => {
    const scheduler = newScheduler();
    const events: TerminationEvent[] = [];
    scheduler.run(() => {
      const fake = fakeProcess(scheduler);
      fake.react('SIGTERM', { leaderExitsAfterMs: 0 });
      terminate$(fake.port, GracefulShutdown.sigterm(100), { scheduler, reason: 'aborted' }).subscribe(
        (event) => events.push(event),
      );
    });
    expect(events[0]).to.deep.include({ type: 'started', reason: 'aborted' });
    const last = events.at(-1);
    expect(last?.type === 'completed' && last.report.reason).to.equal('aborted');
  });
});
