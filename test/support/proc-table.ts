/** Looking processes up in `/proc` by their command line, for tests that must find what escaped a tree. */
import { readdirSync, readFileSync } from 'node:fs';
import { readStatSync } from '../../src/platform/procfs.js';
import type { ProcessIdentity } from '../../src/index.js';

/** Every live process whose command line is exactly `cmdline` (arguments joined by spaces). */
export function processesRunning(cmdline: string): ProcessIdentity[] {
  const found: ProcessIdentity[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (text !== cmdline) continue;
    const stat = readStatSync(Number(entry));
    if (stat !== undefined && stat.state !== 'zombie')
      found.push({ pid: stat.pid, startTime: stat.startTime });
  }
  return found;
}

/** The kernel's own figure of a process's resident memory (`VmRSS`), in bytes. */
export function kernelRssBytes(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}
