import { expect } from 'chai';
import { firstValueFrom, from, of, throwError, concat } from 'rxjs';
import { InvalidOptionError } from '../../../src/core/errors.js';
import { collectBytes } from '../../../src/operators/collect-bytes.js';
import { collectLines } from '../../../src/operators/collect-lines.js';
import { splitLines } from '../../../src/operators/split-lines.js';

describe('splitLines', () => {
  it('parses byte chunks into lines with one parser per subscription and flushes at completion', async () => {
    const source = from([Buffer.from('a\r\nb'), Buffer.from([0xe2, 0x82]), Buffer.from([0xac, 0x0a]), 'c']);
    const lines = source.pipe(splitLines());
    const first: string[] = [];
    const second: string[] = [];
    lines.subscribe((l) => first.push(l));
    lines.subscribe((l) => second.push(l));
    expect(first).to.deep.equal(['a', 'b€', 'c']);
    expect(second).to.deep.equal(first);
  });

  it('applies the length cap and validates it', async () => {
    const lines: string[] = [];
    of('abcdef\n')
      .pipe(splitLines({ maxLineLength: 4, lineOverflow: 'split' }))
      .subscribe((l) => lines.push(l));
    expect(lines).to.deep.equal(['abcd', 'ef']);
    expect(() => splitLines({ maxLineLength: 0 })).to.throw(InvalidOptionError);
  });

  it('does not flush the partial line when the source errors', () => {
    const lines: string[] = [];
    let failed: unknown;
    concat(
      of('ok\npart'),
      throwError(() => new Error('x')),
    )
      .pipe(splitLines())
      .subscribe({ next: (l) => lines.push(l), error: (e: unknown) => (failed = e) });
    expect(lines).to.deep.equal(['ok']);
    expect(failed).to.be.instanceOf(Error);
  });
});

describe('collectLines', () => {
  const lines = ['a', 'bb', 'ccc', 'dddd'];

  it('keeps everything within bounds', async () => {
    expect(await firstValueFrom(from(lines).pipe(collectLines()))).to.deep.equal({
      lines,
      truncated: false,
      droppedLines: 0,
      missedBytes: 0,
      bytes: 10,
    });
  });

  it("keep 'first' retains a strict prefix and flags truncation (line bound)", async () => {
    const result = await firstValueFrom(from(lines).pipe(collectLines({ maxLines: 2 })));
    expect(result).to.deep.equal({
      lines: ['a', 'bb'],
      truncated: true,
      droppedLines: 2,
      bytes: 3,
      missedBytes: 0,
    });
  });

  it("keep 'first' stops at the first line that does not fit, even if a later one would (byte bound)", async () => {
    const result = await firstValueFrom(from(['aaaa', 'bbbbbb', 'c']).pipe(collectLines({ maxBytes: 8 })));
    expect(result).to.deep.include({ lines: ['aaaa'], truncated: true, droppedLines: 2 });
  });

  it("keep 'last' retains a suffix and flags truncation", async () => {
    expect(
      await firstValueFrom(from(lines).pipe(collectLines({ maxLines: 2, keep: 'last' }))),
    ).to.deep.include({
      lines: ['ccc', 'dddd'],
      truncated: true,
      droppedLines: 2,
    });
    expect(
      await firstValueFrom(
        from(['a', 'b', 'cc', 'dddd', 'eeeeee']).pipe(collectLines({ maxBytes: 8, keep: 'last' })),
      ),
    ).to.deep.include({ lines: ['eeeeee'], truncated: true, droppedLines: 4, bytes: 6 });
  });

  it('counts UTF-8 bytes, and parses byte chunks', async () => {
    const result = await firstValueFrom(of(Buffer.from('€€\nx')).pipe(collectLines({ maxBytes: 6 })));
    expect(result).to.deep.include({ lines: ['€€'], truncated: true, bytes: 6 });
  });

  it("'unbounded' keeps everything", async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => String(i));
    const result = await firstValueFrom(from(many).pipe(collectLines('unbounded')));
    expect(result.lines).to.have.length(20_000);
    expect(result.truncated).to.equal(false);
  });

  it('validates its options when called', () => {
    expect(() => collectLines({ maxLines: 0 })).to.throw(InvalidOptionError);
    expect(() => collectLines({ keep: 'middle' as never })).to.throw(InvalidOptionError);
  });
});

describe('collectBytes', () => {
  const chunks = [Buffer.from('abc'), Buffer.from('def')];

  it("keep 'first' keeps a strict prefix, cutting the crossing chunk", async () => {
    const result = await firstValueFrom(from(chunks).pipe(collectBytes({ maxBytes: 5 })));
    expect(result.bytes.toString()).to.equal('abcde');
    expect(result).to.include({ truncated: true, droppedBytes: 1 });
  });

  it("keep 'last' keeps the newest bytes", async () => {
    const last = async (input: string[]): Promise<string> =>
      (await firstValueFrom(from(input).pipe(collectBytes({ maxBytes: 5, keep: 'last' })))).bytes.toString();
    expect(await last(['abc', 'def'])).to.equal('bcdef');
    expect(await last(['abcdefgh'])).to.equal('defgh');
    expect(await last(['ab', 'cdefgh'])).to.equal('defgh');
  });

  it('reports no truncation within bounds and supports unbounded', async () => {
    const result = await firstValueFrom(from(chunks).pipe(collectBytes()));
    expect(result).to.deep.include({ truncated: false, droppedBytes: 0 });
    expect(result.bytes.toString()).to.equal('abcdef');
    const big = await firstValueFrom(of(Buffer.alloc(3 << 20)).pipe(collectBytes('unbounded')));
    expect(big.bytes.length).to.equal(3 << 20);
  });

  it('validates its options when called', () => {
    expect(() => collectBytes({ maxBytes: -1 })).to.throw(InvalidOptionError);
  });
});
