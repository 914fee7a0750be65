import { expect } from 'chai';
import { infoFromPpidLinks, isLiveState, selectTree } from '../../../src/platform/tree.js';
import type { ProcessInfo } from '../../../src/platform/types.js';

function proc(pid: number, ppid: number, pgid: number | undefined, sid: number | undefined): ProcessInfo {
  return { pid, ppid, pgid, sid, state: 'sleeping', startTime: String(pid * 10), command: `p${pid}` };
}

describe('tree.selectTree', () => {
  const root = { pid: 100, pgid: 100, sid: 100 };
  const all = [
    proc(1, 0, 1, 1),
    proc(50, 1, 50, 50), // the runner: unrelated
    proc(100, 50, 100, 100), // the root
    proc(101, 100, 100, 100), // plain child
    proc(102, 1, 100, 100), // reparented, still in the group
    proc(103, 1, 103, 100), // left the group (setpgid), still in the session
    proc(104, 101, 104, 104), // setsid grandchild, found only by parent link
    proc(105, 104, 104, 104), // its child
    proc(200, 1, 200, 200), // unrelated
  ];

  it('takes group, session and parent-link members, root included, in listing order', () => {
    expect(selectTree(all, root).map((p) => p.pid)).to.deep.equal([100, 101, 102, 103, 104, 105]);
  });

  it('still finds the group and session once the root is gone', () => {
    const withoutRoot = all.filter((p) => p.pid !== 100 && p.pid !== 101);
    expect(selectTree(withoutRoot, root).map((p) => p.pid)).to.deep.equal([102, 103]);
  });

  it('never matches an unknown pgid or sid', () => {
    const blind = [
      proc(100, 1, undefined, undefined),
      proc(7, 1, undefined, undefined),
      proc(8, 100, undefined, undefined),
    ];
    expect(selectTree(blind, root).map((p) => p.pid)).to.deep.equal([100, 8]);
  });

  it('survives parent-link cycles and self-parented entries', () => {
    const odd = [proc(0, 0, 0, 0), proc(100, 101, 9, 9), proc(101, 100, 9, 9)];
    expect(selectTree(odd, root).map((p) => p.pid)).to.deep.equal([100, 101]);
  });
});

describe('tree.infoFromPpidLinks', () => {
  it('maps links to blind entries and drops a root that has no ppid (gone)', () => {
    const infos = infoFromPpidLinks([{ pid: 9 }, { pid: 10, ppid: 9 }]);
    expect(infos).to.deep.equal([
      { pid: 10, ppid: 9, pgid: undefined, sid: undefined, state: 'unknown', startTime: '', command: '' },
    ]);
  });
});

describe('tree.isLiveState', () => {
  it('treats zombies and dead entries as not alive', () => {
    expect(isLiveState('zombie')).to.equal(false);
    expect(isLiveState('dead')).to.equal(false);
    expect(isLiveState('stopped')).to.equal(true);
    expect(isLiveState('unknown')).to.equal(true);
  });
});
