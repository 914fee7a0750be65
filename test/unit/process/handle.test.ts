import { expect } from 'chai';
import { TestScheduler } from 'rxjs/testing';
import {
  GracefulShutdown,
  type ProcessEvent,
  type SpawnError,
  type SpawnOptions,
  type TerminationReport,
} from '../../../src/index.js';
import { ProcessHandle } from '../../../src/process/handle.js';
import { startChild } from '../../../src/process/start-child.js';
import { CHILD_PID, fakeDeps, FakeOs } from '../../support/fake-platform.js';

const ESRCH = { ok: false as const, code: 'ESRCH' as const, error: new Error('no such process group') };

/** A handle over a fake OS, in virtual time; the child is started unless `started: false`. */
function handle(options: SpawnOptions = {}, setup: { started?: boolean; args?: unknown } = {}) {
  const scheduler = new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
  scheduler.maxFrames = Number.POSITIVE_INFINITY; // outside run mode it would stop at frame 750
  const os = new FakeOs();
  const { deps, signals } = fakeDeps(os);
  const given = { stdout: 'discard', stderr: 'discard', ...options, scheduler } as const;
  const proc = ProcessHandle.attach(startChild('fake', setup.args ?? [], given, deps), deps);
  const events: ProcessEvent[] = [];
  proc.events$.subscribe((event) => events.push(event));
  if (setup.started !== false && os.children.length > 0) os.child.start();
  return { proc, os, deps, signals, scheduler, events };
}

/** Runs virtual time to the end and returns the report. */
async function terminated(
  setup: ReturnType<typeof handle>,
  shutdown = GracefulShutdown.sigterm(1000),
): Promise<TerminationReport> {
  const result = setup.proc.terminate(shutdown);
  setup.scheduler.flush();
  return result;
}

