/**
 * The compute-host side of invertContract: projection, discovered directions, feature
 * optimisation and animation exports, each in its feature's own module.
 */
import type { invertContract } from '../../shared/contract/invert';
import type { TasksOf } from '../handler-types';
import { exciteTasks } from '../inspect/excite-task';
import { directionTasks } from '../latent/direction-tasks';
import { exportTasks } from '../video/export-tasks';
import { projectionTasks } from './projection-task';

export const invertTasks: TasksOf<typeof invertContract> = {
  ...projectionTasks,
  ...directionTasks,
  ...exciteTasks,
  ...exportTasks,
};
