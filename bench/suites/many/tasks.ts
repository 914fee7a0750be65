/** Every task of the many suite, by name, for the worker. */
import type { Task } from '../../lib/types.js';
import { terminateTasks } from './terminate.js';
import { usageTasks } from './usage.js';

export const tasks: Record<string, Task> = { ...terminateTasks, ...usageTasks };
