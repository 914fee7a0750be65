import { expect } from 'chai';
import { PassThrough, Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { firstValueFrom, from, Subject } from 'rxjs';
import { writeTo } from '../../../src/operators/write-to.js';
import { SinkOverflowError, SinkWriteError } from '../../../src/core/sink-errors.js';
import { attached } from '../../support/output-streams.js';

/** A sink that completes each write only when the test says so. */
class SlowSink extends Writable {
  readonly received: Buffer[] = [];
  private readonly waiting: (() => void)[] = [];

  constructor() {
    super({ highWaterMark: 4 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.waiting.push(() => {
      this.received.push(chunk);
      callback();
    });
  }

  /** Completes every write queued so far. */
  release(): number {
    const n = this.waiting.length;
    for (const done of this.waiting.splice(0)) done();
    return n;
  }
}

class FailingSink extends Writable {
  constructor(private failAfter: number) {
    super();
  }

  override _write(_chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.failAfter-- <= 0) setImmediate(() => callback(new Error('EPIPE')));
    else callback();
  }
}

describe('writeTo (operator)', () => {
  it('writes every chunk and reports once the sink has flushed', async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        chunks.push(chunk);
        setImmediate(cb);
      },
    });
    const result = await firstValueFrom(from(['ab', Buffer.from('cd')]).pipe(writeTo(sink)));
    expect(result).to.deep.equal({ bytesWritten: 4, chunksWritten: 2 });
    expect(Buffer.concat(chunks).toString()).to.equal('abcd');
    expect(sink.writableEnded).to.equal(false);
    expect(sink.listenerCount('error')).to.equal(0);
  });

  it('ends the sink when asked', async () => {
    const sink = new PassThrough();
    sink.resume();
    await firstValueFrom(from(['x']).pipe(writeTo(sink, { end: true })));
    expect(sink.writableFinished).to.equal(true);
  });

  it('fails with SinkOverflowError when a slow sink buffers more than allowed', async () => {
    const sink = new SlowSink();
    const source = new Subject<Buffer>();
    const result = firstValueFrom(source.pipe(writeTo(sink, { maxBufferedBytes: 10 })));
    for (let i = 0; i < 5; i++) source.next(Buffer.alloc(4));
    let caught: unknown;
    await result.catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(SinkOverflowError);
    expect(source.observed).to.equal(false);
    sink.release();
  });

  it('rejects with SinkWriteError carrying the cause; the sink error is never unhandled', async () => {
    const sink = new FailingSink(1);
    const source = new Subject<string>();
    const result = firstValueFrom(source.pipe(writeTo(sink)));
    source.next('a');
    source.next('b');
    source.next('c');
    let caught: unknown;
    await result.catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(SinkWriteError);
    expect((caught as SinkWriteError).cause).to.have.property('message', 'EPIPE');
    await tick();
    expect(sink.listenerCount('error')).to.be.greaterThan(0);
  });
});

describe('OutputStream.writeTo', () => {
  it('holds the child back through reliable backpressure while the sink is slow, losing nothing', async () => {
    const source = new PassThrough();
    const { out } = attached(source, { replay: 'none', bufferDepth: 2, chunkSize: 4 });
    const sink = new SlowSink();
    const done = out.writeTo(sink);
    let expected = '';
    for (let i = 0; i < 20; i++) {
      const piece = `c${String(i).padStart(2, '0')};`;
      expected += piece;
      source.write(piece);
    }
    source.end();
    await tick();
    expect(source.isPaused()).to.equal(true);
    let closed = false;
    void out.closed.then(() => (closed = true));
    while (!closed || sink.received.length * 4 < expected.length) {
      sink.release();
      await tick();
    }
    const result = await done;
    expect(Buffer.concat(sink.received).toString()).to.equal(expected);
    expect(result).to.deep.equal({ bytesWritten: expected.length, chunksWritten: 20 });
    expect(out.stats.droppedBytes).to.equal(0);
  });

  it('rejects with SinkWriteError when the sink fails, and detaches so the source flows again', async () => {
    const source = new PassThrough();
    const { out } = attached(source, { replay: 'none', bufferDepth: 1 });
    const sink = new FailingSink(0);
    const done = out.writeTo(sink);
    source.write('a');
    source.write('b');
    let caught: unknown;
    await done.catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(SinkWriteError);
    expect(source.isPaused()).to.equal(false);
    source.end('tail');
    await out.closed;
  });

  it('rejects with the read error when the output fails', async () => {
    const source = new PassThrough();
    const { out } = attached(source);
    const sink = new PassThrough();
    sink.resume();
    const baseline = sink.listenerCount('error');
    const done = out.writeTo(sink);
    const boom = new Error('EIO');
    source.destroy(boom);
    let caught: unknown;
    await done.catch((e: unknown) => (caught = e));
    expect(caught).to.equal(boom);
    expect(sink.listenerCount('error')).to.equal(baseline);
  });
});
