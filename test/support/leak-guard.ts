/**
 * Root hooks that make the suite fail when a test leaves a process alive.
 *
 * Every process the suite starts inherits RXPROC_TEST_MARKER from this runner (set before any test runs), and keeps
 * it even after `setsid` or a double fork. After each test we scan `/proc/<pid>/environ` for the marker: survivors
 * get a short grace to finish dying, then are SIGKILLed and reported as a failure of that test.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Context } from 'mocha';
import { waitUntil, WaitTimeoutError } from './wait.js';

export const MARKER_NAME = 'RXPROC_TEST_MARKER';
const markerValue = `${process.pid}-${randomUUID()}`;
process.env[MARKER_NAME] = markerValue;
const needle = Buffer.from(`${MARKER_NAME}=${markerValue}`);

interface Leaked {
  pid: number;
  state: string;
  cmdline: string;
}

function readStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Live (non-zombie) processes that carry this run's marker, other than the runner itself. */
export function findMarkedProcesses(): Leaked[] {
  if (process.platform !== 'linux') return [];
  const found: Leaked[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue;
    }
    if (!environ.includes(needle)) continue;
    const stat = readStat(pid);
    if (stat === undefined || stat.state === 'Z' || stat.state === 'X') continue;
    if (stat.ppid === process.pid && isTsxCompilerService(pid)) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      // it exited while we looked
    }
    found.push({ pid, state: stat.state, cmdline });
  }
  return found;
}

/** tsx compiles test files through a long-lived esbuild service, a child of this runner that is not a leak. */
function isTsxCompilerService(pid: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/exe`).includes('/@esbuild/');
  } catch {
    return false;
  }
}

/** The marked processes still alive once `graceMs` has passed, or none as soon as every one has exited. */
async function survivorsAfterGrace(graceMs: number): Promise<Leaked[]> {
  try {
    await waitUntil('every process the test started has exited', () => findMarkedProcesses().length === 0, {
      timeoutMs: graceMs,
    });
    return [];
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    return findMarkedProcesses();
  }
}

export const mochaHooks = {
  async afterEach(this: Context): Promise<void> {
    const leaked = await survivorsAfterGrace(1000);
    if (leaked.length === 0) return;
    for (const { pid } of leaked) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const title = this.currentTest?.fullTitle() ?? 'unknown test';
    const list = leaked.map((p) => `  pid ${p.pid} [${p.state}] ${p.cmdline}`).join('\n');
    throw new Error(`"${title}" left ${leaked.length} process(es) alive (now killed):\n${list}`);
  },
};
