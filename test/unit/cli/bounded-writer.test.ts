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

/** The writer over a fake sink, with the producers' pause recorded. */
function setup(pauseAtBytes: number, dropAtBytes: number) {
  const sink = new FakeSink();
  const pauses = { held: 0, total: 0 };
  const writer = boundedWriter(sink, {
    pauseAtBytes,
    dropAtBytes,
    pause: () => {
      pauses.held += 1;
      pauses.total += 1;
      return () => (pauses.held -= 1);
    },
    droppedLine: (n) => `[${n} dropped]\n`,
  });
  return { sink, writer, pauses };
}

describe('boundedWriter (the runner stdout)', () => {
  it('pauses the producers past the first bound until the sink drains, and writes everything', () => {
    const { sink, writer, pauses } = setup(5, 100);
    writer.write('abc\n');
    expect(pauses.held).to.equal(0);
    writer.write('defgh\n');
    expect(pauses.held).to.equal(1);
    writer.write('what was already read\n');
    expect(pauses.total).to.equal(1); // one pause at a time
    sink.drain();
    expect(pauses.held).to.equal(0);
    expect(sink.written).to.deep.equal(['abc\n', 'defgh\n', 'what was already read\n']);
    expect(writer.dropped).to.equal(0);
  });

  it('past the second bound drops and counts whole lines, then says how many before the next line', () => {
    const { sink, writer } = setup(1, 10);
    writer.write('0123456789ab\n');
    writer.write('x\ny\n');
    writer.write('z\n');
    expect(writer.dropped).to.equal(3);
    sink.writableLength = 5; // partly drained: under the bound again
    writer.write('next\n');
    expect(sink.written).to.deep.equal(['0123456789ab\n', '[3 dropped]\n', 'next\n']);
  });

  it('flushed() reports a pending count and waits for the sink to drain', async () => {
    const { sink, writer } = setup(1, 1);
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
    const { sink, writer } = setup(100, 100);
    sink.destroyed = true;
    writer.write('a\n');
    expect(sink.written).to.deep.equal([]);
    await writer.flushed();
  });
});
