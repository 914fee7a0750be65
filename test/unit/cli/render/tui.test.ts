import { expect } from 'chai';
import { LEAVE_SEQUENCE } from '../../../../src/cli/render/tui/terminal.js';
import { out, service } from './fixtures.js';
import { startHarness } from './tui-harness.js';
import type { TuiHarness } from './tui-harness.js';

const services = [
  service('db', { pid: 101, readiness: 'ready' }),
  service('api', { pid: 102, dependsOn: { db: 'ready' } }),
  service('web', { status: 'waiting', pid: undefined, dependsOn: { api: 'ready' }, waitingFor: ['api'] }),
  service('worker', { status: 'failed', pid: undefined, reason: 'restarts exhausted', restarts: 5 }),
];

/** The number of absolute cursor moves (`ESC [ row ; col H`) in a piece of output. */
function cursorMoves(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.match(/\x1b\[\d+;\d+H/g)?.length ?? 0;
}

describe('TUI', () => {
  let h: TuiHarness;
  beforeEach(() => {
    h = startHarness(services);
  });
  afterEach(() => h.tui.dispose());

  it('enters the alternate screen in raw mode and draws the header and the table in tree order', async () => {
    expect(h.term.buffer.active.type).to.equal('normal');
    const screen = await h.screen();
    expect(h.term.buffer.active.type).to.equal('alternate');
    expect(h.input.setRawMode.calledWith(true)).to.equal(true);
    expect(screen[0]).to.match(/^rxproc · shop +2 running · 1 waiting · 1 failed/);
    expect(screen[1]).to.match(/NAME +STATUS +READY +RESTARTS +UPTIME +PID/);
    expect(screen[2]).to.match(/^›● db +running +ready +0\/5 .* 101 /);
    expect(screen[3]).to.match(/^ ● {3}api +running .* 102 /);
    expect(screen[4]).to.match(/^ ○ {5}web +waiting .*waiting for api$/);
    expect(screen[5]).to.match(/^ ✗ worker +failed +- +5\/5 .*restarts exhausted$/);
    expect(screen[29]).to.match(/^↑↓ select · a all\/one/);
  });

  it('redraws at most once per frame, and only the row that changed', async () => {
    await h.screen();
    const before = h.output.writes.length;
    h.setServices([services[0]!, { ...services[1]!, pid: 202 }, ...services.slice(2)]);
    h.setServices([services[0]!, { ...services[1]!, pid: 203 }, ...services.slice(2)]);
    h.advance(32);
    expect(h.output.writes.length).to.equal(before);
    h.advance(1);
    expect(h.output.writes.length).to.equal(before + 1);
    const frame = h.output.writes.at(-1)!;
    expect(cursorMoves(frame)).to.equal(1);
    expect(frame).to.include('203');
    expect((await h.screen())[3]).to.match(/ 203 /);
    h.advance(100);
    expect(h.output.writes.length).to.equal(before + 1);
  });

  it('shows merged logs with lifecycle lines, then the selected service only', async () => {
    h.output$.next(out('api', 'listening on :3000'));
    h.output$.next(out('db', 'WARN \x1b[31mslow\x1b[0m', 'stderr'));
    h.events$.next({ type: 'ready', service: 'api', at: 0, afterMs: 1200 });
    h.advance(33);
    let screen = await h.screen();
    expect(screen[6]).to.match(/^── logs: all · following ─+$/);
    expect(screen.slice(26, 29)).to.deep.equal([
      'api    │ listening on :3000',
      'db     ┃ WARN slow',
      'api    ◆ ready in 1.2 s',
    ]);
    h.input.emit('data', 'a');
    screen = await h.screen();
    expect(screen[6]).to.match(/logs: db · following/);
    expect(screen.slice(27, 29)).to.deep.equal(['', '┃ WARN slow']);
  });

  it('moves the selection with arrows and j/k and sends commands for the selected service', async () => {
    h.input.emit('data', '\x1b[B');
    h.input.emit('data', 'j');
    h.input.emit('data', 'k');
    expect((await h.screen())[3]).to.match(/^›● {3}api/);
    h.input.emit('data', 'r');
    h.input.emit('data', 's');
    h.input.emit('data', 'K');
    expect(h.callbacks.onRestart.args).to.deep.equal([['api']]);
    expect(h.callbacks.onStop.args).to.deep.equal([['api']]);
    expect(h.callbacks.onKill.args).to.deep.equal([['api']]);
  });

  it('asks to quit on the first q or Ctrl-C and to force on the second', async () => {
    h.input.emit('data', '\x03');
    expect(h.callbacks.onQuit.callCount).to.equal(1);
    expect(h.callbacks.onForceQuit.callCount).to.equal(0);
    expect((await h.screen())[29]).to.equal('stopping… press q again to force');
    h.input.emit('data', 'q');
    expect(h.callbacks.onForceQuit.callCount).to.equal(1);
  });

  it('redraws everything to the new size on resize, cutting lines to the width', async () => {
    h.output$.next(out('api', 'x'.repeat(300)));
    h.advance(33);
    await h.screen();
    h.output.columns = 60;
    h.term.resize(60, 30);
    h.output.emit('resize');
    const screen = await h.screen();
    expect(screen[28]).to.equal(`api    │ ${'x'.repeat(50)}…`);
    for (const line of screen) expect(line.length).to.be.at.most(60);
    expect(screen[2]).to.match(/^›● db/);
  });

  it('restores the terminal at process exit until disposed', () => {
    const listeners = process.listeners('exit');
    const h2 = startHarness(services);
    const added = process.listeners('exit').filter((l) => !listeners.includes(l));
    expect(added).to.have.length(1);
    h2.tui.dispose();
    expect(process.listeners('exit')).to.deep.equal(listeners);
  });

  it('drops frames while the output is under backpressure and draws the latest after drain', async () => {
    await h.screen();
    const write = h.output.write.bind(h.output);
    let full = true;
    h.output.write = (text: string) => (write(text), !full);
    h.setServices([{ ...services[0]!, pid: 301 }, ...services.slice(1)]);
    h.advance(33);
    const blocked = h.output.writes.length;
    h.setServices([{ ...services[0]!, pid: 302 }, ...services.slice(1)]);
    h.advance(33);
    expect(h.output.writes.length).to.equal(blocked);
    full = false;
    h.output.emit('drain');
    h.advance(33);
    expect(h.output.writes.length).to.equal(blocked + 1);
    expect((await h.screen())[2]).to.match(/ 302 /);
  });

  it('restores the terminal on dispose, once', async () => {
    await h.screen();
    h.tui.dispose();
    h.tui.dispose();
    h.tui.restoreTerminal();
    await h.screen();
    expect(h.output.writes.filter((w) => w === LEAVE_SEQUENCE)).to.have.length(1);
    expect(LEAVE_SEQUENCE).to.include('\x1b[?25h').and.include('\x1b[?1049l');
    expect(h.term.buffer.active.type).to.equal('normal');
    expect(h.input.setRawMode.lastCall.args).to.deep.equal([false]);
    h.output$.next(out('api', 'after'));
    h.advance(100);
    expect(h.output.writes.at(-1)).to.equal(LEAVE_SEQUENCE);
  });

  it('refreshes uptimes once a second while something runs', async () => {
    h.setServices([{ ...services[0]!, startedAt: 0 }]);
    h.advance(33);
    expect((await h.screen())[2]).to.match(/ 0s /);
    h.advance(61_000);
    expect((await h.screen())[2]).to.match(/ 1m01s /);
  });

  it('shows the selection in inverse video and statuses in colour when colour is on', async () => {
    h.tui.dispose();
    h = startHarness(services, true);
    await h.screen();
    const buffer = h.term.buffer.active;
    expect(buffer.getLine(2)!.getCell(5)!.isInverse()).to.not.equal(0);
    expect(buffer.getLine(3)!.getCell(5)!.isInverse()).to.equal(0);
    const failedGlyph = buffer.getLine(5)!.getCell(1)!;
    expect(failedGlyph.getChars()).to.equal('✗');
    expect(failedGlyph.isFgPalette()).to.equal(true);
    expect(failedGlyph.getFgColor()).to.equal(1); // red
  });
});