describe('ProcessHandle over a fake platform (virtual time)', () => {
  it('escalates SIGTERM → SIGKILL, resuming stopped members with SIGCONT after the graceful signal', async () => {
    const setup = handle();
    setup.os.diesOn('SIGKILL');
    const report = await terminated(setup);
    expect(setup.os.groupSignals()).to.deep.equal(['SIGTERM', 'SIGCONT', 'SIGKILL']);
    expect(report).to.include({ endedBy: 'SIGKILL', forced: true });
    expect(report.signalsSent).to.deep.equal(['SIGTERM', 'SIGKILL']);
  });

  it("names the holdouts on the handle's timeout event and on the attempt", async () => {
    const setup = handle();
    const holdouts = [{ pid: 4300, command: 'worker', state: 'sleeping', disposition: 'ignored' }] as const;
    setup.os.holdouts = holdouts;
    setup.os.diesOn('SIGKILL');
    const report = await terminated(setup);
    const timeout = setup.events.find((event) => event.type === 'timeout');
    expect(timeout).to.deep.equal({
      type: 'timeout',
      signal: 'SIGTERM',
      timeoutMs: 1000,
      holdouts,
      at: 1000,
    });
    expect(report.attempts).to.deep.equal([
      { kind: 'timedOut', phase: 1, signal: 'SIGTERM', timeoutMs: 1000, holdouts },
    ]);
  });

  it('takes a failed send that raced the exit (ESRCH) as the end within the grace, without SIGKILL', async () => {
    const setup = handle();
    setup.os.sendOutcomes.set('SIGTERM', ESRCH);
    setup.scheduler.schedule(() => {
      setup.os.groupAlive = false;
      setup.os.child.exit(0);
    }, 50);
    const report = await terminated(setup);
    expect(setup.os.groupSignals()).to.deep.equal(['SIGTERM']);
    expect(report).to.include({ endedBy: 'SIGTERM', forced: false });
    expect(report.attempts).to.deep.include({
      kind: 'sendFailed',
      phase: 1,
      signal: 'SIGTERM',
      code: 'ESRCH',
      error: ESRCH.error,
    });
  });

  it('labels escapees outside the group, kills them one by one and reports them', async () => {
    const setup = handle();
    const escapee = setup.os.addEscapee(5000);
    setup.os.diesOn('SIGTERM');
    const report = await terminated(setup);
    expect(report.snapshot.map(({ pid, inGroup }) => ({ pid, inGroup }))).to.deep.equal([
      { pid: 5000, inGroup: false },
      { pid: CHILD_PID, inGroup: true },
    ]);
    expect(report.survivorsKilled).to.deep.equal([escapee]);
    expect(setup.os.platform.signalProcess.calledOnceWithExactly(5000, 'SIGKILL')).to.equal(true);
  });

  it('is disarmed after a successful termination, and parent exit then kills nothing', async () => {
    const setup = handle();
    expect(setup.proc.isArmed).to.equal(true);
    setup.os.diesOn('SIGTERM');
    await terminated(setup);
    expect(setup.proc.isArmed).to.equal(false);
    expect(setup.deps.cleanup.size).to.equal(0);
    setup.signals.handlers?.onExit();
    expect(setup.os.platform.killTreeSync.called).to.equal(false);
  });

  it('after a run that left a survivor, parent exit kills the survivor but never the group number again', async () => {
    const setup = handle();
    const escapee = setup.os.addEscapee(5000);
    setup.os.diesOn('SIGTERM');
    await terminated(setup, GracefulShutdown.sigterm(1000, { survivors: 'report', verifyTimeoutMs: 100 }));
    expect(setup.proc.isArmed).to.equal(true);
    setup.signals.handlers?.onExit();
    expect(setup.os.platform.killTreeSync.calledOnceWithExactly(null, [escapee])).to.equal(true);
  });

  it('resumes reading output a slow reliable consumer held back, before the first signal', async () => {
    const setup = handle({ stdout: { bufferDepth: 1 } });
    const pipe = setup.os.child.stdout!;
    const iterator = setup.proc.stdout.chunks({ delivery: 'reliable' });
    void iterator.next(); // a consumer that pulled once and then fell behind
    for (const text of ['a', 'b', 'c', 'd']) pipe.write(text);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pipe.isPaused(), 'held back by the consumer').to.equal(true);
    setup.os.diesOn('SIGTERM');
    const result = setup.proc.terminate(GracefulShutdown.sigterm(1000));
    expect(pipe.isPaused(), 'flowing again when termination starts').to.equal(false);
    setup.scheduler.flush();
    await result;
    await iterator.return();
  });

  it('forwards a stop signal the application handles to the group, once, as a parentSignal', () => {
    const setup = handle();
    setup.signals.handlers?.onSignal('SIGINT', true);
    expect(setup.os.groupSignals()).to.deep.equal(['SIGINT']);
    expect(setup.events.filter((event) => event.type === 'signalSent')).to.deep.equal([
      { type: 'signalSent', signal: 'SIGINT', pgid: CHILD_PID, cause: 'parentSignal', at: 0 },
    ]);
  });

  it('never arms a child detached before its spawn', () => {
    const setup = handle({}, { started: false });
    setup.proc.detach();
    setup.os.child.start();
    expect(setup.proc.isArmed).to.equal(false);
    expect(setup.deps.cleanup.size).to.equal(0);
  });

  describe('input is an INVALID_OPTION spawn error, never a throw', () => {
    const cases: { title: string; options?: unknown; args?: unknown }[] = [
      { title: 'a string as args', args: 'hello' },
      { title: 'null options', options: null },
      { title: 'a string as options', options: 'pipe' },
      { title: 'a scheduler that is not one', options: { scheduler: {} } },
      { title: 'nameIncludes with a non-boolean', options: { nameIncludes: { args: 'yes' } } },
    ];
    for (const { title, options, args } of cases) {
      it(title, async () => {
        const { deps, os } = fakeDeps();
        const proc = ProcessHandle.attach(startChild('echo', args ?? [], options, deps), deps);
        expect(proc.state).to.equal('failed');
        const error = (await proc.wait().catch((e: unknown) => e)) as SpawnError;
        expect(error.code).to.equal('INVALID_OPTION');
        expect(os.platform.spawnChild.called).to.equal(false);
      });
    }
  });
});
