import { expect } from 'chai';
import sinon from 'sinon';
import { TestScheduler } from 'rxjs/testing';
import {
  GracefulShutdown,
  type ProcessEvent,
  type SpawnOptions,
  type TerminationReport,
} from '../../../src/index.js';
import { ProcessHandle } from '../../../src/process/handle.js';
import { startChild } from '../../../src/process/start-child.js';
import { fakeDeps, FakeOs } from '../../support/fake-platform.js';

/** A started handle over a fake OS, in virtual time. */
function handle(options: SpawnOptions = {}, shared?: ReturnType<typeof fakeDeps>) {
  const scheduler = new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
  scheduler.maxFrames = Number.POSITIVE_INFINITY;
  const setup = shared ?? fakeDeps(new FakeOs());
  const given = { stdout: 'discard', stderr: 'discard', ...options, scheduler } as const;
  const proc = ProcessHandle.attach(startChild('fake', [], given, setup.deps), setup.deps);
  const events: ProcessEvent[] = [];
  proc.events$.subscribe((event) => events.push(event));
  setup.os.child.start();
  return { proc, scheduler, events, ...setup };
}

const turns = async (n = 5): Promise<void> => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('parent signals over a fake platform (virtual time)', () => {
  describe('a forwarded signal counts as the first phase while it is fresh', () => {
    it('is not sent again, and the phase waits only the rest of its timeout', async () => {
      const setup = handle();
      setup.os.diesOn('SIGKILL');
      setup.signals.handlers?.onSignal('SIGINT', true);
      let result: Promise<TerminationReport> | undefined;
      setup.scheduler.schedule(() => {
        result = setup.proc.terminate(GracefulShutdown.sigint(2000));
      }, 500);
      setup.scheduler.flush();
      const report = await result!;
      expect(setup.os.groupSignals()).to.deep.equal(['SIGINT', 'SIGCONT', 'SIGKILL']);
      expect(report.signalsForwarded).to.deep.equal(['SIGINT']);
      expect(report.signalsSent).to.deep.equal(['SIGKILL']);
      const timeout = setup.events.find((event) => event.type === 'timeout');
      expect(timeout?.at, 'the phase ran from the forward at 0, not from 500').to.equal(2000);
      const sent = setup.events.filter((event) => event.type === 'signalSent');
      expect(sent.map((event) => [event.signal, event.cause])).to.deep.equal([
        ['SIGINT', 'parentSignal'],
        ['SIGKILL', 'termination'],
      ]);
    });

    it('is sent again once the forwarded one is older than the phase timeout', async () => {
      const setup = handle();
      setup.signals.handlers?.onSignal('SIGINT', true);
      let result: Promise<TerminationReport> | undefined;
      setup.scheduler.schedule(() => {
        setup.os.diesOn('SIGINT', 0);
        result = setup.proc.terminate(GracefulShutdown.sigint(2000));
      }, 2000);
      setup.scheduler.flush();
      const report = await result!;
      expect(setup.os.groupSignals()).to.deep.equal(['SIGINT', 'SIGINT', 'SIGCONT']);
      expect(report.signalsForwarded).to.deep.equal([]);
    });

    it('does not stand in for a different first signal', async () => {
      const setup = handle();
      setup.os.diesOn('SIGTERM', 0);
      setup.signals.handlers?.onSignal('SIGINT', true);
      const result = setup.proc.terminate(GracefulShutdown.sigterm(1000));
      setup.scheduler.flush();
      expect((await result).signalsSent).to.deep.equal(['SIGTERM']);
    });

    it('an abort right after a forwarded Ctrl-C sends no second SIGINT and says aborted', async () => {
      const controller = new AbortController();
      const setup = handle({ signal: controller.signal, shutdown: GracefulShutdown.sigint(2000) });
      setup.signals.handlers?.onSignal('SIGINT', true);
      setup.os.diesOn('SIGKILL');
      controller.abort();
      setup.scheduler.flush();
      await setup.proc.wait();
      expect(setup.os.groupSignals()).to.deep.equal(['SIGINT', 'SIGCONT', 'SIGKILL']);
      const terminated = setup.events.find((event) => event.type === 'terminated');
      expect(terminated?.type === 'terminated' && terminated.report.reason).to.equal('aborted');
    });
  });

  describe("policy 'auto' without an application handler", () => {
    it('drains the child with its shutdown, then re-raises the signal', async () => {
      const setup = handle();
      setup.os.diesOn('SIGINT', 0);
      setup.signals.handlers?.onSignal('SIGINT', false);
      expect(setup.signals.reraise.called, 'not before the child is done').to.equal(false);
      setup.scheduler.flush();
      await turns();
      expect(setup.os.groupSignals()).to.deep.equal(['SIGINT', 'SIGCONT']);
      expect(setup.signals.reraise.calledOnceWithExactly('SIGINT')).to.equal(true);
      expect(setup.os.platform.killTreeSync.called).to.equal(false);
      const exited = setup.events.find((event) => event.type === 'exited');
      expect(exited).to.deep.include({ code: 0, endedBecause: 'parentSignal' });
    });

    it('kills at once on a second signal while the child drains', async () => {
      const setup = handle();
      setup.signals.handlers?.onSignal('SIGINT', false);
      setup.signals.handlers?.onSignal('SIGINT', false);
      expect(setup.os.platform.killTreeSync.calledOnce).to.equal(true);
      expect(setup.signals.reraise.calledOnceWithExactly('SIGINT')).to.equal(true);
    });
  });

  it("policy 'kill' kills at once and re-raises, as before", () => {
    const setup = handle({ parentSignals: 'kill' });
    setup.signals.handlers?.onSignal('SIGTERM', false);
    expect(setup.os.groupSignals()).to.deep.equal([]);
    expect(setup.os.platform.killTreeSync.calledOnce).to.equal(true);
    expect(setup.signals.reraise.calledOnceWithExactly('SIGTERM')).to.equal(true);
  });

  it("policy 'terminate' runs the shutdown even when the application handles the signal", async () => {
    const setup = handle({ parentSignals: 'terminate', shutdown: GracefulShutdown.sigterm(1000) });
    setup.os.diesOn('SIGTERM', 0);
    setup.signals.handlers?.onSignal('SIGINT', true);
    setup.scheduler.flush();
    await turns();
    expect(setup.os.groupSignals()).to.deep.equal(['SIGTERM', 'SIGCONT']);
    expect(setup.signals.reraise.called).to.equal(false);
  });

  it('rejects an unknown policy as an INVALID_OPTION spawn error', async () => {
    const { deps } = fakeDeps(new FakeOs());
    const proc = ProcessHandle.attach(
      startChild('fake', [], { parentSignals: 'ignore' } as unknown as SpawnOptions, deps),
      deps,
    );
    const error = await proc.wait().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).to.have.property('code', 'INVALID_OPTION');
  });
});

