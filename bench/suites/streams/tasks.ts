/** Every task of the streams suite, by name, for the worker. */
import type { Task } from '../../lib/types.js';
import { pullLinesTasks } from './pull-lines.js';
import { pushLinesTasks } from './push-lines.js';
import { slowTasks } from './slow.js';
import { throughputTasks } from './throughput.js';

export const tasks: Record<string, Task> = {
  ...throughputTasks,
  ...pushLinesTasks,
  ...pullLinesTasks,
  ...slowTasks,
};
