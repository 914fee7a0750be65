/**
 * The `ps` format used on macOS and its parser. Pure functions, tested on string fixtures since no macOS machine
 * runs the suite.
 *
 * macOS `ps` has no session-id column (`sess` prints a kernel session pointer), so `sid` stays `undefined`.
 * `lstart` has a resolution of one second: good enough to tell a recycled pid from the original in most cases,
 * not in all of them.
 */
import type { ProcessInfo, ProcessRunState } from './types.js';

/** @internal */
/** The `-o` argument: empty headers (`=`), and the command last so spaces in it cannot shift other columns. */
export const PS_FORMAT = 'pid=,ppid=,pgid=,stat=,lstart=,comm=';

/** @internal */
/**
 * The `ps` arguments listing every process (`-A`). `-ww` lifts the column width limit, which would otherwise cut the
 * last column when the output is not a terminal.
 */
export const PS_ALL_ARGS: readonly string[] = ['-A', '-ww', '-o', PS_FORMAT];

/** @internal */
/** The `ps` arguments listing only the given pids. */
export function psPidArgs(pids: readonly number[]): string[] {
  return ['-ww', '-o', PS_FORMAT, '-p', pids.join(',')];
}

/** @internal */
/**
 * BSD `stat` letters (first character; the rest are flags such as `s` or `+`). `I` is a process asleep for more
 * than about 20 s, not a Linux idle kernel thread, so it counts as sleeping; `U` is an uninterruptible wait.
 */
export function darwinState(stat: string): ProcessRunState {
  switch (stat.charAt(0)) {
    case 'R':
      return 'running';
    case 'S':
    case 'I':
      return 'sleeping';
    case 'U':
    case 'D':
      return 'disk-sleep';
    case 'T':
      return 'stopped';
    case 'Z':
      return 'zombie';
    default:
      return 'unknown';
  }
}

// pid, ppid, pgid, stat, then lstart as "Mon Jan  5 10:30:00 2024" (five words), then the command to the end.
const linePattern = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+\s+\S+\s+\d+\s+\d+:\d+:\d+\s+\d+)(?:\s+(.*))?$/;

/** @internal */
/** Parses one line of `ps -o` {@link PS_FORMAT} output, or `undefined` when it is not in that shape. */
export function parsePsLine(line: string): ProcessInfo | undefined {
  const match = linePattern.exec(line);
  if (match === null) return undefined;
  const [, pid, ppid, pgid, stat, lstart, command] = match;
  return {
    pid: Number(pid),
    ppid: Number(ppid),
    pgid: Number(pgid),
    sid: undefined,
    state: darwinState(stat!),
    // Runs of blanks vary with the day of the month's width; identity compares text, so normalise them.
    startTime: lstart!.replace(/\s+/g, ' '),
    command: (command ?? '').trimEnd(),
  };
}

/** @internal */
/** Parses a whole `ps` listing, skipping lines that do not parse (headers, truncated lines). */
export function parsePsListing(output: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const line of output.split('\n')) {
    const info = parsePsLine(line);
    if (info !== undefined) found.push(info);
  }
  return found;
}

/** @internal */
/** Parses `ps -o pgid=` output for one process. */
export function parsePgid(output: string): number | undefined {
  const text = output.trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
