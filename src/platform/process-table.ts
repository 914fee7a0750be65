import {
  type Observable,
  type SchedulerLike,
  asapScheduler,
  asyncScheduler,
  defer,
  exhaustMap,
  from,
  map,
  observeOn,
  of,
  share,
  shareReplay,
  take,
  timer,
} from 'rxjs';
import { unrefScheduler } from '../core/unref-scheduler.js';
import { isLiveState } from './tree.js';
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
  /** Paces and delivers requested scans (someone awaits them, so they keep the program alive). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * Drives the `watch()` tickers. Default: a scheduler whose timers never keep the program running, since background
   * watching must not. Defaults to `scheduler` when only that is given (virtual time in tests).
   */
  readonly watchScheduler?: SchedulerLike;
  /** The shortest gap between two scans. Requests that arrive while a scan is due wait for it and share it. Default 1 ms. */
  readonly minGapMs?: number;
}

/**
 * Scanning may take at most this share of any {@link BUDGET_WINDOW_MS} window, so that however many children poll,
 * the rest of the program keeps at least the other half. A termination's few scans in a row stay under it.
 */
const BUDGET_SHARE = 0.5;
const BUDGET_WINDOW_MS = 100;

/** Remembered environment reads of one process; a process's environment never changes after exec. */
interface EnvEntry {
  readonly startTime: string;
  readonly values: Map<string, string | null>;
}

/**
 * The one process table of the library. Every consumer (group-liveness polls of armed and terminating children,
 * termination snapshots and verification, usage sampling) asks it for a scan taken after its request, and every
 * request waiting at the time of a scan is served by that one scan. Scans happen only while someone asks; a watch
 * (`watch(intervalMs)`) shares one ticker per interval among all its subscribers.
 */
export class ProcessTable {
  private readonly scheduler: SchedulerLike;
  private readonly watchScheduler: SchedulerLike;
  private readonly minGapMs: number;
  private lastScanAt = Number.NEGATIVE_INFINITY;
  private lastScanDuration = 0;
  /** Start and duration of the scans within the last budget window, oldest first. */
  private readonly recent: { readonly at: number; readonly duration: number }[] = [];
  private pending: Observable<TableScan> | undefined;
  private readonly tickers = new Map<number, Observable<TableScan>>();
  private readonly envCache = new Map<number, EnvEntry>();
  // Worked out once per scan, however many children ask about it.
  private readonly liveGroups = new WeakMap<TableScan, ReadonlySet<number>>();
  private readonly carrierIndexes = new WeakMap<TableScan, Map<string, Map<string, ProcessRow[]>>>();
  private scans = 0;

  /** @internal */
  constructor(
    private readonly source: ProcessTableSource,
    options: ProcessTableOptions = {},
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.watchScheduler = options.watchScheduler ?? options.scheduler ?? unrefScheduler;
    this.minGapMs = options.minGapMs ?? 1;
  }

  /** How many scans were taken so far (for benchmarks and tests). */
  get scanCount(): number {
    return this.scans;
  }

  /**
   * One scan taken after this call: the next one due, shared with every other request waiting for it. Emits
   * once and completes; errors when the OS could not be asked.
   */
  fresh(): Observable<TableScan> {
    return defer(() => {
      this.pending ??= this.nextScan();
      // Each request gets the scan in a task of its own: two hundred terminations waiting for one scan then take
      // turns with the rest of the program instead of running back to back in one long task.
      return this.pending.pipe(observeOn(this.scheduler));
    });
  }

  /**
   * Scans every `intervalMs` while subscribed (the first at once); every subscriber of the same interval shares
   * the same ticker, so a hundred `usage$(1000)` cost one scan a second.
   */
  watch(intervalMs: number): Observable<TableScan> {
    let ticker = this.tickers.get(intervalMs);
    if (ticker === undefined) {
      ticker = timer(0, intervalMs, this.watchScheduler).pipe(
        exhaustMap(() => this.fresh()),
        share({ resetOnRefCountZero: true }),
      );
      this.tickers.set(intervalMs, ticker);
    }
    return ticker;
  }

  /** Whether some process of `scan` that is alive (not a zombie) belongs to group `pgid`. */
  hasLiveGroup(scan: TableScan, pgid: number): boolean {
    let groups = this.liveGroups.get(scan);
    if (groups === undefined) {
      const live = new Set<number>();
      for (const row of scan.rows) if (row.pgid !== undefined && isLiveState(row.state)) live.add(row.pgid);
      groups = live;
      this.liveGroups.set(scan, groups);
    }
    return groups.has(pgid);
  }

