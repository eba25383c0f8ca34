/** Engine-side evaluation methods: what was evaluated so far (eval/*.jsonl), and cancelling a run. */
import { evalJobKey, type evalContract } from '../../shared/contract/eval';
import type { HandlersOf } from '../handler-types';
import { labelsMissing } from './dataset';
import { readClassifierInfo } from './fd-classifier-file';
import { readFeatureRuns, readMemorisationRows, readQualityRows } from './store';

export const evalHandlers: HandlersOf<typeof evalContract> = {
  evalLogs: async (project) => {
    const classifier = readClassifierInfo(project);
    return {
      labelsMissing: labelsMissing(project.config),
      features: readFeatureRuns(project),
      quality: classifier ? readQualityRows(project).filter((r) => r.classifierId === classifier.id) : [],
      memorisation: readMemorisationRows(project),
      classifier,
    };
  },
  evalCancel: async (project, _args, ctx) => ctx.jobs.cancel(evalJobKey(project.dir)),
};
