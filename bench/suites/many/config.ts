/**
 * Inputs of the `many` suite (issue 8, "Many children at once"). Raw children are spawned with rxproc's own setup
 * (detached, stdin ignored, stdout/stderr piped), so every variant signals the same kind of process.
 */
export { RAW_OPTIONS, RAW_CONFIG } from '../spawn/config.js';

/** A shell and two background `sleep 30`: three processes in one group, the shell waiting for the others. */
export const TREE_SCRIPT = 'sleep 30 & sleep 30 & wait';
/** The same tree, SIGINT ignored by the shell and (inherited through exec) by both sleeps. */
export const TREE_SCRIPT_IGNORING_INT = 'trap "" INT; sleep 30 & sleep 30 & wait';
/** Background `sleep`s per tree. */
export const TREE_CHILDREN = 2;
export const TREE_SIZE = TREE_CHILDREN + 1;

/** Cases (a) and (b): trees terminated at once per run, after an untimed warm-up forest terminated the same way. */
export const FOREST = { trees: 200, warmup: 10 } as const;

/** Graceful budget of the SIGTERM phase: an upper bound only, a handler-less tree ends at once. */
export const SIGTERM_TIMEOUT_MS = 5000;
/** Case (b): the SIGINT phase the trees ignore, and the bound on the call-to-SIGTERM delay. */
export const SIGINT_PHASE_MS = 500;
export const SIGTERM_DEADLINE_MS = 600;

/** The raw variants' sleep between two polls of a tree's state: what a careful hand-written script does. */
export const POLL_SLEEP_MS = 1;

/** Case (c): live children sampled every `intervalMs` for `windowMs`, against the same window unsampled. */
export const USAGE = { children: 200, intervalMs: 1000, windowMs: 5000, settleMs: 500 } as const;

/** Goals of issue 8 on per-run figures. */
export const LOOP_DELAY_GOAL_MS = 50;
