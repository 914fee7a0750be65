import { firstValueFrom, from, race, type SchedulerLike, Subject, timer } from 'rxjs';
import type { CollectBytesOptions, CollectedBytes } from '../operators/collect-bytes.js';
import type { CollectedLines, CollectLinesOptions } from '../operators/collect-lines.js';
import type { OutputStream } from '../streams/output-stream.js';

/** Output gathered by `wait({ output })`. `cutOff`: the output was closed by force after the EOF timeout. */
export interface CollectedOutput<T> {
  readonly stdout: T;
  readonly stderr: T;
  /**
   * True when the output did not end within `eofTimeoutMs` after the exit (a descendant kept the pipe open) and
   * was closed by force: what it wrote later is not included.
   */
  readonly cutOff: boolean;
}

/** Collected lines of both streams. */
export type LinesOutput = CollectedOutput<CollectedLines>;
/** Collected bytes of both streams. */
export type BytesOutput = CollectedOutput<CollectedBytes>;

/** @internal */
/** How `wait()` collects output: as lines or bytes, with the collectors' own bounds. */
export type OutputRequest =
  | { readonly kind: 'lines'; readonly bounds: CollectLinesOptions | undefined }
  | { readonly kind: 'bytes'; readonly bounds: CollectBytesOptions | undefined };

/** @internal */
/**
 * Collects both streams from now on (the replay included); what had left the replay is counted as missed. `finish()` is called once the wait is over: it waits
 * at most `eofTimeoutMs` for the output to end, closes it by force after that, and returns what was collected.
 * `stop()` ends the collection early (the child keeps running, e.g. after a plain timeout).
 */
export class OutputCollector {
  private readonly stop$ = new Subject<void>();
  private readonly results: Promise<[CollectedLines | CollectedBytes, CollectedLines | CollectedBytes]>;

  constructor(
    private readonly streams: { stdout: OutputStream; stderr: OutputStream },
    request: OutputRequest,
  ) {
    const collect = (stream: OutputStream): Promise<CollectedLines | CollectedBytes> =>
      request.kind === 'lines'
        ? firstValueFrom(stream.collectLines$(request.bounds, this.stop$))
        : firstValueFrom(stream.collectBytes$(request.bounds, this.stop$));
    this.results = Promise.all([collect(streams.stdout), collect(streams.stderr)]);
    this.results.catch(() => undefined);
  }

  /** After the exit: bounded wait for end-of-output, then the result. `forceClose` closes both streams. */
  async finish(
    eofTimeoutMs: number | null,
    scheduler: SchedulerLike,
    forceClose: (reason: string) => void,
  ): Promise<CollectedOutput<CollectedLines | CollectedBytes>> {
    const { stdout, stderr } = this.streams;
    const bothClosed = Promise.all([stdout.closed, stderr.closed]);
    if (eofTimeoutMs !== null) {
      await firstValueFrom(race(timer(eofTimeoutMs, scheduler), from(bothClosed)));
      forceClose('eofTimeout');
    }
    const [[out, err], [outClosed, errClosed]] = await Promise.all([this.results, bothClosed]);
    return { stdout: out, stderr: err, cutOff: outClosed.forced || errClosed.forced };
  }

  /** Ends the collection now with what was gathered; the streams stay open. */
  async stop(): Promise<CollectedOutput<CollectedLines | CollectedBytes>> {
    this.stop$.next();
    const [out, err] = await this.results;
    return { stdout: out, stderr: err, cutOff: false };
  }
}
