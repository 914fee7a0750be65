/** The hand-written line split every floor and peer shares: `indexOf('\n')` + `slice` over decoded text. */
import { StringDecoder } from 'node:string_decoder';

/** Counts lines and their characters; the character sum keeps every slice observable, so none is optimised away. */
export class LineCounter {
  lines = 0;
  chars = 0;

  readonly add = (line: string): void => {
    this.lines += 1;
    this.chars += line.length;
  };
}

/** Splits text pushed in any pieces into lines at `\n` (no CRLF handling: `seq` writes none). */
export class TextSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl === -1) {
      this.pending += text;
      return;
    }
    if (this.pending.length !== 0) {
      this.onLine(this.pending + text.slice(0, nl));
      this.pending = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl !== -1) {
      this.onLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.pending = start < text.length ? text.slice(start) : '';
  }

  end(): void {
    if (this.pending.length !== 0) this.onLine(this.pending);
    this.pending = '';
  }
}

/** {@link TextSplitter} over bytes, decoded by a `StringDecoder` so a character split across chunks stays whole. */
export class ByteSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private readonly text: TextSplitter;

  constructor(onLine: (line: string) => void) {
    this.text = new TextSplitter(onLine);
  }

  push(chunk: Buffer): void {
    this.text.push(this.decoder.write(chunk));
  }

  end(): void {
    this.text.push(this.decoder.end());
    this.text.end();
  }
}
