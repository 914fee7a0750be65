import { expect } from 'chai';
import { Subject } from 'rxjs';
import { colorEnabled, serviceColor } from '../../../../src/cli/render/color.js';
import { formatClock } from '../../../../src/cli/render/format.js';
import { linesRenderer } from '../../../../src/cli/render/lines.js';
import type { LinesOptions } from '../../../../src/cli/render/lines.js';
import type { OutputLine, SupervisorEvent } from '../../../../src/supervisor/state-types.js';
import { out, stoppedEvent } from './fixtures.js';

interface Harness {
  writes: string[];
  output$: Subject<OutputLine>;
  events$: Subject<SupervisorEvent>;
  flush(): void;
  lines(): string[];
}

/** A renderer whose flushes run only when the test says so. */
function harness(over: Partial<LinesOptions> = {}): Harness {
  const writes: string[] = [];
  const queued: (() => void)[] = [];
  const output$ = new Subject<OutputLine>();
  const events$ = new Subject<SupervisorEvent>();
  const renderer = linesRenderer({
    write: (t) => writes.push(t),
    color: false,
    timestamps: false,
    names: ['api', 'worker'],
    schedule: (f) => queued.push(f),
    ...over,
  });
  renderer.attach({ output$, events$ });
  return {
    writes,
    output$,
    events$,
    flush: () => queued.splice(0).forEach((f) => f()),
    lines: () => writes.join('').split('\n').slice(0, -1),
  };
}

