import { AsyncSubject, asyncScheduler, defer, firstValueFrom, map, NEVER, takeUntil } from 'rxjs';
import type { Observable, OperatorFunction, SchedulerLike } from 'rxjs';
import type { Writable } from 'node:stream';
import { collectBytes } from '../operators/collect-bytes.js';
import type { CollectBytesOptions, CollectedBytes } from '../operators/collect-bytes.js';
import { collectLines } from '../operators/collect-lines.js';
import type { CollectedLines, CollectLinesOptions } from '../operators/collect-lines.js';
import { waitForLine } from '../operators/wait-for-line.js';
import type { LineMatcher, WaitForLineOptions, WaitForLineResult } from '../operators/wait-for-line.js';
import type { WriteToResult } from '../operators/write-to.js';
import type { LineParserOptions } from '../core/line-parser.js';
import { resolveOutputStreamOptions } from './options.js';
import type { OutputStreamOptions, ResolvedOutputStreamOptions } from './options.js';
import type { OutputControl, OutputStreamInit } from './output-control.js';
import { PipeReader } from './pipe-reader.js';
import { ChunkIterator, LineIterator } from './pull-iterators.js';
import type { OutputIterator } from './pull-iterators.js';
import type { OutputGap, QueueTerminal } from './pull-queue.js';
import { PullRegistry } from './pull-registry.js';
import type { PullOptions } from './pull-registry.js';
import { pumpToSink } from './pump.js';
import { PushViews } from './push-views.js';
import { ReplayLog } from './replay-log.js';

/** Counters of one stream. `linesEmitted` counts lines of `lines$`, which parses only while it has subscribers. */
export interface OutputStats {
  readonly bytesRead: number;
  readonly chunksRead: number;
  readonly linesEmitted: number;
  /** Chunks dropped for lossy pull consumers, summed over all of them. */
  readonly droppedChunks: number;
  readonly droppedBytes: number;
}

/**
 * How an output stream ended. `forced` is true only when the output was closed by force: after the child exited,
 * a descendant kept the pipe open past the EOF timeout (or the spawn failed). A read error is reported here, never
 * thrown.
 */
export type OutputClosed =
  | { readonly type: 'ended'; readonly forced: false; readonly stats: OutputStats }
  | { readonly type: 'errored'; readonly forced: false; readonly error: unknown; readonly stats: OutputStats }
  | { readonly type: 'forced'; readonly forced: true; readonly reason: string; readonly stats: OutputStats };

/**
 * One output pipe of a child (stdout or stderr), as hot push views, pull iterators and consumers. Get one from a
 * process handle (`proc.stdout`, `proc.stderr`); it cannot be constructed.
 *
 * - The pipe is always drained, with or without subscribers, except while a reliable pull consumer is
 *   `bufferDepth` chunks behind (then it is paused, and the child blocks on write).
 * - Every view starts with the retained replay, then live data, with neither gap nor duplicate at the seam: the
 *   replay snapshot and the registration happen in one synchronous step. After the end, a view gets the replay and
 *   then completes (or errors, after a read error).
 * - Chunks are never larger than `chunkSize`. Lines are parsed once per stream for `lines$`, only while `lines$`
 *   has subscribers; each pull `lines()` consumer parses its own queue, so its gaps stay its own.
 * - With `mode: 'discard'` or `'inherit'` the stream is empty and already ended.
 */
export class OutputStream {
  /** The validated options. */
  readonly options: ResolvedOutputStreamOptions;
  /** `stdout` or `stderr`; used in messages and option errors. */
  readonly name: string;
  /** Hot byte chunks: replay, then live chunks; completes at end, errors on a read error. */
  readonly chunks$: Observable<Buffer>;
  /** Hot lines: replayed lines, then live ones; the unterminated last line is emitted at end (not on error). */
  readonly lines$: Observable<string>;
  /** Resolves (never rejects) once the stream ended, failed or was force-closed. */
  readonly closed: Promise<OutputClosed>;
  /** Emits the {@link OutputClosed} once, then completes; late subscribers get it too. */
  readonly closed$: Observable<OutputClosed>;

  private readonly scheduler: SchedulerLike;
  private readonly lineOptions: LineParserOptions;
  private readonly replay: ReplayLog;
  private readonly push: PushViews;
  private readonly pulls: PullRegistry;
  private readonly reader: PipeReader;
  private readonly closedSubject = new AsyncSubject<OutputClosed>();
  /** Open {@link OutputStream.holdBack} calls. */
  private holds = 0;

