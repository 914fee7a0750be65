import { Observable, Subject } from 'rxjs';

/** @internal */
/**
 * A hot stream that replays, to late subscribers, its first event (how the process started) and its most recent
 * `capacity` events, then continues live. Memory stays bounded however long the process lives.
 */
export class EventLog<E> {
  private first: E | undefined;
  private readonly recent: E[] = [];
  private readonly live = new Subject<E>();
  private completed = false;

  constructor(private readonly capacity: number) {}

  /** The stream: replay first, then live events; completes when the log does. */
  readonly events$: Observable<E> = new Observable<E>((subscriber) => {
    const replay = this.first === undefined ? [...this.recent] : [this.first, ...this.recent];
    // Subscribe before replaying so nothing emitted by a replay handler is lost; it may arrive before the rest of
    // the replay, which is the lesser harm.
    const subscription = this.completed ? undefined : this.live.subscribe(subscriber);
    for (const event of replay) {
      if (subscriber.closed) break;
      subscriber.next(event);
    }
    if (this.completed) subscriber.complete();
    return subscription;
  });

  /** Records an event and delivers it to current subscribers. Ignored after completion. */
  emit(event: E): void {
    if (this.completed) return;
    if (this.first === undefined) {
      this.first = event;
    } else {
      this.recent.push(event);
      if (this.recent.length > this.capacity) this.recent.shift();
    }
    this.live.next(event);
  }

  /** Ends the stream for current and future subscribers. */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    this.live.complete();
  }
}
