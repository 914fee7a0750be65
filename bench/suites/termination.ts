/**
 * Suite `termination`: ending children and trees, verification included, against a bare group kill and peers.
 * (a) one handler-less `sleep 30` ended by SIGTERM. (b) a 10-process tree ended by SIGTERM until every member is
 * gone. (c) snapshots of a 10-process tree against a bare `/proc` pass, pidtree and ps-list. (d) a 3-process tree
 * as in (b) (issue 8). Many trees at once are in the `many` suite.
 */
import { measureCase } from '../lib/measure.js';
import { benchModule } from '../lib/paths.js';
import type { SuiteRun } from '../lib/types.js';
import {
  RAW_CONFIG,
  SIGTERM_TIMEOUT_MS,
  SINGLE,
  SMALL_TREE,
  SMALL_TREE_SCRIPT,
  SMALL_TREE_SIZE,
  SNAPSHOT,
  TREE,
  TREE_SCRIPT,
} from './termination/config.js';

const TASKS = benchModule('suites/termination/tasks');
const REPS = 3;
const TIMEOUT_MS = 90_000;
const RXPROC_TERMINATE = `rxproc spawn(cmd, args) with defaults; await proc.terminate(GracefulShutdown.sigterm(${SIGTERM_TIMEOUT_MS})), report checked (endedBy SIGTERM, not forced, nothing stillAlive)`;

export const run: SuiteRun = async (context) => {
  const single = await measureCase(
    {
      name: 'termination (a) one child',
      description: `${SINGLE.count} × a handler-less \`sleep 30\` ended by SIGTERM, timed from the call to the confirmed end`,
      moduleFile: TASKS,
      params: SINGLE,
      reps: REPS,
      operations: SINGLE.count,
      perOperation: 'ms/kill',
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: 1.5 },
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; process.kill(-pid, 'SIGTERM'); await 'exit'`,
          task: 'singleRaw',
        },
        { variant: 'rxproc', config: RXPROC_TERMINATE, task: 'singleRxproc' },
        {
          variant: 'execa',
          config:
            "execa 9 execa(cmd, args, { stdin: 'ignore', detached: true, reject: false }); subprocess.kill(); await subprocess",
          task: 'singleExeca',
        },
        {
          variant: 'tree-kill',
          config: "raw child as above; tree-kill(pid, 'SIGTERM') callback and 'exit' both awaited",
          task: 'singleTreeKill',
        },
      ],
    },
    context,
  );
  const tree = await measureCase(
    {
      name: 'termination (b) 10-process tree',
      description: `${TREE.count} × \`sh -c '${TREE_SCRIPT}'\` (all 10 seen running first) ended by SIGTERM until every member is gone`,
      moduleFile: TASKS,
      params: TREE,
      reps: REPS,
      operations: TREE.count,
      perOperation: 'ms/tree',
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: 2 },
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; process.kill(-pid, 'SIGTERM'); await 'exit' and poll /proc every event-loop turn until all 10 pids are gone or zombies`,
          task: 'treeRaw',
        },
        {
          variant: 'rxproc',
          config: `${RXPROC_TERMINATE}; all 10 pids checked gone afterwards (untimed)`,
          task: 'treeRxproc',
        },
        {
          variant: 'tree-kill',
          config: "raw child as above; await tree-kill(pid, 'SIGTERM'), then the same 'exit' + /proc poll",
          task: 'treeTreeKill',
        },
      ],
    },
    context,
  );
  const snapshot = await measureCase(
    {
      name: 'termination (c) tree snapshot',
      description: `${SNAPSHOT.count} × a snapshot of one live 10-process tree, each checked to contain all 10`,
      moduleFile: TASKS,
      params: SNAPSHOT,
      reps: REPS,
      operations: SNAPSHOT.count,
      perOperation: 'ms/snapshot',
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: 1.5 },
      variants: [
        {
          variant: 'raw',
          config:
            "readdirSync('/proc'), then open + readSync into one reused 4 KiB buffer + close for every <pid>/stat",
          task: 'snapshotRaw',
        },
        {
          variant: 'rxproc',
          config:
            'currentPlatform().snapshotTree({ pid, pgid: pid, sid: pid }) (one /proc pass, parsed, group/session/parent links)',
          task: 'snapshotRxproc',
        },
        {
          variant: 'raw readFileSync',
          config: "readdirSync('/proc'), then readFileSync(`/proc/<pid>/stat`, 'latin1') for every pid",
          task: 'snapshotRawReadFile',
        },
        {
          variant: 'pidtree',
          config: 'pidtree 1 pidtree(pid, { root: true }) (runs ps)',
          task: 'snapshotPidtree',
        },
        {
          variant: 'ps-list',
          config: 'ps-list 9 psList() (runs ps), filtered to the root and its children',
          task: 'snapshotPsList',
        },
      ],
    },
    context,
  );
  const smallTree = await measureCase(
    {
      name: 'termination (d) 3-process tree',
      description: `${SMALL_TREE.count} × \`sh -c '${SMALL_TREE_SCRIPT}'\` (all ${SMALL_TREE_SIZE} seen running first) ended by SIGTERM until every member is gone`,
      moduleFile: TASKS,
      params: SMALL_TREE,
      reps: REPS,
      operations: SMALL_TREE.count,
      perOperation: 'ms/tree',
      timeoutMs: TIMEOUT_MS,
      goals: { timeRatio: 2 },
      variants: [
        {
          variant: 'raw',
          config: `${RAW_CONFIG}; process.kill(-pid, 'SIGTERM'); await 'exit' and poll /proc every event-loop turn until all ${SMALL_TREE_SIZE} pids are gone or zombies`,
          task: 'smallTreeRaw',
        },
        {
          variant: 'rxproc',
          config: `${RXPROC_TERMINATE}; all ${SMALL_TREE_SIZE} pids checked gone afterwards (untimed)`,
          task: 'smallTreeRxproc',
        },
      ],
    },
    context,
  );
  return { suite: 'termination', cases: [single, tree, snapshot, smallTree] };
};
