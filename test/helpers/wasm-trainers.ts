/**
 * Trainers on the wasm backend with K data-parallel workers, for test files that open several:
 * call `wasmTrainers()` at a file's top level (it registers the hooks); each trainer it opens is
 * disposed after its test.
 */
import { afterEach, beforeAll } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { Project } from '../../src-main/engine/project/project';
import { cpuDeviceOpener } from '../../src-main/engine/train/device/open-device';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { BackendReport } from '../../src-main/shared/types';

/** Run control that never pauses or stops: a run goes to its target. */
export const never = { stopRequested: () => false, whilePaused: async () => undefined };

export function wasmTrainers() {
  let backend: BackendReport;
  const open: Trainer[] = [];
  beforeAll(async () => {
    backend = await selectBackend('wasm');
  });
  afterEach(() => {
    for (const t of open.splice(0)) t.dispose();
  });
  return {
    backend: () => backend,
    /** A trainer on `at` (a folder or an opened Project) with `workers`; `active: 'cpu'` reports the cpu backend. */
    async open(at: string | Project, workers = 1, active?: BackendReport['active']): Promise<Trainer> {
      const project = typeof at === 'string' ? Project.open(at) : at;
      const t = await Trainer.openOn(project, cpuDeviceOpener(project, active ? { ...backend, active } : backend, workers));
      open.push(t);
      return t;
    },
  };
}
