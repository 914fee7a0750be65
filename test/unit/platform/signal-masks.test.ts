import { expect } from 'chai';
import { dispositionOf } from '../../../src/platform/linux.js';
import { parseSignalMasks } from '../../../src/platform/procfs.js';

const status = [
  'Name:\tsleep',
  'State:\tS (sleeping)',
  'SigQ:\t0/94105',
  'SigPnd:\t0000000000000000',
  'ShdPnd:\t0000000000000000',
  'SigBlk:\t0000000000010000',
  'SigIgn:\t0000000000000006',
  'SigCgt:\t0000000000004000',
  '',
].join('\n');

describe('signal masks from /proc/<pid>/status', () => {
  it('parses SigBlk, SigIgn and SigCgt as bit sets', () => {
    expect(parseSignalMasks(status)).to.deep.equal({ blocked: 0x10000n, ignored: 0x6n, caught: 0x4000n });
  });

  it('returns undefined when a mask is missing', () => {
    expect(parseSignalMasks('Name:\tx\nSigIgn:\t0\n')).to.equal(undefined);
  });

  it('tells ignored, blocked, caught and default apart (signal n is bit n - 1)', () => {
    const masks = parseSignalMasks(status)!;
    const bit = (signal: number): bigint => 1n << BigInt(signal - 1);
    expect(dispositionOf(masks, bit(2)), 'SIGINT').to.equal('ignored');
    expect(dispositionOf(masks, bit(3)), 'SIGQUIT').to.equal('ignored');
    expect(dispositionOf(masks, bit(15)), 'SIGTERM').to.equal('caught');
    expect(dispositionOf(masks, bit(17)), 'SIGCHLD').to.equal('blocked');
    expect(dispositionOf(masks, bit(1)), 'SIGHUP').to.equal('default');
  });

  it('ranks ignoring over blocking over a handler', () => {
    const all = { blocked: 0b10n, ignored: 0b10n, caught: 0b10n };
    expect(dispositionOf(all, 0b10n)).to.equal('ignored');
    expect(dispositionOf({ ...all, ignored: 0n }, 0b10n)).to.equal('blocked');
  });
});
