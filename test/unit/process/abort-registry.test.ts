import { expect } from 'chai';
import sinon from 'sinon';
import { whenAborted } from '../../../src/process/abort-registry.js';

describe('whenAborted', () => {
  it('adds one abort listener per signal, however many callbacks, and calls each once', () => {
    const controller = new AbortController();
    const add = sinon.spy(controller.signal, 'addEventListener');
    const callback = sinon.spy();
    const removals = [whenAborted(controller.signal, callback), whenAborted(controller.signal, callback)];
    const other = sinon.spy();
    whenAborted(controller.signal, other);
    removals[0]!();
    controller.abort();
    controller.abort();
    expect(add.callCount).to.equal(1);
    expect(callback.callCount, 'the same function registered twice is two entries').to.equal(1);
    expect(other.calledOnce).to.equal(true);
    removals[1]!(); // after the abort: a no-op
  });

  it('removes the listener with the last callback, and adds a new one for a later registration', () => {
    const controller = new AbortController();
    const add = sinon.spy(controller.signal, 'addEventListener');
    const remove = sinon.spy(controller.signal, 'removeEventListener');
    const first = whenAborted(controller.signal, () => undefined);
    const second = whenAborted(controller.signal, () => undefined);
    first();
    first();
    expect(remove.called).to.equal(false);
    second();
    expect(remove.calledOnce).to.equal(true);
    const late = sinon.spy();
    whenAborted(controller.signal, late);
    controller.abort();
    expect(add.callCount).to.equal(2);
    expect(late.calledOnce).to.equal(true);
  });
});
