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

/** When the writer slows the services down, and when it drops. */
export interface WriterBounds {
  /** Over this many buffered bytes, `pause()` is called until the sink drains. */
  readonly pauseAtBytes: number;
  /** Over this many (what arrives while paused: the chunks already read), lines are dropped and counted. */
  readonly dropAtBytes: number;
  /** Holds the producers back (the supervisor's `pauseOutput`); returns what lets them go. */
  pause(): () => void;
  /** The line that says how many lines were dropped. */
  droppedLine(count: number): string;
}

/**
 * Writes complete lines to `sink` with backpressure: past `pauseAtBytes` buffered it pauses the producers until the
 * sink drains, so services block on their writes rather than the runner growing; past `dropAtBytes` (only what was
 * already read when the pause began) lines are dropped and counted, and a marker line says how many once there is
 * room again. Memory stays bounded and no loss is silent.
 */
export function boundedWriter(sink: TextSink, bounds: WriterBounds): BoundedWriter {
  let dropped = 0;
  let droppedSinceMarker = 0;
  let release: (() => void) | undefined;
  const writeMarker = (): void => {
    if (droppedSinceMarker === 0 || sink.destroyed === true) return;
    sink.write(bounds.droppedLine(droppedSinceMarker));
    droppedSinceMarker = 0;
  };
  return {
    write(text) {
      if (sink.destroyed === true) return;
      if (sink.writableLength > bounds.dropAtBytes) {
        const lines = countLines(text);
        dropped += lines;
        droppedSinceMarker += lines;
        return;
      }
      writeMarker();
      sink.write(text);
      if (release === undefined && sink.writableLength > bounds.pauseAtBytes) {
        release = bounds.pause();
        sink.once('drain', () => {
          release?.();
          release = undefined;
        });
      }
    },
    get dropped() {
      return dropped;
    },
    flushed() {
      writeMarker();
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
