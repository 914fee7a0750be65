/**
 * The leak guard of last resort. Every worker runs with a marker variable in its environment, which every child
 * it starts inherits whatever library started it. Any process still carrying the marker after a worker ended is a
 * leak; it is found in `/proc/<pid>/environ` (Linux) and killed. This also catches children of a worker that was
 * killed on timeout, which no in-process `finally` could reach: they run in their own process groups.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that marks processes started by this bench run. */
export const MARKER_NAME = 'RXPROC_BENCH_RUN';

/** A value unique to this run, so a concurrent bench run (or test run) is never touched. */
export const markerValue = `${process.pid}-${Date.now()}`;

function carriesMarker(pid: number, needle: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle);
  } catch {
    return false; // gone, or not ours to read
  }
}

/** Kills every process of this run that is still alive; returns how many were found. No-op off Linux. */
export function sweepLeaks(): number {
  if (process.platform !== 'linux') return 0;
  const needle = `${MARKER_NAME}=${markerValue}`;
  let found = 0;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isSafeInteger(pid) || pid <= 1 || pid === process.pid) continue;
    if (!carriesMarker(pid, needle)) continue;
    found += 1;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  return found;
}