  /** @throws {@link InvalidOptionError} when an option is invalid. */
  private constructor(options: OutputStreamOptions | undefined, init: OutputStreamInit) {
    this.name = init.name ?? 'output';
    this.options = resolveOutputStreamOptions(options, this.name);
    this.scheduler = init.scheduler ?? asyncScheduler;
    this.lineOptions = { maxLineLength: this.options.maxLineLength, lineOverflow: this.options.lineOverflow };
    this.closed = firstValueFrom(this.closedSubject);
    this.closed$ = this.closedSubject.asObservable();
    this.replay = new ReplayLog(this.options.replay);
    const terminal = (): QueueTerminal | undefined => this.reader.terminal;
    this.push = new PushViews(this.replay, this.lineOptions, terminal);
    this.chunks$ = this.push.chunks$;
    this.lines$ = this.push.lines$;
    this.pulls = new PullRegistry({
      name: this.name,
      defaults: this.options,
      replay: this.replay,
      terminal,
      flowChanged: () => this.reader.updateFlow(),
    });
    this.reader = new PipeReader(this.name, this.options.mode, this.options.chunkSize, {
      chunk: (chunk) => {
        this.replay.append(chunk);
        // The pull queues first: pushing runs no handler, so a consumer opened from a push handler below (which
        // got this chunk through the replay) cannot get it a second time.
        this.pulls.push(chunk);
        this.push.publish(chunk);
      },
      ending: (end) => this.push.flushLastLine(end),
      ended: (end, forcedReason) => this.settle(end, forcedReason),
      holdsBack: () => this.pulls.holdsBack || this.holds > 0,
    });
    if (this.options.mode !== 'pipe') this.reader.closeWithoutPipe();
  }

  /**
   * The stream and what only its owner may do to it. Use `createOutputStream`, which documents both.
   * @internal
   */
  static create(
    options: OutputStreamOptions | undefined,
    init: OutputStreamInit,
  ): { stream: OutputStream; control: OutputControl } {
    const stream = new OutputStream(options, init);
    const { reader, pulls } = stream;
    const control: OutputControl = {
      attach: (readable) => reader.attach(readable),
      forceClose: (reason) => reader.forceClose(reason),
      releaseBackpressure: () => {
        pulls.makeLossy();
        reader.releaseBackpressure();
      },
    };
    return { stream, control };
  }

  /** A snapshot of the counters. */
  get stats(): OutputStats {
    return {
      bytesRead: this.reader.bytesRead,
      chunksRead: this.reader.chunksRead,
      linesEmitted: this.push.linesEmitted,
      droppedChunks: this.pulls.droppedChunks,
      droppedBytes: this.pulls.droppedBytes,
    };
  }

