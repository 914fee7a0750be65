import { expect } from 'chai';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { applyKey } from '../../../../src/cli/render/tui/controller.js';
import { FrameDiffer } from '../../../../src/cli/render/tui/diff.js';
import { renderFrame } from '../../../../src/cli/render/tui/frame.js';
import { parseKeys } from '../../../../src/cli/render/tui/keys.js';
import { LogStore, RingBuffer } from '../../../../src/cli/render/tui/log-store.js';
import { initialView } from '../../../../src/cli/render/tui/model.js';
import { treeOrder } from '../../../../src/cli/render/tui/tree.js';
import { displayWidth, fitWidth, sanitizeLine } from '../../../../src/cli/render/text.js';
import { service } from './fixtures.js';

describe('TUI parts', () => {
  it('parses arrows, paging, enter, Ctrl-C and several keys per chunk', () => {
    expect(parseKeys('\x1b[A\x1bOBjk\r\x03\x1b[5~\x1b[6~q')).to.deep.equal([
      'up',
      'down',
      'j',
      'k',
      'enter',
      'ctrlC',
      'pageUp',
      'pageDown',
      'q',
    ]);
    expect(parseKeys('\x1b[1;5Cx')).to.deep.equal(['x']);
  });

  it('keeps the newest lines in a bounded ring', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect([ring.at(0), ring.at(1), ring.at(2), ring.length]).to.deep.equal([3, 4, 5, 3]);
  });

  it('stores logs per service and merged, sanitized, and pages through them by anchor', () => {
    const logs = new LogStore(4);
    for (let i = 1; i <= 6; i++) logs.add(i % 2 ? 'a' : 'b', 'stdout', `l${i}\x1b[0m`);
    expect(logs.window('all', 10, undefined).map((e) => e.text)).to.deep.equal(['l3', 'l4', 'l5', 'l6']);
    expect(logs.window({ service: 'a' }, 2, undefined).map((e) => e.text)).to.deep.equal(['l3', 'l5']);
    const anchor = logs.move('all', undefined, -2);
    expect(logs.window('all', 2, anchor).map((e) => e.text)).to.deep.equal(['l3', 'l4']);
  });

  it('removes what could move the cursor from child lines, and cuts by display width', () => {
    expect(sanitizeLine('a\x1b[2J\x1b[31mb\x07\tc')).to.equal('ab    c');
    expect(sanitizeLine('50%\r100%\r')).to.equal('100%');
    expect(fitWidth('日本語テキスト', 7)).to.equal('日本語…');
    expect(stringWidth(fitWidth('日本語テキスト', 7))).to.be.at.most(7);
  });

  it('measures like string-width, narrow glyphs and wide characters alike', () => {
    for (const text of [
      '›● api',
      '── logs ─',
      '┃ ◆ ✗ ⊘ ↻ ◌ ■ ○ ◐ · … ∞',
      '日本語',
      'a😀b',
      'é',
      'e\u0301',
      '◽',
      '\u00ad',
    ]) {
      expect(displayWidth(text), text).to.equal(stringWidth(text));
    }
  });

  it('orders services as a tree under their deepest dependency', () => {
    const rows = treeOrder([
      service('db'),
      service('cache'),
      service('api', { dependsOn: { db: 'ready' } }),
      service('web', { dependsOn: { api: 'ready', cache: 'started' } }),
      service('migrate', { dependsOn: { db: 'ready' } }),
    ]);
    expect(rows.map((r) => `${r.depth}:${r.service.name}`)).to.deep.equal([
      '0:db',
      '1:api',
      '2:web',
      '1:migrate',
      '0:cache',
    ]);
  });

  it('maps keys to view changes and commands', () => {
    const rows = treeOrder([service('a'), service('b')]);
    const ctx = { rows, logs: new LogStore(), logScope: 'all' as const, logHeight: 10 };
    let step = applyKey(initialView, 'down', ctx);
    expect(step.view.selected).to.equal('b');
    step = applyKey(step.view, 'K', ctx);
    expect(step.command).to.deep.equal({ type: 'kill', service: 'b' });
    expect(applyKey(step.view, 'enter', ctx).view.logScope).to.equal('selected');
    expect(applyKey(initialView, 'f', ctx).view.anchor).to.equal(0);
    expect(applyKey(initialView, 'x', ctx)).to.deep.equal({ view: initialView });
  });

  it('pages the log pane up, and resumes following when paging back to the end', () => {
    const logs = new LogStore();
    for (let i = 1; i <= 30; i++) logs.add('a', 'stdout', `l${i}`);
    const ctx = { rows: treeOrder([service('a')]), logs, logScope: 'all' as const, logHeight: 11 };
    const up = applyKey(initialView, 'pageUp', ctx).view;
    expect(logs.window('all', 11, up.anchor).at(-1)?.text).to.equal('l20');
    const upTwice = applyKey(up, 'pageUp', ctx).view;
    expect(logs.window('all', 11, upTwice.anchor).at(-1)?.text).to.equal('l10');
    expect(applyKey(applyKey(upTwice, 'pageDown', ctx).view, 'pageDown', ctx).view.anchor).to.equal(
      undefined,
    );
  });

  it('draws a 50-service frame in colour within the given size', () => {
    const services = Array.from({ length: 50 }, (_, i) =>
      service(`svc-${i}`, {
        dependsOn: i > 0 ? { [`svc-${Math.floor((i - 1) / 3)}`]: 'ready' } : {},
        usage: { cpuPercent: i / 3, rssBytes: i * 1e6, processes: 1 },
        lastLine: `line ${'x'.repeat(i * 4)} 日本`,
      }),
    );
    const logs = new LogStore();
    for (let i = 0; i < 200; i++) logs.add(`svc-${i % 50}`, i % 7 ? 'stdout' : 'stderr', `log ${i}`);
    const model = {
      project: 'big',
      state: { phase: 'running' as const, at: 0, services },
      now: 5000,
      view: { ...initialView, selected: 'svc-40' },
      logs,
      color: true,
    };
    const lines = renderFrame(model, 120, 40);
    expect(lines).to.have.length(40);
    for (const line of lines) expect(stringWidth(stripAnsi(line))).to.be.at.most(120);
    expect(lines.some((l) => stripAnsi(l).startsWith('›') && l.includes('svc-40'))).to.equal(true);
  });

  it('diffs frames by row and clears rows a shorter frame no longer has', () => {
    const differ = new FrameDiffer();
    expect(differ.diff(['a', 'b'])).to.equal('\x1b[1;1H\x1b[2Ka\x1b[2;1H\x1b[2Kb');
    expect(differ.diff(['a', 'b'])).to.equal('');
    expect(differ.diff(['a'])).to.equal('\x1b[2;1H\x1b[2K');
  });
});
