import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { GracefulShutdown, spawn } from '../../src/index.js';
import { trackProcesses } from '../support/processes.js';
import { waitUntil } from '../support/wait.js';

describe('output streams on the handle (real processes)', function () {
  this.timeout(30_000);
  const track = trackProcesses();

  it('gives lines$ and chunks$ of stdout and stderr separately', async () => {
    const proc = track(spawn('sh', ['-c', 'printf "a\\nb\\r\\nc"; printf "oops\\n" >&2']));
    const [out, err] = await Promise.all([
      lastValueFrom(proc.stdout.lines$.pipe(toArray())),
      lastValueFrom(proc.stderr.lines$.pipe(toArray())),
    ]);
    expect(out).to.deep.equal(['a', 'b', 'c']);
    expect(err).to.deep.equal(['oops']);
  });

  it('replays recent output to a subscriber that attaches after the exit', async () => {
    const proc = track(spawn('sh', ['-c', 'seq 1 5'], { stdout: { replay: { lastLines: 3 } } }));
    await proc.wait();
    expect(await lastValueFrom(proc.stdout.lines$.pipe(toArray()))).to.deep.equal(['3', '4', '5']);
  });

  it('waitForLine sees a readiness line and reports closed and timedOut outcomes', async () => {
    const server = track(spawn('sh', ['-c', 'echo booting; sleep 0.1; echo "listening on 8080"; sleep 30']));
    const ready = await server.stdout.waitForLine(/listening on (\d+)/, { timeoutMs: 10_000 });
    expect(ready).to.deep.equal({ type: 'matched', line: 'listening on 8080' });

    const quiet = track(spawn('sh', ['-c', 'echo nothing to see']));
    expect(await quiet.stdout.waitForLine('ready', { timeoutMs: 10_000 })).to.deep.equal({ type: 'closed' });

    const slow = track(spawn('sleep', ['30']));
    expect(await slow.stdout.waitForLine('ready', { timeoutMs: 50 })).to.deep.equal({
      type: 'timedOut',
      timeoutMs: 50,
    });
  });

  it("wait({ output: 'lines' }) returns the status and both streams' lines", async () => {
    const proc = track(spawn('sh', ['-c', 'echo one; echo two; echo warn >&2; exit 3']));
    const outcome = await proc.wait({ output: 'lines' });
    if (outcome.type !== 'exited') throw new Error(`unexpected ${outcome.type}`);
    expect(outcome.status).to.deep.equal({ code: 3, signal: null });
    expect(outcome.output.stdout.lines).to.deep.equal(['one', 'two']);
    expect(outcome.output.stderr.lines).to.deep.equal(['warn']);
    expect(outcome.output.cutOff).to.equal(false);
  });

  it("wait({ output: 'bytes' }) passes random binary through byte-exact", async () => {
    const proc = track(
      spawn('sh', ['-c', 'head -c 3000000 /dev/urandom > "$T"; cat "$T"; sha256sum "$T" >&2; rm -f "$T"'], {
        env: { T: `/tmp/rxproc-random-${process.pid}-${Date.now()}` },
      }),
    );
    const outcome = await proc.wait({ output: 'bytes', collect: { maxBytes: 4_000_000 } });
    if (outcome.type !== 'exited') throw new Error(`unexpected ${outcome.type}`);
    const expected = outcome.output.stderr.bytes.toString().split(' ')[0];
    const actual = createHash('sha256').update(outcome.output.stdout.bytes).digest('hex');
    expect(outcome.output.stdout.bytes.length).to.equal(3_000_000);
    expect(actual).to.equal(expected);
  });

  it('bounds collection and says it truncated', async () => {
    const proc = track(spawn('seq', ['1', '1000']));
    const outcome = await proc.wait({ output: 'lines', collect: { maxLines: 10, keep: 'last' } });
    if (outcome.type !== 'exited') throw new Error(`unexpected ${outcome.type}`);
    expect(outcome.output.stdout.truncated).to.equal(true);
    expect(outcome.output.stdout.lines).to.deep.equal(Array.from({ length: 10 }, (_, i) => String(991 + i)));
  });

  it('does not hang when a grandchild keeps the pipe open after the leader exits, and says so', async () => {
    const proc = track(spawn('sh', ['-c', 'sleep 30 & echo started']));
    const outcome = await proc.wait({ output: 'lines', eofTimeoutMs: 200 });
    if (outcome.type !== 'exited') throw new Error(`unexpected ${outcome.type}`);
    expect(outcome.output.stdout.lines).to.deep.equal(['started']);
    expect(outcome.output.cutOff).to.equal(true);
    const closed = await proc.stdout.closed;
    expect(closed.forced).to.equal(true);
    await proc.terminate(GracefulShutdown.sigterm(2000));
  });

  it('completes events$ after the EOF timeout even when nobody waits for output', async () => {
    const proc = track(spawn('sh', ['-c', 'sleep 30 & exit 0'], { eofTimeoutMs: 100 }));
    const events = await lastValueFrom(proc.events$.pipe(toArray()));
    const closed = events.filter((e) => e.type === 'outputClosed');
    expect(closed).to.have.length(2);
    for (const e of closed) if (e.type === 'outputClosed') expect(e.closed.forced).to.equal(true);
    await proc.terminate(GracefulShutdown.sigterm(2000));
  });

  it('never blocks a child flooding stderr while only stdout is read', async () => {
    const proc = track(
      spawn('sh', ['-c', 'head -c 20000000 /dev/zero >&2; echo done'], { stderr: { replay: 'none' } }),
    );
    const line = await proc.stdout.waitForLine('done', { timeoutMs: 20_000 });
    expect(line).to.deep.equal({ type: 'matched', line: 'done' });
    expect(proc.stderr.stats.bytesRead).to.equal(20_000_000);
  });

  it('pauses the child when a reliable pull consumer is behind, losing nothing', async () => {
    const proc = track(spawn('seq', ['1', '200000'], { stdout: { bufferDepth: 4, chunkSize: 4096 } }));
    const iterator = proc.stdout.lines()[Symbol.asyncIterator]();
    await iterator.next();
    await firstValueFrom(proc.events$); // spawned
    // The consumer stalls: the stream holds the pipe back instead of buffering without bound, so reading stops
    // after a pipe read or two, far short of the 1288895 bytes the child has to write (unheld, it reads them all).
    const heldAt = await bytesReadOnceSteady(proc.stdout);
    expect(heldAt).to.be.below(1288895 / 4);
    let count = 1;
    let last = '';
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      count += 1;
      last = next.value;
    }
    expect(count).to.equal(200_000);
    expect(last).to.equal('200000');
  });

  it('discards or inherits output without a pipe when asked, and the stream is empty and complete', async () => {
    const proc = track(spawn('sh', ['-c', 'echo hidden'], { stdout: 'discard', stderr: 'discard' }));
    await proc.wait();
    expect(await lastValueFrom(proc.stdout.lines$.pipe(toArray()))).to.deep.equal([]);
  });

  it('reports invalid stream options as INVALID_OPTION without spawning', async () => {
    const proc = track(spawn('echo', ['x'], { stdout: { maxLineLength: 0 } }));
    const error = await proc.wait().catch((e: unknown) => e);
    expect((error as { code?: string }).code).to.equal('INVALID_OPTION');
    expect((error as Error).message).to.include('stdout.maxLineLength');
  });
});

/** `stats.bytesRead` once it has not moved for 200 ms (or after 10 s): where a stalled stream stopped reading. */
async function bytesReadOnceSteady(stream: {
  readonly stats: { readonly bytesRead: number };
}): Promise<number> {
  // Reading has stopped once the count has data and stays the same across a pause.
  return waitUntil('reading has stopped', async () => {
    const before = stream.stats.bytesRead;
    await new Promise((resolve) => setTimeout(resolve, 200));
    return before > 0 && stream.stats.bytesRead === before ? before : undefined;
  });
}
