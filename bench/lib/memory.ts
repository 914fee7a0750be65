/**
 * Resident-set-size measurement of the current process. RSS is what the OS charges the parent for, heap and
 * native buffers (pipes, handles) alike, which `heapUsed` alone would miss.
 */

const gcFunction = (globalThis as { gc?: () => void }).gc;

/** True when the process runs with `--expose-gc`, so baselines are taken after a full collection. */
export const gcAvailable = gcFunction !== undefined;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The RSS to measure growth from: taken after two full collections (the second frees what the first's finalizers
 * released), with an event-loop turn between so closed handles are really gone.
 */
export async function settledRss(): Promise<number> {
  for (let i = 0; i < 2; i += 1) {
    gcFunction?.();
    await nextTurn();
  }
  return process.memoryUsage.rss();
}

/**
 * Tracks the peak RSS over a run: a timer samples while the event loop is free, and {@link RssSampler.sample}
 * is called at the points where the peak is expected (a synchronous spawn loop gives the timer no chance).
 */
export class RssSampler {
  private peakBytes = 0;
  private timer: NodeJS.Timeout | undefined;

  // Each sample reads /proc/self/stat; 10 ms keeps that well under 1% of the measured time.
  constructor(private readonly intervalMs = 10) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakBytes) this.peakBytes = rss;
  }

  /** Stops sampling (idempotent) and returns the peak RSS seen, in bytes. */
  stop(): number {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return this.peakBytes;
  }
}
