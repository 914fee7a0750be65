import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { LineParser } from '../core/line-parser.js';
import { LINE_DEFAULTS, type LineOverflow, resolveLineOptions } from '../core/line-options.js';

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
  return (source) =>
    new Observable<string>((subscriber) => {
      const parser = new LineParser(resolved);
      const sink = (line: string): void => subscriber.next(line);
      return source.subscribe({
        next: (chunk) => parser.write(chunk, sink),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          parser.finish(sink);
          subscriber.complete();
        },
      });
    });
}

/**
 * For the line consumers (`collectLines`, `waitForLine`): a string is taken as one whole line, as `lines$` emits
 * them; a byte chunk is parsed with default line options, so the consumers also work on `chunks$`.
 * @internal
 */
export function asLines(source: Observable<Uint8Array | string>): Observable<string> {
  return new Observable<string>((subscriber) => {
    let parser: LineParser | undefined;
    const sink = (line: string): void => subscriber.next(line);
    return source.subscribe({
      next: (item) => {
        if (typeof item === 'string') {
          subscriber.next(item);
          return;
        }
        parser ??= new LineParser(LINE_DEFAULTS);
        parser.write(item, sink);
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        parser?.finish(sink);
        subscriber.complete();
      },
    });
  });
}
