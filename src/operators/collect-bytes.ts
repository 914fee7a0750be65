import type { OperatorFunction } from 'rxjs';
import { InvalidOptionError } from '../core/errors.js';
import { type Keep, resolveKeep } from './collect-keep.js';
import { validatePositiveInteger } from '../core/sizes.js';
import { Deque } from '../core/deque.js';
import { operate, operatorObserver } from './operate.js';

/**
 * Bounds of {@link collectBytes}. `keep: 'first'` retains the first `maxBytes` bytes (the chunk that crosses the
 * bound is cut); `keep: 'last'` retains the last `maxBytes` bytes. `'unbounded'` keeps everything and is meant for
 * trusted, finite output.
 */
export type CollectBytesOptions =
  | 'unbounded'
  | {
      /** Default 1 MiB. */
      readonly maxBytes?: number;
      /** Default `'first'`. */
      readonly keep?: 'first' | 'last';
    };

/** What {@link collectBytes} gathered. */
export interface CollectedBytes {
  readonly bytes: Buffer;
  /** True when at least one byte was not retained, or output was missed (`missedBytes`). */
  readonly truncated: boolean;
  /** How many bytes were not retained. */
  readonly droppedBytes: number;
  /**
   * Bytes the source had already produced, and no longer kept for replay, when the collection began: they are not
   * in the result, and `truncated` is true. Counted in bytes, not lines: the stream does not know how many lines
   * left its replay. Always 0 for the operator, which sees all its source gives; set by an output stream's
   * collectors and `wait({ output })`, which can start late.
   */
  readonly missedBytes: number;
}

/** Defaults of {@link collectBytes}. */
export const COLLECT_BYTES_DEFAULTS = { maxBytes: 1024 * 1024, keep: 'first' } as const;

/**
 * Collects bytes until the source completes, then emits one {@link CollectedBytes} and completes. Strings are
 * encoded as UTF-8. A source error is passed on.
 * @throws {@link InvalidOptionError} for an invalid option, when called.
 */
export function collectBytes(
  options?: CollectBytesOptions,
): OperatorFunction<Uint8Array | string, CollectedBytes> {
  const { maxBytes, keep } = resolveBounds(options);
  return operate((source, subscriber) => {
    const chunks = new Deque<Buffer>();
    let size = 0;
    let dropped = 0;
    return source.subscribe(
      operatorObserver(
        subscriber,
        (item) => {
          const chunk = typeof item === 'string' ? Buffer.from(item, 'utf8') : toBuffer(item);
          if (keep === 'first') {
            const room = maxBytes - size;
            if (room < chunk.length) {
              dropped += chunk.length - room;
              if (room > 0) chunks.push(chunk.subarray(0, room));
              size += Math.max(room, 0);
              return;
            }
            chunks.push(chunk);
            size += chunk.length;
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
          let excess = size - maxBytes;
          while (excess > 0) {
            const front = chunks.peek()!;
            if (front.length <= excess) {
              chunks.shift();
              excess -= front.length;
              size -= front.length;
              dropped += front.length;
            } else {
              chunks.replaceFirst(front.subarray(excess));
              size -= excess;
              dropped += excess;
              excess = 0;
            }
          }
        },
        () => {
          subscriber.next({
            bytes: Buffer.concat(chunks.toArray(), size),
            truncated: dropped > 0,
            droppedBytes: dropped,
            missedBytes: 0,
          });
          subscriber.complete();
        },
      ),
    );
  });
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function resolveBounds(options: CollectBytesOptions | undefined): {
  maxBytes: number;
  keep: Keep;
} {
  if (options === 'unbounded') return { maxBytes: Infinity, keep: 'first' };
  const given = options ?? {};
  if (typeof given !== 'object' || given === null) {
    throw new InvalidOptionError('collectBytes', given, "an options object or 'unbounded'");
  }
  const keep = resolveKeep('collectBytes.keep', given.keep ?? COLLECT_BYTES_DEFAULTS.keep);
  return {
    maxBytes: validatePositiveInteger(
      'collectBytes.maxBytes',
      given.maxBytes ?? COLLECT_BYTES_DEFAULTS.maxBytes,
    ),
    keep,
  };
}
