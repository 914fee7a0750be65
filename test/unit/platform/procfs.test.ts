import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseStat, readStatSync, scanProcSync, stateFromLetter } from '../../../src/platform/procfs.js';

/** A `/proc/<pid>/stat` line with every field a 5.x kernel prints; only the named ones matter. */
function statLine(
  pid: number,
  comm: string,
  f: {
    state?: string;
    ppid?: number;
    pgrp?: number;
    sid?: number;
    start?: number;
    utime?: number;
    stime?: number;
  },
) {
  const { state = 'S', ppid = 1, pgrp = pid, sid = pid, start = 123456, utime = 0, stime = 0 } = f;
  const middle = `0 -1 4194560 96 0 0 0 ${utime} ${stime} 0 0 20 0 1 0`;
  return `${pid} (${comm}) ${state} ${ppid} ${pgrp} ${sid} ${middle} ${start} 2404352 128 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n`;
}

describe('procfs.parseStat', () => {
  it('reads pid, state, ppid, pgrp, session, starttime, comm, CPU ticks and resident pages', () => {
    const info = parseStat(
      statLine(4242, 'sleep', {
        state: 'S',
        ppid: 4000,
        pgrp: 4100,
        sid: 4200,
        start: 987654,
        utime: 250,
        stime: 17,
      }),
    );
    expect(info).to.deep.equal({
      pid: 4242,
      ppid: 4000,
      pgid: 4100,
      sid: 4200,
      state: 'sleeping',
      startTime: '987654',
      command: 'sleep',
      cpuTicks: 267,
      rssPages: 128,
    });
  });

  it('parses a real line captured from this kind of kernel', () => {
    const real =
      '1 (systemd) S 0 1 1 0 -1 4194560 21043 1483941 94 1040 141 224 3212 1462 20 0 1 0 29 22962176 3187 ' +
      '18446744073709551615 1 1 0 0 0 0 671173123 4096 1260 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
    expect(parseStat(real)).to.include({
      pid: 1,
      ppid: 0,
      pgid: 1,
      sid: 1,
      startTime: '29',
      command: 'systemd',
    });
  });

  it('splits after the last ")" so comm may hold spaces and parentheses', () => {
    const tricky = 'a b) (c ) Z 9';
    const info = parseStat(statLine(77, tricky, { state: 'Z', ppid: 5, pgrp: 6, sid: 7, start: 42 }));
    expect(info).to.deep.include({
      pid: 77,
      command: tricky,
      state: 'zombie',
      ppid: 5,
      pgid: 6,
      sid: 7,
      startTime: '42',
    });
  });

  it('keeps an empty comm', () => {
    expect(parseStat(statLine(8, '', {}))?.command).to.equal('');
  });

  for (const bad of [
    '',
    'garbage',
    '12 (x) S 1 2',
    '(x) S 1 2 3',
    'x (y) S 1 2 3 0 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5',
  ]) {
    it(`returns undefined for malformed text ${JSON.stringify(bad)}`, () => {
      expect(parseStat(bad)).to.equal(undefined);
    });
  }

  it('returns undefined when starttime is not a number', () => {
    expect(parseStat(statLine(9, 'x', {}).replace(' 123456 ', ' abc '))).to.equal(undefined);
  });
});

describe('procfs.stateFromLetter', () => {
  const cases: [string, string][] = [
    ['R', 'running'],
    ['S', 'sleeping'],
    ['D', 'disk-sleep'],
    ['T', 'stopped'],
    ['t', 'stopped'],
    ['Z', 'zombie'],
    ['X', 'dead'],
    ['x', 'dead'],
    ['I', 'idle'],
    ['W', 'unknown'],
    ['', 'unknown'],
  ];
  for (const [letter, state] of cases) {
    it(`maps ${JSON.stringify(letter)} to ${state}`, () => {
      expect(stateFromLetter(letter)).to.equal(state);
    });
  }
});

describe('procfs.scanProcSync on a fake /proc', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rxproc-proc-'));
    const add = (name: string, text?: string) => {
      mkdirSync(join(root, name));
      if (text !== undefined) writeFileSync(join(root, name, 'stat'), text);
    };
    add('10', statLine(10, 'a', { ppid: 1 }));
    add('11', statLine(11, 'b c', { ppid: 10, pgrp: 10 }));
    add('12'); // vanished between readdir and read: no stat file
    add('13', 'not a stat line');
    add('self', statLine(10, 'a', {}));
    add('sys');
    writeFileSync(join(root, 'uptime'), '1 2\n');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists the numeric entries that parse and skips the rest', () => {
    const pids = scanProcSync(root)
      .map((p) => p.pid)
      .sort((a, b) => a - b);
    expect(pids).to.deep.equal([10, 11]);
  });

  it('reads one pid, or undefined when it is missing', () => {
    expect(readStatSync(11, root)?.command).to.equal('b c');
    expect(readStatSync(12, root)).to.equal(undefined);
    expect(readStatSync(99, root)).to.equal(undefined);
  });
});