describe('abort, wait, detach over a fake platform', () => {
  it('an abort shows on the exit event, on wait() and in the report', async () => {
    const controller = new AbortController();
    const setup = handle({ signal: controller.signal, shutdown: GracefulShutdown.sigterm(1000) });
    setup.os.diesOn('SIGTERM', 0);
    const waited = setup.proc.wait();
    controller.abort();
    setup.scheduler.flush();
    const outcome = await waited;
    expect(outcome).to.deep.include({ type: 'exited', endedBecause: 'aborted' });
    expect(setup.events.find((event) => event.type === 'exited')).to.deep.include({
      endedBecause: 'aborted',
    });
    const terminated = setup.events.find((event) => event.type === 'terminated');
    expect(terminated?.type === 'terminated' && terminated.report.reason).to.equal('aborted');
  });

  it('a child that ends on its own has no endedBecause', async () => {
    const setup = handle();
    setup.os.child.exit(0);
    const outcome = await setup.proc.wait();
    expect(outcome).to.deep.equal({ type: 'exited', status: { code: 0, signal: null } });
  });

  it('a wait timeout with orTerminate says timedOut', async () => {
    const setup = handle();
    setup.os.diesOn('SIGTERM', 0);
    const waited = setup.proc.wait({ timeoutMs: 100, orTerminate: GracefulShutdown.sigterm(1000) });
    setup.scheduler.flush();
    const outcome = await waited;
    expect(outcome.type === 'terminated' && outcome.report.reason).to.equal('timedOut');
    expect(setup.events.find((event) => event.type === 'exited')).to.deep.include({
      endedBecause: 'timedOut',
    });
  });

  it('20 children sharing one AbortSignal add one listener, removed after the last exit', () => {
    const controller = new AbortController();
    const add = sinon.spy(controller.signal, 'addEventListener');
    const remove = sinon.spy(controller.signal, 'removeEventListener');
    const shared = fakeDeps(new FakeOs());
    const children = Array.from({ length: 20 }, () => handle({ signal: controller.signal }, shared));
    expect(add.callCount).to.equal(1);
    children.forEach((_child, index) => shared.os.children[index]!.exit(0));
    expect(remove.callCount).to.equal(1);
  });

  it('wait() ends a piped stdin first, unless closeStdin: false', async () => {
    const setup = handle({ stdin: 'pipe' });
    const pipe = setup.os.child.stdin!;
    void setup.proc.wait({ timeoutMs: 10, closeStdin: false });
    expect(pipe.writableEnded).to.equal(false);
    void setup.proc.wait();
    expect(pipe.writableEnded).to.equal(true);
    setup.os.child.exit(0);
  });

  it('detach() closes the pipes and unrefs the child; rearm() arms it again, idempotently', () => {
    const setup = handle({ stdin: 'pipe', stdout: 'pipe' });
    const child = setup.os.child;
    setup.proc.detach();
    expect(setup.proc.isArmed).to.equal(false);
    expect(child.unref.calledOnce).to.equal(true);
    expect(child.stdin!.destroyed && child.stdout!.destroyed).to.equal(true);
    setup.proc.rearm();
    setup.proc.rearm();
    expect(setup.proc.isArmed).to.equal(true);
    expect(setup.deps.cleanup.size).to.equal(1);
    setup.signals.handlers?.onExit();
    expect(setup.os.platform.killTreeSync.calledOnce).to.equal(true);
  });
});
