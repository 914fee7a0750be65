/** Where the runner's text goes: a stream that may be slower than the services writing to it. */
export interface TextSink {
  write(text: string): boolean;
  readonly writableLength: number;
  /** True once the stream failed or was closed (a reader that went away): nothing more can be written. */
  readonly destroyed?: boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
}

/** A writer that never buffers more than a bound, and says how much it dropped. */
export interface BoundedWriter {
  /** Writes whole lines (text ending with a newline); drops them while the sink is over the bound. */
  write(text: string): void;
  /** Lines dropped so far. */
  readonly dropped: number;
  /** Resolves once everything written so far has left for the sink. */
  flushed(): Promise<void>;
}

/**
 * Writes complete lines to `sink`, holding at most `maxBufferedBytes` in the sink's buffer: beyond that, lines are
 * dropped and counted, and once the sink is under the bound again a marker line says how many (`droppedLine(n)`). A terminal or pipe
 * that reads slower than a hundred services write must not make the runner's memory grow without bound, and a loss
 * is never silent.
 */
export function boundedWriter(
  sink: TextSink,
  maxBufferedBytes: number,
  droppedLine: (count: number) => string,
): BoundedWriter {
  let dropped = 0;
  let droppedSinceMarker = 0;
  return {
    write(text) {
      if (sink.destroyed === true) return;
      // Only the excess is dropped: as soon as the sink's buffer is back under the bound, lines flow again (waiting
      // for a full 'drain' instead would drop everything while a busy runner flushes a long queue).
      if (sink.writableLength > maxBufferedBytes) {
        const lines = countLines(text);
        dropped += lines;
        droppedSinceMarker += lines;
        return;
      }
      if (droppedSinceMarker > 0) {
        sink.write(droppedLine(droppedSinceMarker));
        droppedSinceMarker = 0;
      }
      sink.write(text);
    },
    get dropped() {
      return dropped;
    },
    flushed() {
      if (droppedSinceMarker > 0 && sink.destroyed !== true) {
        sink.write(droppedLine(droppedSinceMarker));
        droppedSinceMarker = 0;
      }
      if (sink.writableLength === 0 || sink.destroyed === true) return Promise.resolve();
      return new Promise((resolve) => {
        sink.once('drain', () => resolve());
        sink.once('close', () => resolve());
      });
    },
  };
}

function countLines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count += 1;
  return count;
}
