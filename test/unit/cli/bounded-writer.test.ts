import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import { boundedWriter } from '../../../src/cli/bounded-writer.js';

/** A sink whose buffer the test fills and drains by hand. */
class FakeSink extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  readonly written: string[] = [];
  write(text: string): boolean {
    this.written.push(text);
    this.writableLength += text.length;
    return true;
  }
  drain(): void {
    this.writableLength = 0;
    this.emit('drain');
  }
}

describe('boundedWriter (the runner stdout)', () => {
  it('drops and counts whole lines while over the bound, then says how many before the next line', () => {
    const sink = new FakeSink();
    const writer = boundedWriter(sink, 10, (n) => `[${n} dropped]\n`);
    writer.write('0123456789ab\n');
    writer.write('x\ny\n');
    writer.write('z\n');
    expect(writer.dropped).to.equal(3);
    sink.writableLength = 5; // partly drained: under the bound again
    writer.write('next\n');
    expect(sink.written).to.deep.equal(['0123456789ab\n', '[3 dropped]\n', 'next\n']);
  });

  it('flushed() reports a pending count and waits for the sink to drain', async () => {
    const sink = new FakeSink();
    const writer = boundedWriter(sink, 1, (n) => `[${n} dropped]\n`);
    writer.write('aa\n');
    writer.write('bb\n');
    let done = false;
    const flushed = writer.flushed().then(() => (done = true));
    expect(sink.written.at(-1)).to.equal('[1 dropped]\n');
    await Promise.resolve();
    expect(done).to.equal(false);
    sink.drain();
    await flushed;
    expect(done).to.equal(true);
  });

  it('writes nothing to a sink that went away (a closed pipe)', async () => {
    const sink = new FakeSink();
    sink.destroyed = true;
    const writer = boundedWriter(sink, 100, () => '');
    writer.write('a\n');
    expect(sink.written).to.deep.equal([]);
    await writer.flushed();
  });
});
