/** Every task of the spawn suite, by name, for the worker. */
import type { Task } from '../../lib/types.js';
import { concurrentTasks } from './concurrent.js';
import { sequentialTasks } from './sequential.js';

export const tasks: Record<string, Task> = { ...sequentialTasks, ...concurrentTasks };
