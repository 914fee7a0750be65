import { readFileSync } from 'node:fs';

/** True when the pid exists and is not a zombie. */
export function isPidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** SIGKILLs a whole group, ignoring "already gone". For test cleanup only. */
export function killGroup(pgid: number | undefined): void {
  if (pgid === undefined || pgid <= 1) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Registers an afterEach that SIGKILLs the group of every handle passed to the returned function and waits for
 * its exit, so a failing test cannot leave its children to the next one. Call inside a `describe`.
 */
export function trackProcesses(): <P extends { readonly pid: number | undefined; wait(): Promise<unknown> }>(
  proc: P,
) => P {
  const started: Array<{ readonly pid: number | undefined; wait(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const proc of started.splice(0)) {
      killGroup(proc.pid);
      await proc.wait().catch(() => undefined);
    }
  });
  return (proc) => {
    started.push(proc);
    return proc;
  };
}
