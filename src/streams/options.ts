import { InvalidOptionError } from '../core/errors.js';
import { validatePositiveInteger } from '../core/sizes.js';
import { LINE_DEFAULTS, type LineOverflow, resolveLineOptions } from '../core/line-options.js';

export type { LineOverflow };

/**
 * What an {@link OutputStream} keeps for subscribers that attach late.
 *
 * - `'none'`: live data only.
 * - `{ lastBytes: n }`: exactly the newest `n` bytes (the oldest retained chunk may be cut mid-chunk).
 * - `{ lastLines: n, maxBytes? }`: the bytes of the newest `n` newline-terminated lines plus the unterminated tail,
 *   never more than `maxBytes` (default 1 MiB) so one endless line cannot pin unbounded memory.
 * - `'all'`: everything, without a bound. An explicit opt-in for trusted, finite output.
 *
 * Replay is always a log of bytes: `chunks$` replays those bytes and `lines$` re-parses them, so both views agree.
 */
export type ReplayPolicy =
  | 'none'
  | 'all'
  | { readonly lastBytes: number }
  | { readonly lastLines: number; readonly maxBytes?: number };

/**
 * How a pull consumer (`chunks()`, `lines()`) that falls `bufferDepth` chunks behind is treated: `'reliable'` pauses
 * the source (the child then blocks in `write()`, nothing is lost); `'lossy'` never pauses and drops the newest
 * chunks for that consumer until it catches up, reporting the loss as a gap.
 */
export type Delivery = 'reliable' | 'lossy';

/**
 * How the child's output slot is wired. `'pipe'` creates an {@link OutputStream}; `'discard'` spawns the slot as
 * `'ignore'` and `'inherit'` as `'inherit'`, and in both cases the handle's stream is empty and already complete.
 */
export type OutputMode = 'pipe' | 'discard' | 'inherit';

/** Per-stream options. Every field is optional and every default is bounded. */
export interface OutputStreamOptions {
  /** Default `'pipe'`. */
  readonly mode?: OutputMode;
  /** Default `{ lastBytes: 65536 }` (64 KiB). */
  readonly replay?: ReplayPolicy;
  /**
   * The longest line the line views emit, in UTF-16 code units of decoded text (one unit per byte for ASCII; a
   * surrogate pair is never cut). It also bounds the memory held for one unterminated line. Default 16384.
   */
  readonly maxLineLength?: number;
  /** Default `'truncate'`. */
  readonly lineOverflow?: LineOverflow;
  /** Default delivery of pull consumers; each `chunks()`/`lines()` call may override it. Default `'reliable'`. */
  readonly delivery?: Delivery;
  /** Queue depth, in chunks, of each pull consumer. Default 128 (at most 2 MiB with the default chunk size). */
  readonly bufferDepth?: number;
  /** The largest chunk ever emitted, in bytes; larger reads are re-split. Default 16384. */
  readonly chunkSize?: number;
}

/** {@link OutputStreamOptions} with every default applied and every value validated. */
export interface ResolvedOutputStreamOptions {
  readonly mode: OutputMode;
  readonly replay: ResolvedReplayPolicy;
  readonly maxLineLength: number;
  readonly lineOverflow: LineOverflow;
  readonly delivery: Delivery;
  readonly bufferDepth: number;
  readonly chunkSize: number;
}

/** A replay policy in one normalised shape. `maxBytes` is `Infinity` only for `'all'`. */
export type ResolvedReplayPolicy =
  | { readonly kind: 'none' }
  | { readonly kind: 'bytes'; readonly maxBytes: number }
  | { readonly kind: 'lines'; readonly maxLines: number; readonly maxBytes: number };

/** The documented defaults, in one place. */
export const OUTPUT_STREAM_DEFAULTS = {
  mode: 'pipe',
  replayLastBytes: 64 * 1024,
  replayLastLinesMaxBytes: 1024 * 1024,
  maxLineLength: LINE_DEFAULTS.maxLineLength,
  lineOverflow: LINE_DEFAULTS.lineOverflow,
  delivery: 'reliable',
  bufferDepth: 128,
  chunkSize: 16 * 1024,
} as const;

/** @internal */
/**
 * Validates `options` and applies the defaults. `path` prefixes the option names in error messages
 * (`stdout.maxLineLength`).
 * @throws {@link InvalidOptionError} for any value out of range or of the wrong shape.
 */
export function resolveOutputStreamOptions(
  options: OutputStreamOptions | undefined,
  path = 'output',
): ResolvedOutputStreamOptions {
  const given: OutputStreamOptions = options ?? {};
  if (typeof given !== 'object' || given === null) {
    throw new InvalidOptionError(path, given, 'an options object');
  }
  const d = OUTPUT_STREAM_DEFAULTS;
  return {
    mode: oneOf(`${path}.mode`, given.mode ?? d.mode, ['pipe', 'discard', 'inherit'] as const),
    replay: resolveReplay(`${path}.replay`, given.replay),
    ...resolveLineOptions(given, path),
    delivery: resolveDelivery(`${path}.delivery`, given.delivery ?? d.delivery),
    bufferDepth: validatePositiveInteger(`${path}.bufferDepth`, given.bufferDepth ?? d.bufferDepth),
    chunkSize: validatePositiveInteger(`${path}.chunkSize`, given.chunkSize ?? d.chunkSize),
  };
}

/** @internal */
/** Validates a delivery value given per pull consumer. */
export function resolveDelivery(option: string, value: unknown): Delivery {
  return oneOf(option, value, ['reliable', 'lossy'] as const);
}

function resolveReplay(option: string, value: unknown): ResolvedReplayPolicy {
  if (value === undefined) return { kind: 'bytes', maxBytes: OUTPUT_STREAM_DEFAULTS.replayLastBytes };
  if (value === 'none') return { kind: 'none' };
  if (value === 'all') return { kind: 'bytes', maxBytes: Infinity };
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if ('lastBytes' in value && keys.length === 1) {
      return { kind: 'bytes', maxBytes: validatePositiveInteger(`${option}.lastBytes`, value.lastBytes) };
    }
    if ('lastLines' in value && keys.every((k) => k === 'lastLines' || k === 'maxBytes')) {
      const maxBytes = 'maxBytes' in value && value.maxBytes !== undefined ? value.maxBytes : undefined;
      return {
        kind: 'lines',
        maxLines: validatePositiveInteger(`${option}.lastLines`, value.lastLines),
        maxBytes: validatePositiveInteger(
          `${option}.maxBytes`,
          maxBytes ?? OUTPUT_STREAM_DEFAULTS.replayLastLinesMaxBytes,
        ),
      };
    }
  }
  throw new InvalidOptionError(
    option,
    value,
    "'none', 'all', { lastBytes: n } or { lastLines: n, maxBytes?: n } with positive integers",
  );
}

function oneOf<const T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InvalidOptionError(option, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
}
