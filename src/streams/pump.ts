import type { Writable } from 'node:stream';
import { SinkGuard } from '../core/sink-guard.js';
import type { WriteToResult } from '../operators/write-to.js';
import type { SinkOverflowError, SinkWriteError } from '../core/sink-errors.js';
import type { OutputIterator } from './pull-iterators.js';

/** @internal */
/**
 * Moves chunks from a (reliable) pull consumer into `sink`, waiting for `'drain'` whenever the sink asks to, so a
 * slow sink holds back the pull consumer and, through it, the child. Rejects with {@link SinkWriteError} when the
 * sink fails, or with the read error when the source fails. Always detaches the consumer.
 * @internal
 */
export async function pumpToSink(
  chunks: OutputIterator<Buffer>,
  sink: Writable,
  end: boolean,
): Promise<WriteToResult> {
  let failure: SinkWriteError | SinkOverflowError | undefined;
  let wake: (() => void) | undefined;
  const guard = new SinkGuard(sink, (error) => {
    failure = error;
    wake?.();
    // Also ends a pull that waits for more output: a failed sink must not wait for the child's next write.
    void chunks.return();
  });
  const onDrain = (): void => wake?.();
  sink.on('drain', onDrain);
  let chunksWritten = 0;
  try {
    for await (const chunk of chunks) {
      if (failure !== undefined) break;
      chunksWritten++;
      if (!guard.write(chunk) && failure === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      if (failure !== undefined) break;
    }
    if (failure === undefined) {
      if (end) guard.end();
      if (guard.pendingWrites > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          guard.onIdle = resolve;
        });
      }
    }
  } finally {
    sink.off('drain', onDrain);
    guard.release();
    await chunks.return();
  }
  if (failure !== undefined) throw failure;
  return { bytesWritten: guard.bytesWritten, chunksWritten };
}
