/**
 * Reading Linux `/proc/<pid>/stat`. The parse step is pure so it can be tested on strings; the read steps are
 * synchronous on purpose: a `/proc` read never blocks on a disk, and the synchronous form is also what the
 * process `'exit'` handler needs.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import type { ProcessInfo, ProcessRunState } from './types.js';

const PROC_ROOT = '/proc';

/** @internal */
/** The subset of `/proc/<pid>/stat` the library needs, under the names of {@link ProcessInfo}. */
export interface ProcStat extends ProcessInfo {
  /** CPU time used so far, user plus system, in clock ticks (`utime + stime`). */
  readonly cpuTicks: number;
  /** Resident set size, in pages. */
  readonly rssPages: number;
}

/** @internal */
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

/** The decimal integer in `bytes[start, end)`, optionally negative; `undefined` for anything else or empty. */
function intBetween(bytes: Uint8Array, start: number, end: number): number | undefined {
  let i = start;
  const negative = bytes[i] === 45; // '-'
  if (negative) i++;
  if (i >= end) return undefined;
  let value = 0;
  for (; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return Number.isSafeInteger(value) ? (negative ? -value : value) : undefined;
}

const SPACE = 32;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;

/** Fields after `comm`, 0-based from field 3 (state): field n of proc(5) is index n − 3. */
const PPID = 1;
const PGRP = 2;
const SESSION = 3;
const UTIME = 11;
const STIME = 12;
const STARTTIME = 19;
const RSS = 21;

/** @internal */
/**
 * Parses the text of one `/proc/<pid>/stat` file, or returns `undefined` when it is not in the expected shape.
 * See {@link parseStatBytes}.
 */
export function parseStat(text: string): ProcStat | undefined {
  return parseStatBytes(Buffer.from(text, 'latin1'), text.length);
}

/** @internal */
/**
 * Parses the first `length` bytes of a `/proc/<pid>/stat` file.
 *
 * `comm` sits in parentheses and may itself contain spaces and `)`, so the fixed fields are found after the
 * *last* `)`. After it, field 3 (state) is the first token and field 22 (starttime) the twentieth. A snapshot
 * parses every process on the machine, so this reads the bytes in place: no string is made but `comm` and
 * `starttime`.
 */
export function parseStatBytes(bytes: Buffer, length: number): ProcStat | undefined {
  const line = bytes.subarray(0, length);
  const open = line.indexOf(OPEN_PAREN);
  const close = line.lastIndexOf(CLOSE_PAREN);
  if (open < 1 || close < open || line[close + 1] !== SPACE) return undefined;
  let pidEnd = open;
  while (pidEnd > 0 && line[pidEnd - 1] === SPACE) pidEnd--;
  const pid = intBetween(line, 0, pidEnd);
  const stateStart = close + 2;
  if (pid === undefined || line[stateStart + 1] !== SPACE) return undefined;
  let ppid: number | undefined;
  let pgid: number | undefined;
  let sid: number | undefined;
  let startTime: string | undefined;
  let utime = 0;
  let stime = 0;
  let rssPages = 0;
  let start = stateStart + 2;
  for (let field = 1; field <= RSS && start < length; field++) {
    let end = line.indexOf(SPACE, start);
    if (end === -1) end = length;
    if (field === PPID) ppid = intBetween(line, start, end);
    else if (field === PGRP) pgid = intBetween(line, start, end);
    else if (field === SESSION) sid = intBetween(line, start, end);
    else if (field === UTIME) utime = intBetween(line, start, end) ?? 0;
    else if (field === STIME) stime = intBetween(line, start, end) ?? 0;
    else if (field === RSS) rssPages = Math.max(0, intBetween(line, start, end) ?? 0);
    else if (field === STARTTIME) {
      const value = intBetween(line, start, end);
      if (value !== undefined && value >= 0) startTime = line.toString('latin1', start, end);
    }
    start = end + 1;
  }
  if (ppid === undefined || pgid === undefined || sid === undefined || startTime === undefined)
    return undefined;
  return {
    pid,
    ppid,
    pgid,
    sid,
    startTime,
    cpuTicks: utime + stime,
    rssPages,
    state: stateFromLetter(String.fromCharCode(line[stateStart]!)),
    command: line.toString('latin1', open + 1, close),
  };
}

/** @internal */
/**
 * Reads and parses `/proc/<pid>/stat`; `undefined` when the process does not exist (or vanished while being read).
 * `latin1` keeps every byte of an odd `comm` as one character, so the `)` search cannot be fooled by bad UTF-8.
 */
export function readStatSync(pid: number, procRoot = PROC_ROOT): ProcStat | undefined {
  const length = readSmallFileSync(`${procRoot}/${pid}/stat`);
  return length === undefined ? undefined : parseStatBytes(statBuffer, length);
}

// /proc files report a size of 0, so readFileSync allocates a fresh 64 KiB buffer for each one; a stat line fits
// in a few hundred bytes, so one reused buffer serves every read (reads are synchronous, never interleaved).
const statBuffer = Buffer.allocUnsafe(4096);

/** Reads a small file into {@link statBuffer}; returns how many bytes it holds, or `undefined` if unreadable. */
function readSmallFileSync(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    // procfs hands a stat file (a few hundred bytes, far below the buffer) over in one read; reading again only to
    // see end-of-file would double the cost of a scan.
    return readSync(fd, statBuffer, 0, statBuffer.length, null);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** @internal */
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

/** @internal */
/** The signal masks of `/proc/<pid>/status` (`SigBlk`, `SigIgn`, `SigCgt`), as bit sets; signal n is bit n − 1. */
export interface SignalMasks {
  readonly blocked: bigint;
  readonly ignored: bigint;
  readonly caught: bigint;
}

/** @internal */
/** Parses the signal masks out of the text of a `/proc/<pid>/status` file; `undefined` if one is missing. */
export function parseSignalMasks(status: string): SignalMasks | undefined {
  const mask = (name: string): bigint | undefined => {
    const match = new RegExp(`^${name}:\\s*([0-9a-fA-F]+)$`, 'm').exec(status);
    return match?.[1] === undefined ? undefined : BigInt(`0x${match[1]}`);
  };
  const blocked = mask('SigBlk');
  const ignored = mask('SigIgn');
  const caught = mask('SigCgt');
  if (blocked === undefined || ignored === undefined || caught === undefined) return undefined;
  return { blocked, ignored, caught };
}

/** @internal */
/** Reads the signal masks of a live process; `undefined` when it is gone or unreadable. */
export function readSignalMasksSync(pid: number, procRoot = PROC_ROOT): SignalMasks | undefined {
  try {
    return parseSignalMasks(readFileSync(`${procRoot}/${pid}/status`, 'latin1'));
  } catch {
    return undefined;
  }
}
