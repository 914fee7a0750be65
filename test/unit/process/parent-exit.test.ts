import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import sinon from 'sinon';
import { type ArmedChild, ParentExitCleanup } from '../../../src/process/parent-exit.js';
import { processParentSignals } from '../../../src/platform/parent-signals.js';

function fakeProcess(): NodeJS.Process & { kill: sinon.SinonStub } {
  const emitter = new EventEmitter() as unknown as NodeJS.Process & { kill: sinon.SinonStub };
  Object.assign(emitter, { pid: 4242, kill: sinon.stub() });
  return emitter;
}

function fakeChild(): ArmedChild & { forwardSignal: sinon.SinonSpy; killNowSync: sinon.SinonSpy } {
  return { forwardSignal: sinon.spy(), killNowSync: sinon.spy() };
}

describe('ParentExitCleanup', () => {
  it('installs one set of listeners for many children and removes them after the last', async () => {
    const target = fakeProcess();
    const cleanup = new ParentExitCleanup(processParentSignals(target));
    const children = Array.from({ length: 20 }, fakeChild);
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
    const child = fakeChild();
    cleanup.arm(child);
    target.emit('SIGINT');
    expect(appListener.calledOnce).to.equal(true);
    expect(child.forwardSignal.calledOnceWithExactly('SIGINT')).to.equal(true);
    expect(child.killNowSync.called).to.equal(false);
    expect(target.kill.called).to.equal(false);
    expect(target.listenerCount('SIGINT')).to.equal(2);
  });
});
