import type { OperatorFunction } from 'rxjs';
import { InvalidOptionError } from '../core/errors.js';
import { type Keep, resolveKeep } from './collect-keep.js';
import { validatePositiveInteger } from '../core/sizes.js';
import { Deque } from '../core/deque.js';
import { asLines } from './as-lines.js';
import { operate, operatorObserver } from './operate.js';

/**
 * Bounds of {@link collectLines}. `keep: 'first'` retains the longest prefix of the output that fits (once a line
 * does not fit, nothing after it is kept either); `keep: 'last'` retains the longest suffix that fits (a single line
 * larger than `maxBytes` therefore empties the result until smaller lines follow). `'unbounded'` keeps everything
 * and is meant for trusted, finite output.
 */
export type CollectLinesOptions =
  | 'unbounded'
  | {
      /** Default 10000. */
      readonly maxLines?: number;
      /** Total UTF-8 bytes of the retained lines, newlines not counted. Default 1 MiB. */
      readonly maxBytes?: number;
      /** Default `'first'`. */
      readonly keep?: 'first' | 'last';
    };

/** What {@link collectLines} gathered. */
export interface CollectedLines {
  readonly lines: string[];
  /** True when at least one line was not retained, or output was missed (`missedBytes`). */
  readonly truncated: boolean;
  /** How many lines were not retained. */
  readonly droppedLines: number;
  /** UTF-8 bytes of the retained lines. */
  readonly bytes: number;
  /**
   * Bytes the source had already produced, and no longer kept for replay, when the collection began: they are not
   * in the result, and `truncated` is true. Counted in bytes, not lines: the stream does not know how many lines
   * left its replay. Always 0 for the operator, which sees all its source gives; set by an output stream's
   * collectors and `wait({ output })`, which can start late.
   */
  readonly missedBytes: number;
}

/** Defaults of {@link collectLines}. */
export const COLLECT_LINES_DEFAULTS = { maxLines: 10_000, maxBytes: 1024 * 1024, keep: 'first' } as const;

/**
 * Collects lines until the source completes, then emits one {@link CollectedLines} and completes. Strings are whole
 * lines; byte chunks are split into lines first. A source error is passed on (what was collected is lost).
 * @throws {@link InvalidOptionError} for an invalid option, when called.
 */
export function collectLines(
  options?: CollectLinesOptions,
): OperatorFunction<Uint8Array | string, CollectedLines> {
  const bounds = resolveBounds(options);
  return operate((source, subscriber) => {
    const retained = new Deque<string>();
    const sizes = new Deque<number>();
    let bytes = 0;
    let dropped = 0;
    let closedPrefix = false;
    return asLines(source).subscribe(
      operatorObserver(
        subscriber,
        (line) => {
          if (closedPrefix) {
            dropped++;
            return;
          }
          const size = Buffer.byteLength(line, 'utf8');
          if (bounds.keep === 'first') {
            if (retained.length >= bounds.maxLines || bytes + size > bounds.maxBytes) {
              closedPrefix = true;
              dropped++;
              return;
            }
          }
          retained.push(line);
          sizes.push(size);
          bytes += size;
          while (retained.length > bounds.maxLines || bytes > bounds.maxBytes) {
            retained.shift();
            bytes -= sizes.shift()!;
            dropped++;
          }
        },
        () => {
          subscriber.next({
            lines: retained.toArray(),
            truncated: dropped > 0,
            droppedLines: dropped,
            bytes,
            missedBytes: 0,
          });
          subscriber.complete();
        },
      ),
    );
  });
}

function resolveBounds(options: CollectLinesOptions | undefined): {
  maxLines: number;
  maxBytes: number;
  keep: Keep;
} {
  if (options === 'unbounded') return { maxLines: Infinity, maxBytes: Infinity, keep: 'first' };
  const given = options ?? {};
  if (typeof given !== 'object' || given === null) {
    throw new InvalidOptionError('collectLines', given, "an options object or 'unbounded'");
  }
  const keep = resolveKeep('collectLines.keep', given.keep ?? COLLECT_LINES_DEFAULTS.keep);
  return {
    maxLines: validatePositiveInteger(
      'collectLines.maxLines',
      given.maxLines ?? COLLECT_LINES_DEFAULTS.maxLines,
    ),
    maxBytes: validatePositiveInteger(
      'collectLines.maxBytes',
      given.maxBytes ?? COLLECT_LINES_DEFAULTS.maxBytes,
    ),
    keep,
  };
}
