import {
  type Observable,
  type SchedulerLike,
  defer,
  exhaustMap,
  from,
  map,
  of,
  share,
  shareReplay,
  take,
  timer,
} from 'rxjs';
import { unrefScheduler } from '../core/unref-scheduler.js';
import type { ProcessIdentity, ProcessInfo } from './types.js';

/** One process as a table scan saw it. */
export interface ProcessRow extends ProcessInfo {
  /** CPU time used so far (user + system), in milliseconds; `undefined` where the OS listing has none. */
  readonly cpuMs: number | undefined;
  /** Resident memory in bytes; `undefined` where the OS listing has none. */
  readonly rssBytes: number | undefined;
}

/** Every process on the machine at one instant. */
export interface TableScan {
  /** Scheduler time when the scan was taken. */
  readonly at: number;
  readonly rows: readonly ProcessRow[];
  readonly byPid: ReadonlyMap<number, ProcessRow>;
}

/** @internal */
/** Where the rows come from: `/proc` on Linux, one `ps` call elsewhere. */
export interface ProcessTableSource {
  /** Lists every process now. */
  scan(): ProcessRow[] | PromiseLike<ProcessRow[]>;
  /**
   * The value of the environment variable `name` in a process's environment, or `undefined` when it is unset or
   * cannot be read (another user's process, a process that is gone, a platform that cannot tell).
   */
  readEnv(pid: number, name: string): string | undefined;
}

/** @internal */
/** How the table paces its scans. */
export interface ProcessTableOptions {
  /** Default: a scheduler whose timers never keep the program running (background watching must not). */
  readonly scheduler?: SchedulerLike;
  /**
   * The shortest gap between two scans. Requests that arrive while a scan is due wait for it and share it, so
   * however many children are polled, the table scans at most once per gap. Default 20 ms.
   */
  readonly minGapMs?: number;
}

/** Environment reads remembered per process identity; a process's environment never changes after exec. */
const ENV_CACHE_LIMIT = 8192;

/**
 * The one process table of the library. Every consumer (group-liveness polls of armed and terminating children,
 * termination snapshots and verification, usage sampling) asks it for a scan taken after its request, and every
 * request waiting at the time of a scan is served by that one scan. Scans happen only while someone asks; a watch
 * (`watch(intervalMs)`) shares one ticker per interval among all its subscribers.
 */
export class ProcessTable {
  private readonly scheduler: SchedulerLike;
  private readonly minGapMs: number;
  private lastScanAt = Number.NEGATIVE_INFINITY;
  private latestScan: TableScan | undefined;
  private pending: Observable<TableScan> | undefined;
  private readonly tickers = new Map<number, Observable<TableScan>>();
  private readonly envCache = new Map<string, string | null>();
  private scans = 0;

  /** @internal */
  constructor(
    private readonly source: ProcessTableSource,
    options: ProcessTableOptions = {},
  ) {
    this.scheduler = options.scheduler ?? unrefScheduler;
    this.minGapMs = options.minGapMs ?? 20;
  }

  /** How many scans were taken so far (for benchmarks and tests). */
  get scanCount(): number {
    return this.scans;
  }

  /** The newest scan, if any. */
  get latest(): TableScan | undefined {
    return this.latestScan;
  }

  /**
   * One scan taken after this call: the next one due, shared with every other request waiting for it. Emits
   * once and completes; errors when the OS could not be asked.
   */
  fresh(): Observable<TableScan> {
    return defer(() => {
      this.pending ??= this.nextScan();
      return this.pending;
    });
  }

  /**
   * Scans every `intervalMs` while subscribed (the first at once); every subscriber of the same interval shares
   * the same ticker, so a hundred `usage$(1000)` cost one scan a second.
   */
  watch(intervalMs: number): Observable<TableScan> {
    let ticker = this.tickers.get(intervalMs);
    if (ticker === undefined) {
      ticker = timer(0, intervalMs, this.scheduler).pipe(
        exhaustMap(() => this.fresh()),
        share({ resetOnRefCountZero: true }),
      );
      this.tickers.set(intervalMs, ticker);
    }
    return ticker;
  }

  /**
   * The processes of `scan` that carry `token` in the environment variable `name` and started after `after`
   * (they cannot be older than the child that passed the token on). Each process's environment is read once.
   */
  carriersOf(scan: TableScan, name: string, token: string, after: ProcessIdentity): ProcessRow[] {
    const since = Number(after.startTime);
    const found: ProcessRow[] = [];
    for (const row of scan.rows) {
      if (row.pid === after.pid || !(Number(row.startTime) >= since)) continue;
      if (this.envOf(row, name) === token) found.push(row);
    }
    return found;
  }

  private envOf(row: ProcessRow, name: string): string | undefined {
    const key = `${row.pid}:${row.startTime}:${name}`;
    const cached = this.envCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const value = this.source.readEnv(row.pid, name);
    if (this.envCache.size >= ENV_CACHE_LIMIT) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.envCache.keys().next().value;
      if (oldest !== undefined) this.envCache.delete(oldest);
    }
    this.envCache.set(key, value ?? null);
    return value;
  }

  private nextScan(): Observable<TableScan> {
    const delay = Math.max(0, this.lastScanAt + this.minGapMs - this.scheduler.now());
    const scan$ = timer(delay, this.scheduler).pipe(
      take(1),
      exhaustMap(() => {
        // From here on, new requests wait for the scan after this one: this one may already be under way.
        this.pending = undefined;
        this.lastScanAt = this.scheduler.now();
        this.scans += 1;
        const rows = this.source.scan();
        return isPromiseLike(rows) ? from(rows).pipe(take(1)) : of(rows);
      }),
      map((rows) => this.record(rows)),
      shareReplay(1),
    );
    // Started at once, so a request that leaves early does not cancel the scan the others wait for.
    scan$.subscribe({ error: () => undefined });
    return scan$;
  }

  private record(rows: readonly ProcessRow[]): TableScan {
    const byPid = new Map<number, ProcessRow>();
    for (const row of rows) byPid.set(row.pid, row);
    const scan: TableScan = { at: this.lastScanAt, rows, byPid };
    this.latestScan = scan;
    return scan;
  }
}

/** @internal */
/**
 * A table over a listing that has no CPU or memory figures (one `ps` call on macOS, ps-list on Windows) and no way
 * to read environments.
 */
export function listingTable(
  list: () => Promise<ProcessInfo[]>,
  options?: ProcessTableOptions,
): ProcessTable {
  return new ProcessTable(
    {
      scan: async () => (await list()).map((info) => ({ ...info, cpuMs: undefined, rssBytes: undefined })),
      readEnv: () => undefined,
    },
    options,
  );
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as Partial<PromiseLike<T>> | null)?.then === 'function';
}
