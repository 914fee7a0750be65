import { expect } from 'chai';
import { map, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import sinon from 'sinon';
import { type ProcessRow, ProcessTable, scanBudgetDelay } from '../../../src/platform/process-table.js';

function row(pid: number, startTime: string): ProcessRow {
  return {
    pid,
    startTime,
    ppid: 1,
    pgid: pid,
    sid: pid,
    state: 'sleeping',
    command: 'x',
    cpuMs: 0,
    rssBytes: 0,
  };
}

function setup(rows: () => ProcessRow[] = () => [row(10, '5')]) {
  const scheduler = new TestScheduler((actual, expected) => {
    expect(actual).to.deep.equal(expected);
  });
  const scan = sinon.spy(rows);
  const readEnv = sinon.spy((pid: number) => (pid === 30 ? 'token' : undefined));
  const table = new ProcessTable({ scan, readEnv }, { scheduler, minGapMs: 20 });
  return { scheduler, table, scan, readEnv };
}

describe('ProcessTable (virtual time)', () => {
  it('serves every request waiting at the time of a scan from that one scan', () => {
    const { scheduler, table, scan } = setup();
    scheduler.run(({ expectObservable }) => {
      const at = table.fresh().pipe(map((s) => s.at));
      expectObservable(at).toBe('(a|)', { a: 0 });
      expectObservable(at).toBe('(a|)', { a: 0 });
      expectObservable(at).toBe('(a|)', { a: 0 });
    });
    expect(scan.callCount).to.equal(1);
    expect(table.scanCount).to.equal(1);
  });

  it('scans at most once per gap: requests after a scan wait for the next slot and share it', () => {
    const { scheduler, table, scan } = setup();
    const answers: [asked: number, answered: number, scanAt: number][] = [];
    const ask = (): void => {
      const asked = scheduler.now();
      table.fresh().subscribe((s) => answers.push([asked, scheduler.now(), s.at]));
    };
    scheduler.run(() => {
      ask();
      scheduler.schedule(ask, 5);
      scheduler.schedule(ask, 15);
      scheduler.schedule(ask, 60);
    });
    expect(answers).to.deep.equal([
      [0, 0, 0],
      [5, 20, 20],
      [15, 20, 20],
      [60, 60, 60],
    ]);
    expect(scan.callCount).to.equal(3);
  });

  it('shares one ticker per interval among watchers, and stops scanning when the last one leaves', () => {
    const { scheduler, table, scan } = setup();
    scheduler.run(({ expectObservable }) => {
      const at = table.watch(100).pipe(map((s) => s.at));
      expectObservable(at, '^ 250ms !').toBe('a 99ms b 99ms c', { a: 0, b: 100, c: 200 });
      expectObservable(at, '^ 150ms !').toBe('a 99ms b', { a: 0, b: 100 });
    });
    // Three ticks for two watchers; nothing after the last one left at 250 ms (the flush runs to the end).
    expect(scan.callCount).to.equal(3);
  });

  it('serves a watcher that joins later from the same ticker, not from a ticker of its own', () => {
    const { scheduler, table, scan } = setup();
    scheduler.run(({ expectObservable, cold }) => {
      const at = table.watch(100).pipe(map((s) => s.at));
      expectObservable(at, '^ 250ms !').toBe('a 99ms b 99ms c', { a: 0, b: 100, c: 200 });
      cold('50ms x').subscribe(() => {
        at.pipe(take(2)).subscribe();
      });
    });
    // A ticker of its own would have scanned at 50 and 150 too.
    expect(scan.callCount).to.equal(3);
  });

  it('fails the requests of a scan that fails, and scans again for the next request', () => {
    let fail = true;
    const { scheduler, table } = setup(() => {
      if (fail) throw new Error('ps failed');
      return [row(10, '5')];
    });
    scheduler.run(({ expectObservable }) => {
      expectObservable(table.fresh().pipe(map((s) => s.rows.length))).toBe(
        '#',
        undefined,
        new Error('ps failed'),
      );
    });
    fail = false;
    scheduler.run(({ expectObservable }) => {
      expectObservable(table.fresh().pipe(map((s) => s.rows.length))).toBe('20ms (a|)', { a: 1 });
    });
  });

  it('finds the carriers of a marker among processes started after the leader, reading each environment once', () => {
    const { scheduler, table, readEnv } = setup(() => [
      row(10, '5'),
      row(20, '4'),
      row(30, '9'),
      row(40, '7'),
    ]);
    scheduler.run(({ expectObservable }) => {
      const carriers = () =>
        table
          .fresh()
          .pipe(map((scan) => table.carriersOf(scan, 'RXPROC_TREE', 'token', { pid: 10, startTime: '5' })));
      expectObservable(carriers().pipe(map((rows) => rows.map((r) => r.pid)))).toBe('(a|)', { a: [30] });
    });
    scheduler.run(({ expectObservable }) => {
      const again = table
        .fresh()
        .pipe(
          map((scan) => table.carriersOf(scan, 'RXPROC_TREE', 'token', { pid: 10, startTime: '5' }).length),
        );
      expectObservable(again).toBe('20ms (a|)', { a: 1 });
    });
    // Pid 20 started before the leader: it carries nothing for this leader. Each environment is read once, in
    // the first scan's index; the second scan reads none.
    expect(readEnv.args.map(([pid]) => pid)).to.deep.equal([10, 20, 30, 40]);
  });

  describe('scan budget (half of any 100 ms)', () => {
    it('lets a few scans in a row go at once', () => {
      expect(scanBudgetDelay([], 3, 0)).to.equal(0);
      expect(
        scanBudgetDelay(
          [
            { at: 0, duration: 3 },
            { at: 10, duration: 3 },
          ],
          3,
          20,
        ),
      ).to.equal(0);
    });

    it('makes back-to-back scans wait until older ones leave the window', () => {
      // 16 scans of 3 ms in the last 80 ms: 48 ms spent, 3 more would pass the 50 ms budget.
      const recent = Array.from({ length: 16 }, (_, i) => ({ at: i * 5, duration: 3 }));
      expect(scanBudgetDelay(recent, 3, 80)).to.equal(20); // the scan at 0 leaves the window at 100
    });

    it('never waits for a scan that alone costs more than the budget longer than a window', () => {
      expect(scanBudgetDelay([{ at: 0, duration: 60 }], 60, 70)).to.equal(30);
    });
  });
});