  /**
   * Stops reading the pipe until the returned function is called: backpressure for a push consumer that cannot keep
   * up (a terminal, a slow file), so the child blocks on its next write instead of output piling up in memory or
   * being dropped. Holds nest; reading resumes when every one is released (releasing twice is harmless). Once the
   * child is being terminated, holds no longer apply: a stopping child must never block on a full pipe.
   */
  holdBack(): () => void {
    this.holds += 1;
    this.reader.updateFlow();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      this.reader.updateFlow();
    };
  }

  /**
   * Stops retaining output and frees the replay, for good (idempotent). Subscribers already attached keep what they
   * received; later ones start with live data (line views resynchronise at the next newline).
   */
  sealReplay(): void {
    this.replay.seal();
  }

  /** Pull chunks, starting with the replay. See {@link PullOptions}. */
  chunks(options?: PullOptions & { readonly gaps?: 'skip' }): OutputIterator<Buffer>;
  chunks(options: PullOptions & { readonly gaps: 'marker' }): OutputIterator<Buffer | OutputGap>;
  chunks(options?: PullOptions): OutputIterator<Buffer | OutputGap> {
    const markGaps = this.pulls.markGaps(options, 'chunks');
    return new ChunkIterator(this.pulls.open(options, 'chunks'), markGaps);
  }

  /** Pull lines, starting with the replayed ones. A lossy gap resynchronises at the next newline. */
  lines(options?: PullOptions & { readonly gaps?: 'skip' }): OutputIterator<string>;
  lines(options: PullOptions & { readonly gaps: 'marker' }): OutputIterator<string | OutputGap>;
  lines(options?: PullOptions): OutputIterator<string | OutputGap> {
    const markGaps = this.pulls.markGaps(options, 'lines');
    const queue = this.pulls.open(options, 'lines');
    return new LineIterator(queue, this.lineOptions, markGaps, this.replay.joinsMidLine);
  }

  /**
   * Collects `lines$` (replay included) until the end. Output that had already left the replay is not there:
   * `missedBytes` says how much, and `truncated` is then true. Rejects with the read error if reading fails.
   */
  collectLines(options?: CollectLinesOptions): Promise<CollectedLines> {
    return firstValueFrom(this.collectLines$(options));
  }

  /**
   * Collects `chunks$` (replay included) until the end; `missedBytes` counts what had already left the replay.
   * Rejects with the read error if reading fails.
   */
  collectBytes(options?: CollectBytesOptions): Promise<CollectedBytes> {
    return firstValueFrom(this.collectBytes$(options));
  }

  /**
   * {@link OutputStream.collectLines} as an Observable that also ends early with `until$`.
   * @internal
   */
  collectLines$(
    options?: CollectLinesOptions,
    until$: Observable<unknown> = NEVER,
  ): Observable<CollectedLines> {
    return this.collectSince(
      this.lines$,
      collectLines(options),
      until$,
      () => this.replay.bytesMissedByLines,
    );
  }

  /**
   * {@link OutputStream.collectBytes} as an Observable that also ends early with `until$`.
   * @internal
   */
  collectBytes$(
    options?: CollectBytesOptions,
    until$: Observable<unknown> = NEVER,
  ): Observable<CollectedBytes> {
    return this.collectSince(this.chunks$, collectBytes(options), until$, () => this.replay.unretainedBytes);
  }

  /** A collection of `view$` that says how many bytes had left the replay when it began. */
  private collectSince<T, R extends { readonly truncated: boolean; readonly missedBytes: number }>(
    view$: Observable<T>,
    collect: OperatorFunction<T, R>,
    until$: Observable<unknown>,
    missedBytes: () => number,
  ): Observable<R> {
    // Counted in the same synchronous step as the subscription: no chunk can arrive in between.
    return defer(() => {
      const missed = missedBytes();
      return view$.pipe(
        takeUntil(until$),
        collect,
        map((result) => withMissed(result, missed)),
      );
    });
  }

  /**
   * Resolves with the first matching line (replay included: the wait starts when this is called), `closed`, or
   * `timedOut`. Rejects with the read error, or with `signal.reason` when aborted.
   * @throws {@link InvalidOptionError} synchronously for invalid options.
   */
  waitForLine(matcher: LineMatcher, options: WaitForLineOptions): Promise<WaitForLineResult> {
    const operator = waitForLine(matcher, { scheduler: this.scheduler, ...options });
    return firstValueFrom(this.lines$.pipe(operator));
  }

  /**
   * Pipes chunks (replay included) into `sink` through a reliable pull consumer: a slow sink pauses the child, so
   * nothing is lost and memory stays bounded. Resolves after the end of the output once the sink has flushed (or
   * finished, with `end: true`); rejects with {@link SinkWriteError} when the sink fails.
   */
  writeTo(sink: Writable, options?: { readonly end?: boolean }): Promise<WriteToResult> {
    return pumpToSink(this.chunks({ delivery: 'reliable' }), sink, options?.end ?? false);
  }

  /** The reader recorded the end: report it, then end every view (a handler that subscribes now sees the end). */
  private settle(terminal: QueueTerminal, forcedReason: string | undefined): void {
    const stats = this.stats;
    const closed: OutputClosed =
      forcedReason !== undefined
        ? { type: 'forced', forced: true, reason: forcedReason, stats }
        : terminal.kind === 'error'
          ? { type: 'errored', forced: false, error: terminal.error, stats }
          : { type: 'ended', forced: false, stats };
    this.push.end(terminal);
    this.pulls.end(terminal);
    this.closedSubject.next(closed);
    this.closedSubject.complete();
  }
}

/** A collection result that says what was missed before it started; missing anything means truncated. */
function withMissed<R extends { readonly truncated: boolean; readonly missedBytes: number }>(
  result: R,
  missedBytes: number,
): R {
  return missedBytes === 0 ? result : { ...result, missedBytes, truncated: true };
}
