import type { OperatorFunction } from 'rxjs';
import { LineParser } from '../core/line-parser.js';
import { type LineOverflow, resolveLineOptions } from '../core/line-options.js';
import { operate, operatorObserver } from './operate.js';

/** Line-splitting options; the defaults are those of {@link OutputStreamOptions}. */
export interface SplitLinesOptions {
  /** Default 16384 UTF-16 code units. */
  readonly maxLineLength?: number;
  /** Default `'truncate'`. */
  readonly lineOverflow?: LineOverflow;
}

/**
 * Turns chunks of UTF-8 bytes (or of text) into lines, with the semantics of {@link LineParser}: one parser per
 * subscription, the unterminated last line is emitted when the source completes, and nothing is flushed when it
 * errors. Validates its options when called.
 * @throws {@link InvalidOptionError} for an invalid option.
 */
export function splitLines(options?: SplitLinesOptions): OperatorFunction<Uint8Array | string, string> {
  const resolved = resolveLineOptions(options ?? {}, 'splitLines');
  return operate((source, subscriber) => {
    const parser = new LineParser(resolved);
    const sink = (line: string): void => subscriber.next(line);
    return source.subscribe(
      operatorObserver(
        subscriber,
        (chunk) => parser.write(chunk, sink),
        () => {
          parser.finish(sink);
          subscriber.complete();
        },
      ),
    );
  });
}
