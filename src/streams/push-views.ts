import { Observable } from 'rxjs';
import type { Subscriber } from 'rxjs';
import { LineParser } from '../core/line-parser.js';
import type { LineParserOptions } from '../core/line-parser.js';
import type { QueueTerminal } from './pull-queue.js';
import type { ReplayLog } from './replay-log.js';

/** @internal */
/**
 * The hot push views of one stream, `chunks$` and `lines$`, fanned out by hand rather than through Subjects: a
 * subscriber must get the replay and be registered for live data in one synchronous step, so that nothing falls
 * between the two and nothing arrives twice. Lines are parsed once for all `lines$` subscribers, and only while
 * there is one; a new subscriber's replay parser, which ends in exactly the state a live parser would be in, becomes
 * the live parser when there is none.
 * @internal
 */
export class PushViews {
  /** Hot byte chunks: replay, then live chunks; completes at end, errors on a read error. */
  readonly chunks$: Observable<Buffer>;
  /** Hot lines: replayed lines, then live ones; the unterminated last line is emitted at end (not on error). */
  readonly lines$: Observable<string>;

  private chunkTargets: readonly Subscriber<Buffer>[] = [];
  private lineTargets: readonly Subscriber<string>[] = [];
  /** The `lines$` subscribers of the chunk being parsed: the parser's sink is one shared function, not a closure. */
  private emitTargets: readonly Subscriber<string>[] = [];
  private liveParser: LineParser | undefined;
  private emitted = 0;

  constructor(
    private readonly replay: ReplayLog,
    private readonly lineOptions: LineParserOptions,
    /** How the stream ended, once it has: a late subscriber gets the replay, then that end. */
    private readonly terminal: () => QueueTerminal | undefined,
  ) {
    this.chunks$ = new Observable<Buffer>((subscriber) => this.subscribeChunks(subscriber));
    this.lines$ = new Observable<string>((subscriber) => this.subscribeLines(subscriber));
  }

  /** Lines emitted on `lines$` (each counted once, however many subscribers it reached). */
  get linesEmitted(): number {
    return this.emitted;
  }

  /** Sends a live chunk to the `chunks$` subscribers, then its lines to the `lines$` subscribers. */
  publish(chunk: Buffer): void {
    // Captured before dispatch: anyone subscribing from inside a handler got this chunk through the replay.
    const parser = this.liveParser;
    const lineTargets = this.lineTargets;
    const chunkTargets = this.chunkTargets;
    for (let i = 0; i < chunkTargets.length; i++) chunkTargets[i]!.next(chunk);
    if (parser !== undefined) {
      const previous = this.emitTargets;
      this.emitTargets = lineTargets;
      parser.write(chunk, this.emitLine);
      this.emitTargets = previous;
    }
  }

  /** Before the end is recorded: a clean end flushes the unterminated last line; an error drops it. */
  flushLastLine(terminal: QueueTerminal): void {
    const parser = this.liveParser;
    if (parser === undefined || terminal.kind !== 'end') return;
    this.emitTargets = this.lineTargets;
    parser.finish(this.emitLine);
    this.emitTargets = [];
  }

  /** Completes (or errors) every subscriber. The end must be recorded already, so no one can register meanwhile. */
  end(terminal: QueueTerminal): void {
    this.liveParser = undefined;
    const targets = [...this.chunkTargets, ...this.lineTargets];
    this.chunkTargets = [];
    this.lineTargets = [];
    for (const target of targets) {
      if (terminal.kind === 'error') target.error(terminal.error);
      else target.complete();
    }
  }

  /** Fans a parsed line out to the `lines$` subscribers of the chunk being published. */
  private readonly emitLine = (line: string): void => {
    this.emitted++;
    const targets = this.emitTargets;
    if (targets.length === 1) targets[0]!.next(line);
    else for (let i = 0; i < targets.length; i++) targets[i]!.next(line);
  };

  private subscribeChunks(subscriber: Subscriber<Buffer>): (() => void) | undefined {
    const snapshot = this.replay.snapshot();
    for (let i = 0; i < snapshot.length && !subscriber.closed; i++) subscriber.next(snapshot[i]!);
    if (this.deliverTerminal(subscriber)) return undefined;
    this.chunkTargets = [...this.chunkTargets, subscriber];
    return () => {
      this.chunkTargets = this.chunkTargets.filter((s) => s !== subscriber);
    };
  }

  private subscribeLines(subscriber: Subscriber<string>): (() => void) | undefined {
    const parser = new LineParser(this.lineOptions);
    if (this.replay.joinsMidLine) parser.onGap();
    const sink = (line: string): void => subscriber.next(line);
    for (const chunk of this.replay.snapshot()) {
      if (subscriber.closed) return undefined;
      parser.write(chunk, sink);
    }
    if (this.terminal()?.kind === 'end') parser.finish(sink);
    if (this.deliverTerminal(subscriber)) return undefined;
    // The replay parser is in exactly the state a live parser would be in after the retained bytes.
    this.liveParser ??= parser;
    this.lineTargets = [...this.lineTargets, subscriber];
    return () => {
      this.lineTargets = this.lineTargets.filter((s) => s !== subscriber);
      if (this.lineTargets.length === 0) this.liveParser = undefined;
    };
  }

  /** Completes or errors a late subscriber; true when the stream had ended (or the subscriber left). */
  private deliverTerminal(subscriber: Subscriber<unknown>): boolean {
    if (subscriber.closed) return true;
    const terminal = this.terminal();
    if (terminal === undefined) return false;
    if (terminal.kind === 'error') subscriber.error(terminal.error);
    else subscriber.complete();
    return true;
  }
}
