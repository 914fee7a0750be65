import { toError } from '../core/errors.js';
import { type Observable, type Subscription, AsyncSubject, EMPTY, catchError } from 'rxjs';
import type { ExitStatus } from '../core/exit-status.js';
import type { ProcessEvent } from '../process/events.js';
import type { InstanceContext } from './instance-context.js';
import type { ServiceProcess } from './service-process.js';
import type { ServiceUsage } from './state-types.js';

/** @internal */
export interface RunObserver {
  event(event: ProcessEvent): void;
  line(stream: 'stdout' | 'stderr', line: string): void;
  usage(usage: ServiceUsage): void;
  /** Both output streams ended (after the exit, bounded by the handle's EOF timeout). */
  outputEnded(): void;
  /** The leader exited (`status`), or the spawn failed (`error`). */
  exited(status: ExitStatus | undefined, error: Error | undefined): void;
}

/** @internal */
/**
 * Follows one run's events, lines, usage and exit until each ends by itself: a stop of the instance cancels its
 * loop, not this, so the output written while stopping and the final exit are still recorded. Returns an
 * Observable that emits and completes once the exit was recorded (it never errors).
 */
export function observeRun(
  process: ServiceProcess,
  context: InstanceContext,
  observer: RunObserver,
): Observable<void> {
  const exited = new AsyncSubject<void>();
  let usage: Subscription | undefined;
  const interval = context.usageIntervalMs;
  process.events$.pipe(catchError(() => EMPTY)).subscribe((event) => {
    // Usage is measured from the spawn on: before it there is no process to look at.
    if (event.type === 'spawned' && interval !== false && usage === undefined) {
      usage = process
        .usage$(interval)
        .pipe(catchError(() => EMPTY))
        .subscribe((sample) => observer.usage(sample));
    }
    observer.event(event);
  });
  process.lines$.pipe(catchError(() => EMPTY)).subscribe({
    next: ({ stream, line }) => observer.line(stream, line),
    complete: () => observer.outputEnded(),
  });
  process.exit$.subscribe({
    next: (status) => {
      usage?.unsubscribe();
      observer.exited(status, undefined);
      exited.next();
      exited.complete();
    },
    error: (error: unknown) => {
      usage?.unsubscribe();
      observer.exited(undefined, toError(error));
      exited.next();
      exited.complete();
    },
  });
  return exited.asObservable();
}
