/** Every task of the termination suite, by name, for the worker. */
import type { Task } from '../../lib/types.js';
import { singleTasks } from './single.js';
import { snapshotTasks } from './snapshot.js';
import { treeTasks } from './tree.js';

export const tasks: Record<string, Task> = { ...singleTasks, ...treeTasks, ...snapshotTasks };
