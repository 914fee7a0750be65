/**
 * The exact configurations compared. rxproc spawns with `detached: true` (its own process group) and stdio
 * `['ignore', 'pipe', 'pipe']`; the floor and the peers are given the same, so the ratios show library overhead
 * and not a cheaper stdio setup.
 */
import type { SpawnOptions } from 'node:child_process';

export const RAW_OPTIONS: SpawnOptions = { detached: true, stdio: ['ignore', 'pipe', 'pipe'] };

export const RAW_CONFIG =
  "child_process.spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })";
export const RXPROC_CONFIG =
  'rxproc spawn(cmd, args) with defaults (detached, stdin ignored, stdout/stderr piped and drained, parent-exit cleanup armed)';
export const EXECA_CONFIG =
  "execa 9 execa(cmd, args, { stdin: 'ignore', detached: true }), other options default (buffer, cleanup)";
export const SPAWN_RX_CONFIG =
  "spawn-rx 6 spawnPromise(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] })";

/** Children per run of each case, and the untimed warm-up before it (module loading, JIT). */
export const SEQUENTIAL = { count: 500, warmup: 25 } as const;
export const CONCURRENT = { count: 200, warmup: 20 } as const;
