import { expect } from 'chai';
import { PassThrough, Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { InvalidOptionError } from '../../../src/core/errors.js';
import { createOutputStream } from '../../../src/streams/output-control.js';
import { OutputPrematureCloseError, OutputStreamStateError } from '../../../src/streams/errors.js';
import type { OutputGap } from '../../../src/streams/pull-queue.js';
import type { OutputIterator } from '../../../src/streams/pull-iterators.js';
import { attached } from '../../support/output-streams.js';

function record<T>(source: { subscribe(o: object): { unsubscribe(): void } }): {
  values: T[];
  done: { completed: boolean; error: unknown };
  unsubscribe(): void;
} {
  const values: T[] = [];
  const done = { completed: false, error: undefined as unknown };
  const sub = source.subscribe({
    next: (v: T) => values.push(v),
    error: (e: unknown) => (done.error = e),
    complete: () => (done.completed = true),
  });
  return { values, done, unsubscribe: () => sub.unsubscribe() };
}

function text(chunks: readonly Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8');
}

describe('OutputStream', () => {
  describe('options', () => {
    it('applies bounded defaults', () => {
      const o = createOutputStream(undefined, {}).stream.options;
      expect(o).to.deep.equal({
        mode: 'pipe',
        replay: { kind: 'bytes', maxBytes: 65536 },
        maxLineLength: 16384,
        lineOverflow: 'truncate',
        delivery: 'reliable',
        bufferDepth: 128,
        chunkSize: 16384,
      });
    });

    for (const [label, options, path] of [
      ['zero chunk size', { chunkSize: 0 }, 'stdout.chunkSize'],
      ['fractional depth', { bufferDepth: 1.5 }, 'stdout.bufferDepth'],
      ['zero line length', { maxLineLength: 0 }, 'stdout.maxLineLength'],
      ['unknown overflow', { lineOverflow: 'wrap' }, 'stdout.lineOverflow'],
      ['unknown delivery', { delivery: 'best' }, 'stdout.delivery'],
      ['unknown mode', { mode: 'pty' }, 'stdout.mode'],
      ['zero replay bytes', { replay: { lastBytes: 0 } }, 'stdout.replay.lastBytes'],
      ['negative replay lines', { replay: { lastLines: -1 } }, 'stdout.replay.lastLines'],
      ['odd replay', { replay: 'some' }, 'stdout.replay'],
      ['mixed replay', { replay: { lastBytes: 1, lastLines: 1 } }, 'stdout.replay'],
    ] as const) {
      it(`rejects ${label} with a typed error naming the option`, () => {
        const make = (): unknown => createOutputStream(options as never, { name: 'stdout' });
        expect(make).to.throw(InvalidOptionError).with.property('option', path);
      });
    }
  });

  describe('push views', () => {
    it('drains the readable with no subscriber at all', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'none' });
      for (let i = 0; i < 100; i++) source.write(Buffer.alloc(16 * 1024));
      await tick();
      expect(source.readableFlowing).to.equal(true);
      expect(source.readableLength).to.equal(0);
      expect(out.stats.bytesRead).to.equal(100 * 16 * 1024);
    });

    it('re-splits chunks larger than chunkSize', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { chunkSize: 4 });
      const seen = record<Buffer>(out.chunks$);
      source.end('0123456789');
      await out.closed;
      expect(seen.values.map((c) => c.toString())).to.deep.equal(['0123', '4567', '89']);
      expect(seen.done.completed).to.equal(true);
    });

    it('gives a late subscriber the replay then live data, with no gap and no duplicate', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'all' });
      const early = record<Buffer>(out.chunks$);
      source.write('a');
      source.write('b');
      await tick();
      const late = record<Buffer>(out.chunks$);
      const lateLines = record<string>(out.lines$);
      source.write('c\nd');
      source.end('e\n');
      await out.closed;
      expect(text(early.values)).to.equal('abc\nde\n');
      expect(text(late.values)).to.equal('abc\nde\n');
      expect(lateLines.values).to.deep.equal(['abc', 'de']);
    });

    it('parses lines once for all lines$ subscribers and replays complete lines to a late one', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'all' });
      const first = record<string>(out.lines$);
      source.write('one\ntw');
      await tick();
      const second = record<string>(out.lines$);
      source.end('o\nthree');
      await out.closed;
      expect(first.values).to.deep.equal(['one', 'two', 'three']);
      expect(second.values).to.deep.equal(['one', 'two', 'three']);
      expect(out.stats.linesEmitted).to.equal(3);
    });

    it('without replay a late lines$ subscriber resynchronises at the next newline', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'none' });
      source.write('first\nsecond-par');
      await tick();
      const late = record<string>(out.lines$);
      source.end('t\nthird\n');
      await out.closed;
      expect(late.values).to.deep.equal(['third']);
    });

    it('lastBytes keeps exactly the newest bytes; a cut line is not replayed as a fragment', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: { lastBytes: 8 } });
      source.write('aaaa\nbbbb\ncc');
      await tick();
      const snapshot = record<Buffer>(out.chunks$);
      snapshot.unsubscribe();
      expect(text(snapshot.values)).to.equal('\nbbbb\ncc');
      source.write('cc\n');
      await tick();
      const late = record<string>(out.lines$);
      source.end();
      await out.closed;
      expect(late.values).to.deep.equal(['cccc']);
    });

    it('lastLines replays the last N lines and the pending partial one, on both views', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: { lastLines: 2 } });
      source.write('l1\nl2\nl3\nl4\npar');
      await tick();
      const chunks = record<Buffer>(out.chunks$);
      const lines = record<string>(out.lines$);
      source.end('tial\n');
      await out.closed;
      expect(text(chunks.values)).to.equal('l3\nl4\npartial\n');
      expect(lines.values).to.deep.equal(['l3', 'l4', 'partial']);
    });

    it('lastLines also obeys its byte cap', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: { lastLines: 100, maxBytes: 5 } });
      source.end('abc\ndefghij\nkl');
      await out.closed;
      const late = record<string>(out.lines$);
      expect(late.values).to.deep.equal(['kl']);
    });

    it('sealReplay drops the retained output and stops retaining', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'all' });
      const early = record<string>(out.lines$);
      source.write('boot\n');
      await tick();
      out.sealReplay();
      out.sealReplay();
      const afterSeal = record<Buffer>(out.chunks$);
      afterSeal.unsubscribe();
      expect(afterSeal.values).to.deep.equal([]);
      source.write('live\n');
      await tick();
      const late = record<string>(out.lines$);
      const lateChunks = record<Buffer>(out.chunks$);
      source.end('more\n');
      await out.closed;
      expect(early.values).to.deep.equal(['boot', 'live', 'more']);
      expect(late.values).to.deep.equal(['more']);
      expect(text(lateChunks.values)).to.equal('more\n');
    });

    it('after the end, a subscriber gets the replay then completion', async () => {
      const { out } = attached(Readable.from([Buffer.from('x\ny')]));
      const closed = await out.closed;
      expect(closed).to.include({ type: 'ended', forced: false });
      expect(closed.stats.bytesRead).to.equal(3);
      const lines = record<string>(out.lines$);
      expect(lines.values).to.deep.equal(['x', 'y']);
      expect(lines.done.completed).to.equal(true);
      expect(await out.collectLines()).to.deep.include({ lines: ['x', 'y'], truncated: false });
    });

    it('completes on empty output', async () => {
      const { out } = attached(Readable.from([]));
      const lines = record<string>(out.lines$);
      await out.closed;
      expect(lines.values).to.deep.equal([]);
      expect(lines.done.completed).to.equal(true);
    });

    it('on a read error, subscribers get the replay then the error, and closed reports it', async () => {
      const source = new PassThrough();
      const { out } = attached(source);
      const live = record<string>(out.lines$);
      source.write('ok\npartial');
      await tick();
      const boom = new Error('EIO');
      source.destroy(boom);
      const closed = await out.closed;
      expect(closed).to.deep.include({ type: 'errored', error: boom });
      expect(live.values).to.deep.equal(['ok']);
      expect(live.done.error).to.equal(boom);
      const late = record<Buffer>(out.chunks$);
      expect(text(late.values)).to.equal('ok\npartial');
      expect(late.done.error).to.equal(boom);
      await expectRejection(out.collectLines(), boom);
    });

    it('reports a readable destroyed without error as a premature close', async () => {
      const source = new PassThrough();
      const { out } = attached(source);
      source.destroy();
      const closed = await out.closed;
      expect(closed.type).to.equal('errored');
      expect(closed.type === 'errored' && closed.error).to.be.instanceOf(OutputPrematureCloseError);
    });

    it('closed$ emits once, also to late subscribers', async () => {
      const { out } = attached(Readable.from(['a']));
      await out.closed;
      const seen = record<unknown>(out.closed$);
      expect(seen.values).to.have.length(1);
      expect(seen.done.completed).to.equal(true);
    });
  });

  describe('mode', () => {
    for (const mode of ['discard', 'inherit'] as const) {
      it(`'${mode}' is an empty stream that has already ended and cannot be attached`, async () => {
        const { stream: out, control } = createOutputStream({ mode }, {});
        expect(record(out.closed$).done.completed).to.equal(true);
        expect(await out.closed).to.include({ type: 'ended', forced: false });
        const lines = record<string>(out.lines$);
        expect(lines.values).to.deep.equal([]);
        expect(lines.done.completed).to.equal(true);
        expect(await out.lines().next()).to.deep.equal({ done: true, value: undefined });
        expect(() => control.attach(new PassThrough())).to.throw(OutputStreamStateError);
      });
    }

    it('refuses a second attach', () => {
      const { control } = attached(new PassThrough());
      expect(() => control.attach(new PassThrough())).to.throw(OutputStreamStateError);
      control.forceClose('test over');
    });
  });

  describe('forceClose', () => {
    it('destroys the readable, flushes the partial line, completes every view and reports forced', async () => {
      const source = new PassThrough();
      const { out, control } = attached(source);
      const lines = record<string>(out.lines$);
      const chunks = record<Buffer>(out.chunks$);
      const pull = out.lines();
      source.write('a\nb');
      await tick();
      control.forceClose('eof timeout');
      control.forceClose('again');
      const closed = await out.closed;
      expect(closed).to.include({ type: 'forced', forced: true, reason: 'eof timeout' });
      expect(source.destroyed).to.equal(true);
      expect(lines.values).to.deep.equal(['a', 'b']);
      expect(lines.done.completed).to.equal(true);
      expect(chunks.done.completed).to.equal(true);
      const pulled: string[] = [];
      for await (const line of pull) pulled.push(line);
      expect(pulled).to.deep.equal(['a', 'b']);
      // A later error on the destroyed pipe is absorbed, never an uncaught exception.
      source.emit('error', new Error('late'));
    });
  });

  describe('pull views', () => {
    it('yields the replay then live chunks, and return() on break detaches', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'all' });
      source.write('a');
      await tick();
      const received: string[] = [];
      const reading = (async () => {
        for await (const chunk of out.chunks()) {
          received.push(chunk.toString());
          if (received.length === 3) break;
        }
      })();
      source.write('b');
      await tick();
      source.write('c');
      await reading;
      expect(received).to.deep.equal(['a', 'b', 'c']);
      source.end('d');
      await out.closed;
    });

    it('reliable: pauses the readable while a consumer is bufferDepth behind, resumes when it drains', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'none', bufferDepth: 2 });
      const it = out.chunks();
      const first = it.next(); // backpressure starts with the first pull
      source.write('0');
      await tick();
      expect((await first).value?.toString()).to.equal('0');
      source.write('1');
      await tick();
      expect(source.isPaused()).to.equal(false);
      source.write('2');
      await tick();
      expect(source.isPaused()).to.equal(true);
      for (let i = 3; i <= 6; i++) source.write(String(i));
      await tick();
      expect(source.readableLength).to.be.greaterThan(0);
      expect((await it.next()).value?.toString()).to.equal('1');
      expect(source.isPaused()).to.equal(false);
      const rest: string[] = [];
      source.end();
      for await (const chunk of it) rest.push(chunk.toString());
      expect(rest.join('')).to.equal('23456');
      expect(it.dropped).to.deep.equal({ chunks: 0, bytes: 0 });
    });

    it('reliable: a consumer that leaves releases the pause', async () => {
      const source = new PassThrough();
      const { out, control } = attached(source, { replay: 'none', bufferDepth: 1 });
      const it = out.chunks();
      const first = it.next();
      source.write('w');
      await first;
      source.write('x');
      await tick();
      expect(source.isPaused()).to.equal(true);
      await it.return();
      expect(source.isPaused()).to.equal(false);
      control.forceClose('test over');
    });

    it('releaseBackpressure resumes the source and makes reliable consumers lossy', async () => {
      const source = new PassThrough();
      const { out, control } = attached(source, { replay: 'none', bufferDepth: 1 });
      const it = out.chunks({ gaps: 'marker' });
      const first = it.next();
      source.write('w');
      await first;
      source.write('x');
      await tick();
      expect(source.isPaused()).to.equal(true);
      control.releaseBackpressure();
      expect(source.isPaused()).to.equal(false);
      source.write('y');
      await tick();
      source.end();
      const items: (string | OutputGap)[] = [];
      for await (const item of it) items.push(Buffer.isBuffer(item) ? item.toString() : item);
      expect(items).to.deep.equal(['x', { type: 'gap', droppedChunks: 1, droppedBytes: 1 }]);
      expect(out.stats).to.include({ droppedChunks: 1, droppedBytes: 1 });
    });

    it('reliable, never pulled: never pauses; keeps bufferDepth chunks, then drops the newest and marks the gap', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'none', bufferDepth: 2 });
      const it = out.chunks({ gaps: 'marker' });
      for (const c of ['a', 'b', 'c', 'd']) {
        source.write(c);
        await tick();
      }
      expect(source.isPaused()).to.equal(false);
      expect(it.dropped).to.deep.equal({ chunks: 2, bytes: 2 });
      source.end();
      const items: (string | OutputGap)[] = [];
      for await (const item of it) items.push(Buffer.isBuffer(item) ? item.toString() : item);
      expect(items).to.deep.equal(['a', 'b', { type: 'gap', droppedChunks: 2, droppedBytes: 2 }]);
    });

    it('reliable: the first pull of a full queue starts holding the source back', async () => {
      const source = new PassThrough();
      const { out, control } = attached(source, { replay: 'none', bufferDepth: 2 });
      const it = out.chunks();
      for (const c of ['a', 'b', 'c']) {
        source.write(c);
        await tick();
      }
      expect(source.isPaused()).to.equal(false);
      expect((await it.next()).value?.toString()).to.equal('a');
      source.write('d');
      await tick();
      expect(source.isPaused()).to.equal(true);
      control.forceClose('test over');
    });

    it('lossy: never pauses, drops the newest chunks and reports a gap where they were', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'none', bufferDepth: 2, delivery: 'lossy' });
      const it = out.chunks({ gaps: 'marker' });
      for (const c of ['a', 'b', 'c', 'd']) source.write(c);
      await tick();
      expect(source.isPaused()).to.equal(false);
      expect((await it.next()).value).to.satisfy((b: unknown) => Buffer.isBuffer(b) && b.toString() === 'a');
      source.write('e');
      source.end();
      const rest: (string | OutputGap)[] = [];
      for await (const item of it) rest.push(Buffer.isBuffer(item) ? item.toString() : item);
      expect(rest).to.deep.equal(['b', { type: 'gap', droppedChunks: 2, droppedBytes: 2 }, 'e']);
      expect(it.dropped).to.deep.equal({ chunks: 2, bytes: 2 });
    });

    it('lossy lines: drops, resynchronises at the next newline and reports the gap', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'none', bufferDepth: 1, delivery: 'lossy' });
      const plain = out.lines();
      const marked = out.lines({ gaps: 'marker' });
      source.write('one\ntw');
      source.write('o\nthree\n'); // dropped: both consumers are one chunk behind
      source.write('fo'); // dropped
      await tick();
      const a: (string | undefined)[] = [(await plain.next()).value];
      const b: (string | OutputGap | undefined)[] = [(await marked.next()).value];
      source.write('ur\nfive\n');
      await tick();
      a.push((await plain.next()).value);
      b.push((await marked.next()).value, (await marked.next()).value);
      source.end('six');
      for await (const line of plain) a.push(line);
      for await (const line of marked) b.push(line);
      // The gap cut 'two', so the rest of that line ('ur') is skipped up to the newline: never 'twour'.
      expect(a).to.deep.equal(['one', 'five', 'six']);
      expect(b).to.deep.equal(['one', { type: 'gap', droppedChunks: 2, droppedBytes: 10 }, 'five', 'six']);
      expect(plain.dropped).to.deep.equal({ chunks: 2, bytes: 10 });
      // The stream's counters sum the losses of both consumers.
      expect(out.stats).to.include({ droppedChunks: 4, droppedBytes: 20 });
    });

    it('a pull consumer opened from a chunks$ handler gets that chunk once, through the replay', async () => {
      const source = new PassThrough();
      const { out } = attached(source, { replay: 'all' });
      let opened: OutputIterator<Buffer> | undefined;
      out.chunks$.subscribe(() => (opened ??= out.chunks()));
      source.write('a');
      await tick();
      source.end('b');
      const received: string[] = [];
      for await (const chunk of opened!) received.push(chunk.toString());
      expect(received).to.deep.equal(['a', 'b']);
    });

    it('a late pull consumer gets the replay first, also after the end', async () => {
      const { out } = attached(Readable.from(['l1\nl', '2\n']), { replay: 'all' });
      await out.closed;
      const lines: string[] = [];
      for await (const line of out.lines()) lines.push(line);
      expect(lines).to.deep.equal(['l1', 'l2']);
    });

    it('a pull consumer sees a read error after the buffered data', async () => {
      const source = new PassThrough();
      const { out } = attached(source);
      const it = out.lines();
      source.write('fine\n');
      await tick();
      const boom = new Error('EIO');
      source.destroy(boom);
      expect((await it.next()).value).to.equal('fine');
      await expectRejection(it.next(), boom);
    });

    it('validates per-consumer options', () => {
      const { stream: out } = createOutputStream({}, { name: 'stderr' });
      expect(() => out.chunks({ bufferDepth: 0 }))
        .to.throw(InvalidOptionError)
        .with.property('option', 'stderr.chunks().bufferDepth');
      expect(() => out.lines({ delivery: 'fast' as never })).to.throw(InvalidOptionError);
    });
  });
});

async function expectRejection(promise: Promise<unknown>, expected: unknown): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.equal(expected);
    return;
  }
  expect.fail('expected a rejection');
}
