import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

/** One scheduled piece of work; rescheduling from inside the work (as `timer` and `interval` do) reuses it. */
class UnrefAction<T> extends Subscription implements SchedulerAction<T> {
  private handle: NodeJS.Timeout | undefined;

  constructor(private readonly work: (this: SchedulerAction<T>, state?: T) => void) {
    super(() => this.clear());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.clear();
    this.handle = setTimeout(() => {
      this.handle = undefined;
      this.work.call(this, state);
    }, delay);
    // The point of this scheduler: watching must never be the reason the program keeps running.
    this.handle.unref();
    return this;
  }

  private clear(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
  }
}

/** @internal */
/**
 * Like `asyncScheduler`, but its timers do not keep Node's event loop alive. For background watching that must not
 * hold a program open: the shared process table's scans and tickers (a group watched after its leader exited, a
 * usage sampler). A program whose own work is done exits; its `'exit'` cleanup then runs as usual.
 */
export const unrefScheduler: SchedulerLike = {
  now: () => Date.now(),
  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    return new UnrefAction<T>(work).schedule(state, delay);
  },
};
