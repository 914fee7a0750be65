import { expect } from 'chai';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attached } from '../support/output-streams.js';

interface Started {
  child: ChildProcess;
  /** Resolves with the exit code once the leader has exited (or failed to start). */
  exited: Promise<number | null>;
}

/** Starts `sh -c script` as the leader of its own process group, with stdout and stderr piped. */
function start(script: string): Started {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return { child, exited };
}

/** Kills the whole group whatever state it is in, and waits for the leader. */
async function cleanup({ child, exited }: Started): Promise<void> {
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  }
  await exited;
}

describe('OutputStream on real child processes', function () {
  this.timeout(60_000);

  it('counts 1 GiB of output exactly', async () => {
    const run = start('head -c 1073741824 /dev/zero');
    try {
      const { out } = attached(run.child.stdout!, { replay: 'none' }, { name: 'stdout' });
      attached(run.child.stderr!, { replay: 'none' });
      let bytes = 0;
      let largest = 0;
      out.chunks$.subscribe((chunk) => {
        bytes += chunk.length;
        if (chunk.length > largest) largest = chunk.length;
      });
      const closed = await out.closed;
      expect(closed.type).to.equal('ended');
      expect(bytes).to.equal(1073741824);
      expect(closed.stats.bytesRead).to.equal(1073741824);
      expect(largest).to.be.at.most(out.options.chunkSize);
      expect(await run.exited).to.equal(0);
    } finally {
      await cleanup(run);
    }
  });

  it('passes random binary through byte-exact, to a push and a reliable pull consumer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxproc-streams-'));
    const file = join(dir, 'random.bin');
    const run = start(
      `head -c 20000000 /dev/urandom > '${file}' && sha256sum '${file}' >&2 && cat '${file}'`,
    );
    try {
      const { out } = attached(run.child.stdout!, {}, { name: 'stdout' });
      const { out: err } = attached(run.child.stderr!, {}, { name: 'stderr' });
      const pushHash = createHash('sha256');
      let pushBytes = 0;
      out.chunks$.subscribe((chunk) => {
        pushHash.update(chunk);
        pushBytes += chunk.length;
      });
      const pullHash = createHash('sha256');
      const pulling = (async () => {
        let n = 0;
        for await (const chunk of out.chunks({ delivery: 'reliable', bufferDepth: 4 })) {
          pullHash.update(chunk);
          n += chunk.length;
        }
        return n;
      })();
      const reported = err.waitForLine(/^[0-9a-f]{64} /, { timeoutMs: 30_000 });
      const [pulled, line] = await Promise.all([pulling, reported, out.closed]);
      expect(line.type).to.equal('matched');
      const expected = line.type === 'matched' ? line.line.slice(0, 64) : '';
      expect(pushBytes).to.equal(20_000_000);
      expect(pulled).to.equal(20_000_000);
      expect(pushHash.digest('hex')).to.equal(expected);
      expect(pullHash.digest('hex')).to.equal(expected);
      expect(await run.exited).to.equal(0);
    } finally {
      await cleanup(run);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holdBack() pauses reading, so the child blocks on its writes until released; nothing is lost', async () => {
    const total = 5_000_000;
    const run = start(`head -c ${total} /dev/zero; echo done >&2`);
    try {
      const { out } = attached(run.child.stdout!);
      const { out: err } = attached(run.child.stderr!);
      const release = out.holdBack();
      let bytes = 0;
      out.chunks$.subscribe((chunk) => (bytes += chunk.length));
      let said = '';
      err.chunks$.subscribe((chunk) => (said += chunk.toString()));
      // Held: the child fills the pipe and blocks; it cannot get to its last line however long we wait.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(said).to.equal('');
      expect(bytes).to.be.below(total);
      release();
      release(); // harmless
      expect(await run.exited).to.equal(0);
      await out.closed;
      expect(bytes).to.equal(total);
      expect(said).to.equal('done\n');
    } finally {
      await cleanup(run);
    }
  });

  it('a stdout and stderr flood finishes although nobody reads stderr', async () => {
    const run = start('head -c 20000000 /dev/zero >&2 & head -c 20000000 /dev/zero; wait');
    try {
      const { out } = attached(run.child.stdout!);
      const { out: err } = attached(run.child.stderr!);
      let bytes = 0;
      out.chunks$.subscribe((chunk) => (bytes += chunk.length));
      const [code, outClosed, errClosed] = await Promise.all([run.exited, out.closed, err.closed]);
      expect(code).to.equal(0);
      expect(bytes).to.equal(20_000_000);
      expect(outClosed.type).to.equal('ended');
      expect(errClosed.stats.bytesRead).to.equal(20_000_000);
    } finally {
      await cleanup(run);
    }
  });

  it('forceClose ends the output that a grandchild keeps open after the leader exited', async () => {
    const run = start('sleep 30 & echo hi');
    try {
      const { out, control } = attached(run.child.stdout!);
      attached(run.child.stderr!);
      const lines: string[] = [];
      out.lines$.subscribe((line) => lines.push(line));
      expect(await out.waitForLine('hi', { timeoutMs: 10_000 })).to.deep.equal({
        type: 'matched',
        line: 'hi',
      });
      expect(await run.exited).to.equal(0);
      // The leader is gone, yet the pipe stays open: the sleeping grandchild holds its write end.
      await new Promise((resolve) => setImmediate(resolve));
      let closedYet = false;
      out.closed$.subscribe(() => (closedYet = true)); // closed$ replays synchronously once the stream has closed
      expect(closedYet).to.equal(false);
      control.forceClose('EOF timeout after exit');
      const closed = await out.closed;
      expect(closed).to.include({ type: 'forced', forced: true, reason: 'EOF timeout after exit' });
      expect(lines).to.deep.equal(['hi']);
      expect(run.child.stdout!.destroyed).to.equal(true);
    } finally {
      await cleanup(run);
    }
  });
});
