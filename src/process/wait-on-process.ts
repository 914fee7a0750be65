import type { Observable, SchedulerLike } from 'rxjs';
import { validateDuration } from '../core/durations.js';
import { InvalidOptionError } from '../core/errors.js';
import type { ExitStatus } from '../core/exit-status.js';
import type { CollectBytesOptions } from '../operators/collect-bytes.js';
import type { CollectLinesOptions } from '../operators/collect-lines.js';
import { GracefulShutdown } from '../termination/graceful-shutdown.js';
import type { StopReason, TerminationReport } from '../termination/types.js';
import type { ProcessStdin } from './stdin.js';
import type { OutputStream } from '../streams/output-stream.js';
import { type BytesOutput, type LinesOutput, OutputCollector } from './collect-output.js';
import { waitForExit, type WaitOptions, type WaitOutcome } from './wait.js';

/** @internal */
/** What `wait()` needs from its handle. */
export interface WaitSubject {
  readonly exit$: Observable<ExitStatus>;
  readonly scheduler: SchedulerLike;
  readonly streams: { readonly stdout: OutputStream; readonly stderr: OutputStream };
  /** Ends both output streams now (after the EOF timeout). */
  readonly forceCloseOutput: (reason: string) => void;
  /** The handle's `eofTimeoutMs`; `null` waits for the real end of output. */
  readonly defaultEofTimeoutMs: number | null;
  readonly terminate: (shutdown: GracefulShutdown) => Promise<TerminationReport>;
  /** The child's stdin, ended before the wait unless `closeStdin: false`. */
  readonly stdin: ProcessStdin;
  /** Why rxproc was stopping the child when it exited, if it was (the `exited` outcome says so). */
  readonly endedBecause: () => StopReason | undefined;
}

/** @internal */
/**
 * The whole of `proc.wait()`: validate, start collecting output if asked (before waiting, so nothing between the
 * call and the exit is missed), race the exit against the timeout and the abort signal, terminate on timeout if
 * asked, then give the output a bounded time to end.
 */
export async function waitOnProcess(
  subject: WaitSubject,
  options: WaitOptions,
): Promise<WaitOutcome | WaitOutcome<LinesOutput> | WaitOutcome<BytesOutput>> {
  const { orTerminate, output } = options;
  if (orTerminate !== undefined) GracefulShutdown.check('wait.orTerminate', orTerminate);
  if (output !== undefined && output !== 'lines' && output !== 'bytes') {
    throw new InvalidOptionError('wait.output', output, "'lines' or 'bytes'");
  }
  const eofTimeoutMs =
    options.eofTimeoutMs === undefined
      ? subject.defaultEofTimeoutMs
      : validateDuration('wait.eofTimeoutMs', options.eofTimeoutMs);
  // A child reading to end-of-file would never exit while we hold its stdin open.
  if (options.closeStdin !== false && subject.stdin.writable) subject.stdin.end().catch(() => undefined);
  const collector =
    output === undefined
      ? undefined
      : new OutputCollector(
          subject.streams,
          output === 'lines'
            ? { kind: 'lines', bounds: options.collect as CollectLinesOptions | undefined }
            : { kind: 'bytes', bounds: options.collect as CollectBytesOptions | undefined },
        );
  let outcome: WaitOutcome;
  try {
    const exitOrTimeout = await waitForExit(subject.exit$, subject.scheduler, options);
    if (exitOrTimeout.type === 'timedOut' && orTerminate !== undefined) {
      const report = await subject.terminate(orTerminate);
      outcome = { type: 'terminated', timeoutMs: exitOrTimeout.timeoutMs, status: report.status, report };
    } else {
      const because = subject.endedBecause();
      outcome =
        exitOrTimeout.type === 'exited' && because !== undefined
          ? { ...exitOrTimeout, endedBecause: because }
          : exitOrTimeout;
    }
  } catch (error) {
    await collector?.stop();
    throw error;
  }
  if (collector === undefined) return outcome;
  const collected =
    outcome.type === 'timedOut'
      ? await collector.stop()
      : await collector.finish(eofTimeoutMs, subject.scheduler, subject.forceCloseOutput);
  return { ...outcome, output: collected } as WaitOutcome<LinesOutput | BytesOutput>;
}
