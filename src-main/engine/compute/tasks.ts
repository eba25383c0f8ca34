/**
 * Every contract method that runs in a compute host, by name. Each feature keeps its tasks in
 * its own module (`xTasks`) and they are spread here; `satisfies WorkerTasks` makes a missing or
 * mistyped task a compile error, so the contract and the hosts cannot drift apart.
 */
import { apiContract, type ApiArgs, type Emit, type WorkerMethod } from '../../shared/contract';
import { arithTasks } from '../arith/tasks';
import { evalTasks } from '../eval/tasks';
import type { TaskContext, WorkerTasks } from '../handler-types';
import { importTasks } from '../import/tasks';
import { healthTasks } from '../health/tasks';
import { inspectTasks } from '../inspect/tasks';
import { invertTasks } from '../invert/tasks';
import { imageExportTasks } from '../latent/export/image-export';
import { latentTasks } from '../latent/tasks';
import { Project } from '../project/project';
import { coreTasks } from './core-tasks';

export const tasks = {
  ...coreTasks,
  ...latentTasks,
  ...arithTasks,
  ...inspectTasks,
  ...evalTasks,
  ...importTasks,
  ...healthTasks,
  ...invertTasks,
  ...imageExportTasks,
} satisfies WorkerTasks;

/** Runs a task: a project method gets its Project (opened here, in the host) and the rest of its payload. */
export function runTask<K extends WorkerMethod>(name: K, args: ApiArgs<K>, ctx: TaskContext): Promise<unknown> {
  if (!Object.hasOwn(tasks, name)) throw new Error(`Unknown task ${String(name)}`);
  const task = tasks[name] as (...a: unknown[]) => Promise<unknown>;
  if (apiContract[name].project !== 'open') return task(args, ctx);
  const { dir, ...rest } = args as ApiArgs<K> & { dir: string };
  const project = Project.open(dir);
  return task(project, rest, ctx).finally(() => reportNotices(project, ctx.emit));
}

/** What the engine repaired or set aside while serving a call, as 'project.notice' events. */
export function reportNotices(project: Project, emit: Emit): void {
  for (const n of project.raised.splice(0)) emit('project.notice', { dir: project.dir, ...n });
}
