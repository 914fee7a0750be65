import { expect } from 'chai';
import { LineParser } from '../../../src/core/line-parser.js';
import type { LineParserOptions } from '../../../src/core/line-parser.js';

const wide: LineParserOptions = { maxLineLength: 1 << 20, lineOverflow: 'truncate' };

function parse(chunks: readonly (Buffer | string)[], options: LineParserOptions = wide): string[] {
  const parser = new LineParser(options);
  const lines: string[] = [];
  const sink = (line: string): void => {
    lines.push(line);
  };
  for (const chunk of chunks) parser.write(chunk, sink);
  parser.finish(sink);
  return lines;
}

/** Every way of cutting `bytes` into two chunks, plus one byte per chunk. */
function splits(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  for (let i = 0; i <= bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  out.push([...bytes].map((b) => Buffer.from([b])));
  return out;
}

describe('LineParser', () => {
  it('splits on LF, keeps empty lines, adds no trailing empty line', () => {
    expect(parse(['a\n\nb\n'])).to.deep.equal(['a', '', 'b']);
    expect(parse(['a\nb'])).to.deep.equal(['a', 'b']);
    expect(parse(['\n'])).to.deep.equal(['']);
  });

  it('emits nothing for empty input', () => {
    expect(parse([])).to.deep.equal([]);
    expect(parse([Buffer.alloc(0), ''])).to.deep.equal([]);
  });

  it('emits the final unterminated line at finish', () => {
    expect(parse(['one\ntw', 'o'])).to.deep.equal(['one', 'two']);
  });

  it('strips one CR before LF, across chunk boundaries too', () => {
    expect(parse(['a\r\nb\r\n'])).to.deep.equal(['a', 'b']);
    expect(parse(['a\r', '\nb\r\r\n'])).to.deep.equal(['a', 'b\r']);
  });

  it('keeps a lone CR as content, also at the end of input', () => {
    expect(parse(['a\rb\n', 'c\r'])).to.deep.equal(['a\rb', 'c\r']);
  });

  for (const [label, text] of [
    ['euro sign (3 bytes)', 'price: 5€ ok\nnext €€\n'],
    ['emoji (4 bytes)', 'hi 😀 there\n😀\n'],
    ['mixed', 'ä€😀\nz'],
  ] as const) {
    it(`decodes a ${label} split at every byte boundary`, () => {
      const expected = parse([text]);
      expect(expected.join('\n')).to.equal(text.replace(/\n$/, ''));
      for (const chunks of splits(Buffer.from(text, 'utf8'))) {
        expect(parse(chunks)).to.deep.equal(expected);
      }
    });
  }

  it('turns invalid bytes into U+FFFD, including an incomplete character at the end', () => {
    expect(parse([Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xe2, 0x82])])).to.deep.equal(['a\ufffdb', '\ufffd']);
  });

  it('gives the same lines however the input is chunked (random cuts)', () => {
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = ['a', 'b', '\n', '\r', '€', '😀', 'xyz'];
    for (const options of [
      { maxLineLength: 5, lineOverflow: 'truncate' },
      { maxLineLength: 5, lineOverflow: 'split' },
      { maxLineLength: 1, lineOverflow: 'split' },
      wide,
    ] as const) {
      for (let round = 0; round < 200; round++) {
        let text = '';
        for (let i = rand(40); i > 0; i--) text += alphabet[rand(alphabet.length)]!;
        const bytes = Buffer.from(text, 'utf8');
        const whole = parse([bytes], options);
        const chunks: Buffer[] = [];
        for (let at = 0; at < bytes.length;) {
          const n = 1 + rand(6);
          chunks.push(bytes.subarray(at, at + n));
          at += n;
        }
        expect(parse(chunks, options), JSON.stringify(text)).to.deep.equal(whole);
      }
    }
  });

  describe('line length cap', () => {
    const truncate: LineParserOptions = { maxLineLength: 4, lineOverflow: 'truncate' };
    const split: LineParserOptions = { maxLineLength: 4, lineOverflow: 'split' };

    it('truncate keeps the first units and drops the rest of the line, across chunks', () => {
      expect(parse(['123456789\nabcdefghi\n'], truncate)).to.deep.equal(['1234', 'abcd']);
      expect(parse(['1234', '5678', '9\nok\n'], truncate)).to.deep.equal(['1234', 'ok']);
      expect(parse(['1234\n\n'], truncate)).to.deep.equal(['1234', '']);
      expect(parse(['1234\r\n'], truncate)).to.deep.equal(['1234']);
    });

    it('truncate emits the line as soon as it is known to be too long', () => {
      const parser = new LineParser(truncate);
      const lines: string[] = [];
      parser.write('12345', (l) => lines.push(l));
      expect(lines).to.deep.equal(['1234']);
      expect(parser.isDiscarding).to.equal(true);
    });

    it('split emits the rest as further lines and never a synthetic empty one', () => {
      expect(parse(['123456789\nabcdefghi\n'], split)).to.deep.equal([
        '1234',
        '5678',
        '9',
        'abcd',
        'efgh',
        'i',
      ]);
      expect(parse(['1234\n'], split)).to.deep.equal(['1234']);
      expect(parse(['1234', '\n', 'x'], split)).to.deep.equal(['1234', 'x']);
      expect(parse(['12345678\r\n'], split)).to.deep.equal(['1234', '5678']);
      expect(parse(['12345678', '\r', '\n'], split)).to.deep.equal(['1234', '5678']);
    });

    it('split loses nothing: the pieces concatenate to the input', () => {
      const text = 'x'.repeat(37) + '\n' + 'y'.repeat(8) + '\nz';
      expect(parse([text], split).join('')).to.equal(text.replaceAll('\n', ''));
    });

    it('never cuts a surrogate pair', () => {
      const lines = parse(['abc😀def\n'], split);
      expect(lines).to.deep.equal(['abc', '😀de', 'f']);
      expect(parse(['abc😀def\n'], truncate)).to.deep.equal(['abc']);
    });

    it('holds at most maxLineLength units for a 64 MiB line without newline', function () {
      this.timeout(30_000);
      for (const lineOverflow of ['truncate', 'split'] as const) {
        const max = 16 * 1024;
        const parser = new LineParser({ maxLineLength: max, lineOverflow });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let emitted = 0;
        let longest = 0;
        let maxPending = 0;
        const sink = (line: string): void => {
          emitted++;
          longest = Math.max(longest, line.length);
        };
        for (let i = 0; i < 1024; i++) {
          parser.write(chunk, sink);
          maxPending = Math.max(maxPending, parser.pendingLength);
        }
        parser.write('\nend\n', sink);
        expect(maxPending).to.be.at.most(max);
        expect(longest).to.equal(max);
        expect(emitted).to.equal(lineOverflow === 'truncate' ? 2 : (64 * 1024 * 1024) / max + 1);
      }
    });
  });

  describe('onGap', () => {
    it('drops the partial line and the first line after the gap', () => {
      const parser = new LineParser(wide);
      const lines: string[] = [];
      const sink = (l: string): void => {
        lines.push(l);
      };
      parser.write('rea', sink);
      parser.onGap();
      parser.write('dy\nnext\n', sink);
      parser.finish(sink);
      expect(lines).to.deep.equal(['next']);
    });

    it('never splices halves and resumes at the next newline', () => {
      const parser = new LineParser(wide);
      const lines: string[] = [];
      const sink = (l: string): void => {
        lines.push(l);
      };
      parser.write('one\npar', sink);
      parser.onGap();
      parser.write('\ntwo\nfinal', sink);
      parser.finish(sink);
      expect(lines).to.deep.equal(['one', 'two', 'final']);
    });

    it('forgets a half-decoded character', () => {
      const parser = new LineParser(wide);
      const lines: string[] = [];
      const sink = (l: string): void => {
        lines.push(l);
      };
      parser.write(Buffer.from([0x61, 0x0a, 0xe2, 0x82]), sink);
      parser.onGap();
      parser.write(Buffer.from('\n€\n'), sink);
      expect(lines).to.deep.equal(['a', '€']);
    });
  });
});
