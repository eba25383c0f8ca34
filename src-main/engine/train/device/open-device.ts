/**
 * Which device a run on this process's CPU backends trains on: today's LocalDevice (one worker),
 * or a ParallelDevice of K worker threads (the `workers` setting; automatic = physical cores,
 * within the limits of train/parallel/workers.ts). Says when the setting could not be followed,
 * and when a run resumes with another worker count than its checkpoint was trained with.
 */
import os from 'node:os';
import type { BackendReport } from '../../../shared/types';
import { discriminatorSpec, generatorSpec } from '../../models/architecture';
import { buildGan } from '../../models/gan';
import { layerParams } from '../../models/layer-math';
import type { Checkpoint } from '../../project/checkpoints';
import { restoreGan } from '../../project/gan-state';
import type { Project } from '../../project/project';
import { supportsHandBackprop } from '../backprop/network';
import { ParallelDevice } from '../parallel/parallel-device';
import { chooseWorkers, physicalCores, workerBytes, type WorkersChoice } from '../parallel/workers';
import type { TrainingDevice } from './device';
import { LocalDevice } from './local-device';

/** How many workers this project's run gets on `backend` (`requested` undefined: automatic). */
export function workersFor(project: Project, backend: BackendReport, requested?: number): WorkersChoice {
  const { model, train } = project.config;
  const G = generatorSpec(model);
  const D = discriminatorSpec(model);
  const parameters = [...G, ...D].reduce((n, l) => n + layerParams(l), 0);
  const cores = physicalCores();
  const estimate = chooseWorkers({
    requested,
    backend: backend.active,
    batchSize: train.batchSize,
    handBackprop: true,
    perWorker: 1,
    free: Infinity,
    cores,
  });
  return chooseWorkers({
    requested,
    backend: backend.active,
    batchSize: train.batchSize,
    handBackprop: supportsHandBackprop({ spec: G }) && supportsHandBackprop({ spec: D }),
    perWorker: workerBytes(model, parameters, Math.ceil(train.batchSize / estimate.workers)),
    free: os.freemem(),
    cores,
  });
}

/**
 * The Trainer's device opener (Trainer.openOn) for a run on `backend` with the `workers` setting.
 * Notices (shown as warnings by the app and the CLI) say why fewer workers run than asked, and
 * that a resumed run with another worker count is no longer bit-identical to an uninterrupted one.
 */
export function cpuDeviceOpener(
  project: Project,
  backend: BackendReport,
  requested?: number,
): (start: Checkpoint | null) => Promise<TrainingDevice> {
  return async (start) => {
    const { workers, note } = workersFor(project, backend, requested);
    if (note) project.notice('workers', note, false);
    const trainedWith = start?.header.workers ?? 1;
    if (start && trainedWith !== workers) {
      project.notice(
        'workers',
        `Step ${start.header.step} was trained with ${trainedWith} worker${trainedWith === 1 ? '' : 's'} and this run uses ${workers}: ` +
          'training continues correctly, but the results are no longer bit-identical to an uninterrupted run',
        false,
      );
    }
    const { model, train } = project.config;
    if (workers > 1 && (backend.active === 'wasm' || backend.active === 'cpu')) {
      return ParallelDevice.open({ workers, backend: { ...backend, active: backend.active }, model, hyper: train, start });
    }
    const gan = buildGan(model, train);
    if (start) restoreGan(gan, start);
    return new LocalDevice(gan, backend);
  };
}
