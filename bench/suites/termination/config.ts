/**
 * Inputs of the termination suite. Raw children and tree-kill's targets are spawned with rxproc's own setup
 * (detached, so the child leads its own group; stdin ignored, stdout/stderr piped), so every variant signals the
 * same kind of process.
 */
export { RAW_OPTIONS, RAW_CONFIG } from '../spawn/config.js';

/** A shell and 9 background `sleep 30`: 10 processes in one group, the shell waiting for the others. */
export const TREE_SCRIPT = 'for i in 1 2 3 4 5 6 7 8 9; do sleep 30 & done; wait';
export const TREE_CHILDREN = 9;
export const TREE_SIZE = TREE_CHILDREN + 1;

/** A shell and 2 background `sleep 30`: the three-process tree of issue 8. */
export const SMALL_TREE_SCRIPT = 'sleep 30 & sleep 30 & wait';
export const SMALL_TREE_CHILDREN = 2;
export const SMALL_TREE_SIZE = SMALL_TREE_CHILDREN + 1;

/** Graceful timeout of rxproc's run: an upper bound only; a handler-less child ends at once. */
export const SIGTERM_TIMEOUT_MS = 5000;

/** Case (a): terminations per run (each of a freshly spawned `sleep 30`), after an untimed warm-up. */
export const SINGLE = { count: 40, warmup: 5 } as const;
/** Case (b): 10-process trees terminated per run. */
export const TREE = { count: 15, warmup: 3 } as const;
/** Case (d): 3-process trees terminated per run. */
export const SMALL_TREE = { count: 20, warmup: 3 } as const;
/** Case (c): snapshots of one live 10-process tree per run. */
export const SNAPSHOT = { count: 40, warmup: 5 } as const;