describe('lines renderer', () => {
  it('pads names to the widest and marks stderr with a heavy bar', () => {
    const h = harness();
    h.output$.next(out('api', 'hello'));
    h.output$.next(out('worker', 'oops', 'stderr'));
    h.flush();
    expect(h.lines()).to.deep.equal(['api    │ hello', 'worker ┃ oops']);
  });

  it('batches the lines of one tick into one write, each write ending in a newline', () => {
    const h = harness();
    for (let i = 0; i < 5; i++) h.output$.next(out('api', `l${i}`));
    expect(h.writes).to.have.length(0);
    h.flush();
    h.output$.next(out('worker', 'next'));
    h.flush();
    expect(h.writes).to.have.length(2);
    for (const w of h.writes) expect(w.endsWith('\n')).to.equal(true);
  });

  it('waits for drain under backpressure without splitting lines', () => {
    const written: string[] = [];
    let drain: (() => void) | undefined;
    const sink = {
      write: (t: string) => (written.push(t), written.length > 1),
      once: (_e: 'drain', l: () => void) => (drain = l),
    };
    const h = harness({ write: sink });
    h.output$.next(out('api', 'a'));
    h.flush();
    h.output$.next(out('api', 'b'));
    h.output$.next(out('api', 'c'));
    h.flush();
    expect(written).to.have.length(1);
    drain!();
    expect(written).to.deep.equal(['api    │ a\n', 'api    │ b\napi    │ c\n']);
  });

  it('colours names with a stable 256-colour code, keeps child ANSI and resets after it', () => {
    const h = harness({ color: true });
    h.output$.next(out('api', '\x1b[32mgreen'));
    h.output$.next(out('api', 'bad', 'stderr'));
    h.flush();
    const text = h.writes.join('');
    expect(text).to.include(`\x1b[38;5;${serviceColor('api')}mapi   \x1b[39m`);
    expect(text).to.include('\x1b[32mgreen\x1b[0m');
    expect(text).to.include('\x1b[31m┃\x1b[39m bad');
    expect(serviceColor('api')).to.equal(serviceColor('api'));
  });

  it('strips child ANSI and adds no escape at all when colour is off', () => {
    const h = harness();
    h.output$.next(out('api', '\x1b[31mred\x1b[0m text'));
    h.events$.next({ type: 'ready', service: 'api', at: 0, afterMs: 1200 });
    h.flush();
    expect(h.writes.join('')).not.to.include('\x1b');
    expect(h.lines()[0]).to.equal('api    │ red text');
  });

  it('cuts over-long lines with a marker saying how much was left out', () => {
    const h = harness({ maxLineLength: 10 });
    h.output$.next(out('api', 'x'.repeat(1244)));
    h.output$.next({ ...out('api', 'cut up'), truncated: true });
    h.flush();
    expect(h.lines()).to.deep.equal([
      `api    │ ${'x'.repeat(10)}…[+1234 chars]`,
      'api    │ cut up…[truncated]',
    ]);
  });

  it('fits lines to the width when one is given', () => {
    const h = harness({ width: 20 });
    h.output$.next(out('api', 'abcdefghijklmnopqrstuvwxyz'));
    h.flush();
    expect(h.lines()[0]).to.equal('api    │ abcdefghij…');
  });

  it('keeps only the final state of carriage-return progress lines', () => {
    const h = harness();
    h.output$.next(out('api', '10%\r50%\r100%'));
    h.flush();
    expect(h.lines()[0]).to.equal('api    │ 100%');
  });

  it('writes lifecycle lines, joining an exit with the restart it causes', () => {
    const h = harness();
    const e = h.events$;
    e.next({ type: 'started', service: 'api', at: 0, pid: 1234, run: 1 });
    e.next({ type: 'ready', service: 'api', at: 0, afterMs: 1200 });
    e.next({ type: 'exited', service: 'worker', at: 0, status: { code: 1, signal: null }, expected: false });
    e.next({ type: 'restartScheduled', service: 'worker', at: 0, delayMs: 4000, restart: 3, maxRestarts: 5 });
    e.next({ type: 'failed', service: 'worker', at: 0, reason: 'restarts exhausted' });
    e.next({ type: 'skipped', service: 'e2e', at: 0, reason: 'db failed' });
    e.next({ type: 'stopping', service: 'api', at: 0, holdouts: [1234, 1240] });
    e.next(stoppedEvent('api'));
    e.next({ type: 'shutdown', at: 0, stage: 'started', reason: { type: 'signal', signal: 'SIGINT' } });
    e.next({ type: 'status', service: 'api', at: 0, status: 'running', previous: 'starting' });
    h.flush();
    expect(h.lines()).to.deep.equal([
      'api    ◆ started (pid 1234)',
      'api    ◆ ready in 1.2 s',
      'worker ◆ exited 1 — restart 3/5 in 4 s',
      'worker ◆ failed: restarts exhausted',
      'e2e    ◆ skipped: db failed',
      'api    ◆ stopping (holdouts: 1234, 1240)',
      'api    ◆ stopped (SIGTERM, 0.3 s)',
      '       ◆ stopping all (SIGINT) — press Ctrl-C again to kill',
    ]);
  });

  it('writes a restart on its own line when its exit was already written', () => {
    const h = harness();
    h.events$.next({
      type: 'exited',
      service: 'worker',
      at: 0,
      status: { code: 1, signal: null },
      expected: false,
    });
    h.flush();
    h.output$.next(out('api', 'between'));
    h.events$.next({
      type: 'restartScheduled',
      service: 'worker',
      at: 0,
      delayMs: 500,
      restart: 1,
      maxRestarts: Infinity,
    });
    h.flush();
    expect(h.lines()).to.deep.equal([
      'worker ◆ exited 1',
      'api    │ between',
      'worker ◆ restart 1/∞ in 0.5 s',
    ]);
  });

  it('prefixes the local time when timestamps are on', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 67);
    const h = harness({ timestamps: true, now: () => t });
    h.output$.next(out('api', 'x'));
    h.flush();
    expect(h.lines()[0]).to.equal(`${formatClock(t)} api    │ x`);
    expect(formatClock(t)).to.match(/^\d\d:04:05\.067$/);
  });

  it('flushes what is pending when unsubscribed', () => {
    const writes: string[] = [];
    const renderer = linesRenderer({
      write: (t) => writes.push(t),
      color: false,
      timestamps: false,
      names: ['a'],
      schedule: () => {},
    });
    const output$ = new Subject<OutputLine>();
    const sub = renderer.attach({ output$, events$: new Subject() });
    output$.next(out('a', 'last'));
    sub.unsubscribe();
    expect(writes).to.deep.equal(['a │ last\n']);
  });
});

describe('colorEnabled', () => {
  it('follows NO_COLOR, then FORCE_COLOR, then the TTY', () => {
    expect(colorEnabled({ isTTY: true }, {})).to.equal(true);
    expect(colorEnabled({ isTTY: false }, {})).to.equal(false);
    expect(colorEnabled({}, { FORCE_COLOR: '1' })).to.equal(true);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).to.equal(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).to.equal(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).to.equal(true);
  });
});