  /**
   * The processes of `scan` that carry `token` in the environment variable `name` and started after `after`
   * (they cannot be older than the child that passed the token on). The scan is indexed by token once, however
   * many children ask, and each process's environment is read once in its life.
   */
  carriersOf(scan: TableScan, name: string, token: string, after: ProcessIdentity): ProcessRow[] {
    const since = Number(after.startTime);
    const carriers = this.carrierIndex(scan, name).get(token) ?? [];
    return carriers.filter((row) => row.pid !== after.pid && Number(row.startTime) >= since);
  }

  private carrierIndex(scan: TableScan, name: string): Map<string, ProcessRow[]> {
    let byName = this.carrierIndexes.get(scan);
    if (byName === undefined) {
      byName = new Map();
      this.carrierIndexes.set(scan, byName);
    }
    let index = byName.get(name);
    if (index === undefined) {
      index = new Map();
      for (const row of scan.rows) {
        const value = this.envOf(row, name);
        if (value === undefined) continue;
        const rows = index.get(value);
        if (rows === undefined) index.set(value, [row]);
        else rows.push(row);
      }
      byName.set(name, index);
      this.pruneEnvCache(scan);
    }
    return index;
  }

  private envOf(row: ProcessRow, name: string): string | undefined {
    let entry = this.envCache.get(row.pid);
    if (entry === undefined || entry.startTime !== row.startTime) {
      entry = { startTime: row.startTime, values: new Map() };
      this.envCache.set(row.pid, entry);
    }
    const cached = entry.values.get(name);
    if (cached !== undefined) return cached ?? undefined;
    const value = this.source.readEnv(row.pid, name);
    entry.values.set(name, value ?? null);
    return value;
  }

  /** Forgets processes that are gone, once the cache holds clearly more than the machine runs. */
  private pruneEnvCache(scan: TableScan): void {
    if (this.envCache.size <= 2 * scan.rows.length + 64) return;
    for (const pid of this.envCache.keys()) if (!scan.byPid.has(pid)) this.envCache.delete(pid);
  }

  private nextScan(): Observable<TableScan> {
    const delay = Math.max(0, this.lastScanAt + this.minGapMs - this.scheduler.now(), this.budgetDelay());
    // Due now: start at the end of the current task (requests made in it still share the scan), not a timer later.
    const start = delay === 0 && this.scheduler === asyncScheduler ? asapScheduler : this.scheduler;
    const scan$ = timer(delay, start).pipe(
      take(1),
      exhaustMap(() => {
        // From here on, new requests wait for the scan after this one: this one may already be under way.
        this.pending = undefined;
        this.lastScanAt = this.scheduler.now();
        this.scans += 1;
        const rows = this.source.scan();
        return isPromiseLike(rows) ? from(rows).pipe(take(1)) : of(rows);
      }),
      map((rows) => {
        this.lastScanDuration = this.scheduler.now() - this.lastScanAt;
        this.recent.push({ at: this.lastScanAt, duration: this.lastScanDuration });
        return this.record(rows);
      }),
      shareReplay(1),
    );
    // Started at once, so a request that leaves early does not cancel the scan the others wait for.
    scan$.subscribe({ error: () => undefined });
    return scan$;
  }

  private budgetDelay(): number {
    const now = this.scheduler.now();
    while (this.recent.length > 0 && this.recent[0]!.at < now - BUDGET_WINDOW_MS) this.recent.shift();
    return scanBudgetDelay(this.recent, this.lastScanDuration, now);
  }

  private record(rows: readonly ProcessRow[]): TableScan {
    const byPid = new Map<number, ProcessRow>();
    for (const row of rows) byPid.set(row.pid, row);
    return { at: this.lastScanAt, rows, byPid };
  }
}

/** @internal */
/**
 * How long the next scan must wait so that scanning, itself included (estimated by the last scan's duration),
 * takes at most {@link BUDGET_SHARE} of the {@link BUDGET_WINDOW_MS} window that ends with it. `recent`: the scans
 * of the last window, oldest first.
 */
export function scanBudgetDelay(
  recent: readonly { readonly at: number; readonly duration: number }[],
  nextDuration: number,
  now: number,
): number {
  const budget = BUDGET_SHARE * BUDGET_WINDOW_MS - nextDuration;
  let spent = recent.reduce((sum, scan) => sum + scan.duration, 0);
  // Let the oldest scans age out of the window until what is left fits; wait until the last of those has.
  let wait = 0;
  for (const scan of recent) {
    if (spent <= budget) break;
    spent -= scan.duration;
    wait = scan.at + BUDGET_WINDOW_MS - now;
  }
  return Math.max(0, wait);
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
