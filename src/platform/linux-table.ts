/**
 * The Linux source of the process table: one pass over `/proc/<pid>/stat` gives identity, group, session, parent,
 * state, CPU time and resident memory of every process; environments are read from `/proc/<pid>/environ` only for
 * the few processes a marker search asks about.
 */
import { readFileSync, statSync } from 'node:fs';
import { readStatSync, scanProcSync } from './procfs.js';
import type { ProcessRow, ProcessTableSource } from './process-table.js';

/**
 * Clock ticks per second of `utime`/`stime`. The kernel reports them in USER_HZ, which is 100 on every
 * architecture Linux supports today (sysconf(_SC_CLK_TCK)); Node offers no sysconf to ask.
 */
const TICKS_PER_SECOND = 100;

let pageSize: number | undefined;

/** @internal */
/**
 * The page size, for RSS in bytes: this process's resident bytes as Node measures them divided by its resident
 * pages as the kernel lists them, rounded to the nearest power of two (4096 on x86-64, 16384 or 65536 elsewhere).
 */
export function systemPageSize(): number {
  if (pageSize !== undefined) return pageSize;
  const own = readStatSync(process.pid);
  const ratio = own === undefined || own.rssPages === 0 ? 4096 : process.memoryUsage().rss / own.rssPages;
  pageSize = 2 ** Math.round(Math.log2(ratio));
  return pageSize;
}

/** @internal */
/** The table's rows from `/proc`, and environment reads limited to this user's processes. */
export function linuxTableSource(procRoot = '/proc'): ProcessTableSource {
  const ownUid = process.getuid?.();
  return {
    scan(): ProcessRow[] {
      const bytesPerPage = systemPageSize();
      return scanProcSync(procRoot).map((stat) => ({
        pid: stat.pid,
        ppid: stat.ppid,
        pgid: stat.pgid,
        sid: stat.sid,
        startTime: stat.startTime,
        state: stat.state,
        command: stat.command,
        cpuMs: (stat.cpuTicks * 1000) / TICKS_PER_SECOND,
        rssBytes: stat.rssPages * bytesPerPage,
      }));
    },

    readEnv(pid: number, name: string): string | undefined {
      try {
        // Only this user's processes: another user's process carrying the marker is not ours to kill.
        if (ownUid !== undefined && statSync(`${procRoot}/${pid}`).uid !== ownUid) return undefined;
        return findVariable(readFileSync(`${procRoot}/${pid}/environ`, 'latin1'), name);
      } catch {
        return undefined; // gone, or not readable
      }
    },
  };
}

/** @internal */
/** The value of `name` in a NUL-separated `environ` block. */
export function findVariable(environ: string, name: string): string | undefined {
  const prefix = `${name}=`;
  let start = 0;
  while (start < environ.length) {
    let end = environ.indexOf('\0', start);
    if (end === -1) end = environ.length;
    if (environ.startsWith(prefix, start)) return environ.slice(start + prefix.length, end);
    start = end + 1;
  }
  return undefined;
}
