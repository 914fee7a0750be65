/** Every task of the cli suite, by name, for the worker. */
import type { Task } from '../../lib/types.js';
import { dashboardTasks } from './dashboard.js';
import { floodTasks } from './flood.js';
import { throughputTasks } from './throughput.js';

export const tasks: Record<string, Task> = { ...throughputTasks, ...dashboardTasks, ...floodTasks };
