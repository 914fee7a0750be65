import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import sinon from 'sinon';
import { type ArmedChild, ParentExitCleanup } from '../../../src/process/parent-exit.js';
import { processParentSignals } from '../../../src/platform/parent-signals.js';
import type { ParentSignalPolicy } from '../../../src/process/parent-signal-policy.js';

function fakeProcess(): NodeJS.Process & { kill: sinon.SinonStub } {
  const emitter = new EventEmitter() as unknown as NodeJS.Process & { kill: sinon.SinonStub };
  Object.assign(emitter, { pid: 4242, kill: sinon.stub() });
  return emitter;
}

type FakeArmed = ArmedChild & {
  forwardSignal: sinon.SinonSpy;
  killNowSync: sinon.SinonSpy;
  terminateForParent: sinon.SinonSpy<[], Promise<void>>;
  /** Ends the graceful shutdown that `terminateForParent` started. */
  finish: () => void;
};

function fakeChild(parentSignals: ParentSignalPolicy = 'kill'): FakeArmed {
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    parentSignals,
    forwardSignal: sinon.spy(),
    killNowSync: sinon.spy(),
    terminateForParent: sinon.spy(() => done),
    finish: () => finish(),
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ParentExitCleanup', () => {
  it('installs one set of listeners for many children and removes them after the last', async () => {
    const target = fakeProcess();
    const cleanup = new ParentExitCleanup(processParentSignals(target));
    const children = Array.from({ length: 20 }, () => fakeChild());
    for (const child of children) cleanup.arm(child);
    expect(target.listenerCount('exit')).to.equal(1);
    expect(target.listenerCount('SIGINT')).to.equal(1);
    expect(target.listenerCount('SIGTERM')).to.equal(1);
    expect(target.listenerCount('SIGHUP')).to.equal(1);
    for (const child of children) cleanup.disarm(child);
    await new Promise((resolve) => setImmediate(resolve));
    for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP'])
      expect(target.listenerCount(event)).to.equal(0);
  });

  it('keeps its listeners across children started one after another in the same turn', async () => {
    const target = fakeProcess();
    const cleanup = new ParentExitCleanup(processParentSignals(target));
    const on = sinon.spy(target, 'on');
    for (let i = 0; i < 5; i += 1) {
      const child = fakeChild();
      cleanup.arm(child);
      cleanup.disarm(child);
    }
    expect(on.callCount, 'installed once: exit and three signals').to.equal(4);
    await new Promise((resolve) => setImmediate(resolve));
    expect(target.listenerCount('exit')).to.equal(0);
  });

  it('kills every armed child synchronously on exit', () => {
    const target = fakeProcess();
    const cleanup = new ParentExitCleanup(processParentSignals(target));
    const [a, b, c] = [fakeChild(), fakeChild(), fakeChild()];
    cleanup.arm(a);
    cleanup.arm(b);
    cleanup.arm(c);
    cleanup.disarm(b);
    target.emit('exit', 0);
    expect(a.killNowSync.calledOnce).to.equal(true);
    expect(b.killNowSync.called).to.equal(false);
    expect(c.killNowSync.calledOnce).to.equal(true);
  });

  it('when it is the only listener: kills the children, removes itself and re-raises the signal', () => {
    const target = fakeProcess();
    const cleanup = new ParentExitCleanup(processParentSignals(target));
    const child = fakeChild();
    cleanup.arm(child);
    target.emit('SIGTERM');
    expect(child.killNowSync.calledOnce).to.equal(true);
    expect(child.forwardSignal.called).to.equal(false);
    expect(target.listenerCount('SIGTERM')).to.equal(0);
    expect(target.kill.calledOnceWithExactly(4242, 'SIGTERM')).to.equal(true);
  });

  it('when the application listens too: forwards the signal and leaves the decision to the application', () => {
    const target = fakeProcess();
    const cleanup = new ParentExitCleanup(processParentSignals(target));
    const appListener = sinon.spy();
    target.on('SIGINT', appListener);
    const child = fakeChild('auto');
    cleanup.arm(child);
    target.emit('SIGINT');
    expect(appListener.calledOnce).to.equal(true);
    expect(child.forwardSignal.calledOnceWithExactly('SIGINT')).to.equal(true);
    expect(child.killNowSync.called).to.equal(false);
    expect(target.kill.called).to.equal(false);
    expect(target.listenerCount('SIGINT')).to.equal(2);
  });

  describe('parent signal policies', () => {
    it("'auto' without an application listener drains every child in parallel, then re-raises", async () => {
      const target = fakeProcess();
      const cleanup = new ParentExitCleanup(processParentSignals(target));
      const [a, b] = [fakeChild('auto'), fakeChild('auto')];
      cleanup.arm(a);
      cleanup.arm(b);
      target.emit('SIGINT');
      expect(a.terminateForParent.calledOnce && b.terminateForParent.calledOnce).to.equal(true);
      expect(a.forwardSignal.called || a.killNowSync.called).to.equal(false);
      // The children end and disarm themselves; the listeners stay so that a second signal is still caught.
      cleanup.disarm(a);
      cleanup.disarm(b);
      a.finish();
      await turn();
      expect(target.kill.called, 'not before every child is done').to.equal(false);
      expect(target.listenerCount('SIGINT')).to.equal(1);
      b.finish();
      await turn();
      expect(target.kill.calledOnceWithExactly(4242, 'SIGINT')).to.equal(true);
      expect(target.listenerCount('SIGINT')).to.equal(0);
      expect(a.killNowSync.called || b.killNowSync.called).to.equal(false);
    });

    it('a second signal while children drain kills them all at once and re-raises it', async () => {
      const target = fakeProcess();
      const cleanup = new ParentExitCleanup(processParentSignals(target));
      const [a, b] = [fakeChild('auto'), fakeChild('terminate')];
      cleanup.arm(a);
      cleanup.arm(b);
      target.emit('SIGINT');
      target.emit('SIGINT');
      expect(a.killNowSync.calledOnce && b.killNowSync.calledOnce).to.equal(true);
      expect(a.terminateForParent.calledOnce, 'not started again').to.equal(true);
      expect(target.kill.calledOnceWithExactly(4242, 'SIGINT')).to.equal(true);
      a.finish();
      b.finish();
      await turn();
      expect(target.kill.calledOnce, 'the late end of the drain raises nothing').to.equal(true);
    });

    it("'auto' with an application listener forwards once and leaves the parent alone", () => {
      const target = fakeProcess();
      target.on('SIGTERM', () => undefined);
      const cleanup = new ParentExitCleanup(processParentSignals(target));
      const child = fakeChild('auto');
      cleanup.arm(child);
      target.emit('SIGTERM');
      expect(child.forwardSignal.calledOnceWithExactly('SIGTERM')).to.equal(true);
      expect(child.terminateForParent.called || child.killNowSync.called).to.equal(false);
      expect(target.kill.called).to.equal(false);
    });

    it('applies each child its own policy; an application listener still decides the end', async () => {
      const target = fakeProcess();
      target.on('SIGHUP', () => undefined);
      const cleanup = new ParentExitCleanup(processParentSignals(target));
      const forward = fakeChild('forward');
      const stop = fakeChild('terminate');
      const kill = fakeChild('kill');
      for (const child of [forward, stop, kill]) cleanup.arm(child);
      target.emit('SIGHUP');
      expect(forward.forwardSignal.calledOnceWithExactly('SIGHUP')).to.equal(true);
      expect(stop.terminateForParent.calledOnce).to.equal(true);
      expect(kill.killNowSync.calledOnce).to.equal(true);
      stop.finish();
      await turn();
      expect(target.kill.called).to.equal(false);
      expect(forward.killNowSync.called).to.equal(false);
    });

    it("'forward' without an application listener forwards, then the parent ends and cleanup kills the rest", () => {
      const target = fakeProcess();
      const cleanup = new ParentExitCleanup(processParentSignals(target));
      const child = fakeChild('forward');
      cleanup.arm(child);
      target.emit('SIGINT');
      expect(child.forwardSignal.calledOnceWithExactly('SIGINT')).to.equal(true);
      expect(child.killNowSync.calledOnce).to.equal(true);
      expect(target.kill.calledOnceWithExactly(4242, 'SIGINT')).to.equal(true);
    });
  });
});
