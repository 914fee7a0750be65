/** The measured loops of the spawn suite, shared by every variant so only the library calls differ. */
import { RssSampler, settledRss } from '../../lib/memory.js';
import { nowNs, elapsedMs } from '../../lib/timing.js';
import type { Measurement } from '../../lib/types.js';

/** Spawns `count` children one after the other, each awaited to its exit by `once`. */
export async function measureSequential(
  count: number,
  warmup: number,
  once: () => Promise<void>,
): Promise<Measurement> {
  for (let i = 0; i < warmup; i += 1) await once();
  const baseline = await settledRss();
  const sampler = new RssSampler();
  sampler.start();
  const start = nowNs();
  try {
    for (let i = 0; i < count; i += 1) await once();
    const timeMs = elapsedMs(start);
    return { timeMs, rssGrowthBytes: sampler.stop() - baseline };
  } finally {
    sampler.stop(); // the timer must go even when a spawn failed, or the worker would never exit
  }
}

/** A long-running child as one variant drives it. */
export interface Child {
  /** Resolves once the OS confirmed the child runs; rejects if it could not start. */
  readonly started: Promise<void>;
  /** Sends SIGKILL the way the variant does it. */
  kill(): void;
  /** Resolves once the exit has been observed. */
  readonly exited: Promise<void>;
  /** Best-effort SIGKILL if the child may still run; used in `finally`, never throws. */
  cleanup(): void;
}

/** Starts `count` children at once, confirms all started, kills them all and awaits every exit. */
async function batch(count: number, launch: () => Child, sampler?: RssSampler): Promise<void> {
  const children: Child[] = [];
  try {
    for (let i = 0; i < count; i += 1) children.push(launch());
    sampler?.sample();
    await Promise.all(children.map((child) => child.started));
    sampler?.sample();
    for (const child of children) child.kill();
    await Promise.all(children.map((child) => child.exited));
  } finally {
    for (const child of children) child.cleanup();
  }
}

/** Times one {@link batch} of `count` children and measures the parent's RSS growth during it. */
export async function measureConcurrent(
  count: number,
  warmup: number,
  launch: () => Child,
): Promise<Measurement> {
  await batch(warmup, launch);
  const baseline = await settledRss();
  const sampler = new RssSampler();
  sampler.start();
  const start = nowNs();
  try {
    await batch(count, launch, sampler);
    const timeMs = elapsedMs(start);
    return { timeMs, rssGrowthBytes: sampler.stop() - baseline };
  } finally {
    sampler.stop();
  }
}
