import { expect } from 'chai';
import {
  darwinState,
  parsePgid,
  parsePsLine,
  parsePsListing,
  PS_ALL_ARGS,
  psPidArgs,
} from '../../../src/platform/ps-output.js';
import { PS_LISTING } from './darwin-fixtures.js';

describe('ps-output (macOS ps parsing)', () => {
  it('asks for every process, unlimited width, command last', () => {
    expect(PS_ALL_ARGS).to.deep.equal(['-A', '-ww', '-o', 'pid=,ppid=,pgid=,stat=,lstart=,comm=']);
    expect(psPidArgs([5, 6])).to.deep.equal([
      '-ww',
      '-o',
      'pid=,ppid=,pgid=,stat=,lstart=,comm=',
      '-p',
      '5,6',
    ]);
  });

  it('parses one line, normalising the blanks in lstart', () => {
    expect(parsePsLine('  400     1   400 S    Tue Feb  6 10:29:59 2024     /bin/zsh')).to.deep.equal({
      pid: 400,
      ppid: 1,
      pgid: 400,
      sid: undefined,
      state: 'sleeping',
      startTime: 'Tue Feb 6 10:29:59 2024',
      command: '/bin/zsh',
    });
  });

  it('keeps spaces and parentheses in the command', () => {
    const line =
      '  600   500   600 Ss   Tue Feb  6 10:30:01 2024     /Applications/My App.app/Contents/MacOS/My App (helper)';
    expect(parsePsLine(line)?.command).to.equal('/Applications/My App.app/Contents/MacOS/My App (helper)');
  });

  it('accepts a line with an empty command', () => {
    expect(parsePsLine('9 1 9 S Mon Jan 15 09:00:01 2024')).to.include({ pid: 9, command: '' });
  });

  for (const bad of [
    '',
    'PID PPID PGID STAT STARTED COMMAND',
    '12 1 S Mon Jan 15 09:00:01 2024 x',
    '12 1 12 S yesterday x',
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(parsePsLine(bad)).to.equal(undefined);
    });
  }

  it('parses a whole listing, skipping blank lines', () => {
    const all = parsePsListing(PS_LISTING);
    expect(all.map((p) => p.pid)).to.deep.equal([1, 400, 500, 600, 601, 602, 603, 700]);
    expect(all.map((p) => p.state)).to.deep.equal([
      'sleeping',
      'sleeping',
      'sleeping',
      'sleeping',
      'zombie',
      'stopped',
      'sleeping',
      'running',
    ]);
  });

  it('maps BSD state letters', () => {
    expect(['R', 'S', 'I', 'U', 'T', 'Z', 'X', ''].map(darwinState)).to.deep.equal([
      'running',
      'sleeping',
      'sleeping',
      'disk-sleep',
      'stopped',
      'zombie',
      'unknown',
      'unknown',
    ]);
  });

  it('parses a pgid answer', () => {
    expect(parsePgid('  500\n')).to.equal(500);
    expect(parsePgid('')).to.equal(undefined);
  });
});
