import { expect } from 'chai';
import { createRequire } from 'node:module';
import type * as XtermTypes from '@xterm/headless';
import { builtCli, project, startCli } from '../../support/cli.js';
import { waitUntil } from '../../support/wait.js';

// @xterm/headless is CommonJS whose ESM default import comes back undefined.
const xterm = createRequire(import.meta.url)('@xterm/headless') as typeof XtermTypes;

describe('rxproc up --ui tui (built binary, drawn into a headless terminal)', function () {
  this.timeout(60_000);
  before(async function () {
    this.timeout(120_000);
    await builtCli();
  });

  it('draws the services, follows their state, stops in order on q and restores the terminal', async () => {
    const dir = project({
      'rxproc.yaml': `
name: shop
processes:
  db:
    command: sh -c 'sleep 0.2; echo db accepting; exec sleep 300'
    ready: { log: accepting }
  api:
    command: sh -c 'echo api listening; exec sleep 300'
    depends_on: { db: ready }
    ready: { log: listening }
`,
    });
    const term = new xterm.Terminal({ cols: 100, rows: 30, allowProposedApi: true });
    let raw = '';
    try {
      const run = await startCli(['up', '--ui', 'tui'], dir.dir);
      run.child.stdout!.on('data', (chunk: string) => {
        raw += chunk;
        term.write(chunk);
      });
      const screen = (): string[] => {
        const buffer = term.buffer.active;
        return Array.from(
          { length: term.rows },
          (_, row) => buffer.getLine(row)?.translateToString(true) ?? '',
        );
      };
      const running = (name: string): boolean =>
        screen().some((line) => new RegExp(`\\b${name}\\b.*\\brunning\\b`).test(line));
      await waitUntil(
        'both services running on screen',
        () => (running('db') && running('api')) || undefined,
      );
      const lines = screen();
      expect(lines[0]).to.contain('shop');
      expect(lines.join('\n')).to.match(/NAME\s+STATUS/);
      expect(lines.join('\n')).to.contain('api listening');
      run.child.stdin!.write('q');
      const result = await run.done;
      expect(result.code).to.equal(130);
      // Left the alternate screen and showed the cursor again.
      expect(raw.lastIndexOf('\x1b[?1049l')).to.be.above(raw.lastIndexOf('\x1b[?1049h'));
      expect(raw).to.contain('\x1b[?25h');
      // The summary is printed after the dashboard is gone, into the terminal's normal screen.
      const summaryAt = raw.search(/api +stopped/);
      expect(summaryAt).to.be.above(raw.lastIndexOf('\x1b[?1049l'));
    } finally {
      term.dispose();
      dir.remove();
    }
  });
});
