/**
 * A collector that starts late says what it missed: the bytes that had left the replay window before it attached
 * (and, for lines, the cut line at the window's front), with `truncated` set, instead of a silently shorter result.
 */
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { attached } from '../../support/output-streams.js';

async function written(source: PassThrough, text: string): Promise<void> {
  source.write(text);
  await tick();
}

describe('OutputStream collectors started late', () => {
  it('count the bytes that left the replay, for chunks exactly', async () => {
    const source = new PassThrough();
    const { out } = attached(source, { replay: { lastBytes: 4 } });
    await written(source, 'aa\nbb\ncc\n');
    const collecting = out.collectBytes('unbounded');
    source.end('dd\n');
    const result = await collecting;
    expect(result.bytes.toString()).to.equal('\ncc\ndd\n');
    expect(result).to.include({ missedBytes: 5, truncated: true, droppedBytes: 0 });
  });

  it('count the cut line at the front of the window too, for lines', async () => {
    const source = new PassThrough();
    const { out } = attached(source, { replay: { lastBytes: 4 } });
    await written(source, 'aa\nbb\ncc\n');
    const collecting = out.collectLines('unbounded');
    source.end('dd\n');
    const result = await collecting;
    expect(result.lines).to.deep.equal(['cc', 'dd']);
    // 5 bytes left the window ("aa\nbb"); its first byte, the newline ending "bb", is skipped with them.
    expect(result).to.include({ missedBytes: 6, truncated: true, droppedLines: 0 });
  });

  it('count everything read so far when nothing is retained', async () => {
    const source = new PassThrough();
    const { out } = attached(source, { replay: 'none' });
    await written(source, 'one\ntwo\n');
    const collecting = out.collectLines();
    source.end('three\n');
    expect(await collecting).to.deep.include({ lines: ['three'], missedBytes: 8, truncated: true });
  });

  it('report nothing missed while the replay still holds everything', async () => {
    const source = new PassThrough();
    const { out } = attached(source, { replay: { lastLines: 10 } });
    await written(source, 'one\ntwo\n');
    const collecting = out.collectLines();
    source.end('three\n');
    expect(await collecting).to.deep.include({
      lines: ['one', 'two', 'three'],
      missedBytes: 0,
      truncated: false,
    });
  });

  it('count what a sealed replay let go', async () => {
    const source = new PassThrough();
    const { out } = attached(source, {});
    await written(source, 'abc');
    out.sealReplay();
    const collecting = out.collectBytes();
    source.end('def');
    expect(await collecting).to.deep.include({ missedBytes: 3, truncated: true });
  });
});
