/** Engine-side run-health methods: the report from the project's files, and cancelling a score or a check. */
import { folderCheckKey, healthJobKey, type healthContract } from '../../shared/contract/health';
import type { HandlersOf } from '../handler-types';
import { healthReport } from './report';

export const healthHandlers: HandlersOf<typeof healthContract> = {
  healthReport: async (project) => healthReport(project),
  healthCancel: async (project, _args, ctx) => ctx.jobs.cancel(healthJobKey(project.dir)),
  checkFolderCancel: async ({ path }, ctx) => ctx.jobs.cancel(folderCheckKey(path)),
};
