/**
 * Issue 9 with real processes: a pull iterator that is created and never pulled does not hold the child back, and
 * a collector that starts late says exactly how much output it missed.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from '../../src/index.js';
import { trackProcesses } from '../support/processes.js';

/** The bytes `seq 1 n` writes. */
function seqBytes(n: number): number {
  let total = 0;
  for (let i = 1; i <= n; i++) total += String(i).length + 1;
  return total;
}

describe('pull iterators and late collectors on real output', function () {
  this.timeout(20_000);
  const track = trackProcesses();

  it('a lines() iterator that is never pulled does not stop seq 1 2000000 from finishing', async () => {
    const proc = track(spawn('seq', ['1', '2000000']));
    const lines = proc.stdout.lines();
    const outcome = await proc.wait({ timeoutMs: 10_000 });
    expect(outcome.type).to.equal('exited');
    await proc.stdout.closed;
    // It kept bufferDepth chunks from the start and dropped the newest beyond them, counting what it dropped.
    expect(lines.dropped.chunks).to.be.greaterThan(0);
    expect((await lines.next()).value).to.equal('1');
    await lines.return();
  });

  it('a lines() iterator pulled from the start still holds the child back (reliable)', async () => {
    const proc = track(spawn('seq', ['1', '2000000'], { stdout: { bufferDepth: 2 } }));
    const lines = proc.stdout.lines();
    expect((await lines.next()).value).to.equal('1');
    const outcome = await proc.wait({ timeoutMs: 300 });
    expect(outcome.type).to.equal('timedOut');
    await lines.return();
    expect((await proc.wait({ timeoutMs: 10_000 })).type).to.equal('exited');
  });

  it('wait({ output }) 300 ms after seq 1 100000: every line, or exactly what was missed', async () => {
    const proc = track(spawn('seq', ['1', '100000']));
    await sleep(300);
    const outcome = await proc.wait({ output: 'lines', collect: 'unbounded' });
    expect(outcome.type).to.equal('exited');
    const { lines, missedBytes, truncated } = outcome.output.stdout;
    const collectedBytes = lines.reduce((sum, line) => sum + line.length + 1, 0);
    expect(missedBytes + collectedBytes).to.equal(seqBytes(100_000));
    if (missedBytes === 0) {
      expect(lines).to.have.length(100_000);
      expect(truncated).to.equal(false);
    } else {
      expect(truncated).to.equal(true);
      expect(lines.at(-1)).to.equal('100000');
    }
  });

  it('collectBytes started late counts the bytes it missed', async () => {
    const proc = track(spawn('seq', ['1', '100000']));
    await proc.wait();
    const collected = await proc.stdout.collectBytes('unbounded');
    expect(collected.missedBytes).to.be.greaterThan(0);
    expect(collected.missedBytes + collected.bytes.length).to.equal(seqBytes(100_000));
    expect(collected.truncated).to.equal(true);
  });
});
