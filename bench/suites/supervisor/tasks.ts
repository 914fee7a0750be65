/** Every task of the supervisor suite, by name, for the worker. */
import type { Task } from '../../lib/types.js';
import { fanOutTasks } from './fan-out.js';
import { floodTasks } from './flood.js';

export const tasks: Record<string, Task> = { ...fanOutTasks, ...floodTasks };
