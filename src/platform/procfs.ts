/**
 * Reading Linux `/proc/<pid>/stat`. The parse step is pure so it can be tested on strings; the read steps are
 * synchronous on purpose: a `/proc` read never blocks on a disk, and the synchronous form is also what the
 * process `'exit'` handler needs.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import type { ProcessInfo, ProcessRunState } from './types.js';

const PROC_ROOT = '/proc';

/** The subset of `/proc/<pid>/stat` the library needs, under the names of {@link ProcessInfo}. */
export type ProcStat = ProcessInfo;

/** Linux `stat` state letters; anything unexpected (older kernels used `W`, `K`, `P`) becomes `unknown`. */
export function stateFromLetter(letter: string): ProcessRunState {
  switch (letter) {
    case 'R':
      return 'running';
    case 'S':
      return 'sleeping';
    case 'D':
      return 'disk-sleep';
    case 'T':
    case 't':
      return 'stopped';
    case 'Z':
      return 'zombie';
    case 'X':
    case 'x':
      return 'dead';
    case 'I':
      return 'idle';
    default:
      return 'unknown';
  }
}

function toInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Parses the text of one `/proc/<pid>/stat` file, or returns `undefined` when it is not in the expected shape.
 *
 * `comm` sits in parentheses and may itself contain spaces and `)`, so the fixed fields are found after the
 * *last* `)`. After it, field 3 (state) is the first token and field 22 (starttime) the twentieth.
 */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return undefined;
  const pid = toInt(text.slice(0, open).trim());
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0];
  const ppid = toInt(rest[1]);
  const pgid = toInt(rest[2]);
  const sid = toInt(rest[3]);
  const startTime = rest[19];
  if (pid === undefined || state === undefined || ppid === undefined || pgid === undefined) return undefined;
  if (sid === undefined || startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  return {
    pid,
    ppid,
    pgid,
    sid,
    startTime,
    state: stateFromLetter(state),
    command: text.slice(open + 1, close),
  };
}

/**
 * Reads and parses `/proc/<pid>/stat`; `undefined` when the process does not exist (or vanished while being read).
 * `latin1` keeps every byte of an odd `comm` as one character, so the `)` search cannot be fooled by bad UTF-8.
 */
export function readStatSync(pid: number, procRoot = PROC_ROOT): ProcStat | undefined {
  const text = readSmallFileSync(`${procRoot}/${pid}/stat`);
  return text === undefined ? undefined : parseStat(text);
}

// /proc files report a size of 0, so readFileSync allocates a fresh 64 KiB buffer for each one; a stat line fits
// in a few hundred bytes, so one reused buffer serves every read (reads are synchronous, never interleaved).
const statBuffer = Buffer.allocUnsafe(4096);

function readSmallFileSync(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    let length = 0;
    for (let read = -1; read !== 0 && length < statBuffer.length; length += read) {
      read = readSync(fd, statBuffer, length, statBuffer.length - length, null);
    }
    return statBuffer.toString('latin1', 0, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * One pass over every `/proc/<pid>/stat`. Processes that exit between the directory listing and the read are
 * skipped, so the result is "every process that existed for the whole pass" plus possibly some that did not.
 */
export function scanProcSync(procRoot = PROC_ROOT): ProcStat[] {
  const found: ProcStat[] = [];
  for (const entry of readdirSync(procRoot)) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    const stat = readStatSync(Number(entry), procRoot);
    if (stat !== undefined) found.push(stat);
  }
  return found;
}
