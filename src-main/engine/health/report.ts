/**
 * A project's run health from its files: the records of its feature space, the notices the
 * detectors raise over records and metrics, the best checkpoint, what is not scored yet. And
 * the one place new records are kept: `recordScores` stores them, logs the notices raised for the
 * first time in metrics.jsonl, and says what changed. tf-free (the engine's process answers
 * `healthReport` from here).
 */
import type { BestCheckpoint, HealthNotice, HealthRecord, HealthReport, HealthUpdate } from '../../shared/types/health';
import type { ProjectConfig, QualityRow } from '../../shared/types';
import { readClassifierInfo } from '../eval/fd-classifier-file';
import { readQualityRows } from '../eval/store';
import type { Project } from '../project/project';
import { chooseBestCheckpoint } from './best';
import { HEALTH_SCORING_SHARE } from './budget';
import { diagnose } from './diagnose';
import { newHealthEvents } from './events';
import { appendHealthEvents, readDataCheck, readHealthEvents, readHealthRecords, readStoredSpace, upsertHealthRecords } from './store';

/** Fewest images the label-free score works with (k-NN radii and a covariance need a few). */
export const MIN_HEALTH_IMAGES = 10;

/** Why the label-free score cannot run on this project, or null. */
export function healthUnavailable(config: ProjectConfig): string | null {
  const n = config.dataset.count;
  return n >= MIN_HEALTH_IMAGES
    ? null
    : `The label-free score compares samples with at least ${MIN_HEALTH_IMAGES} real images; this dataset has ${n}`;
}

/** Records of the project's current feature space (records of an earlier space are not comparable). */
export function currentRecords(project: Project, all = readHealthRecords(project)): HealthRecord[] {
  const space = readStoredSpace(project)?.info.id;
  return space ? all.filter((r) => r.space === space) : [];
}

/** The labelled quality rows of the project's current classifier (eval/quality.ts): none without labels. */
function labelledRows(project: Project): QualityRow[] {
  const classifier = readClassifierInfo(project);
  return classifier ? readQualityRows(project).filter((r) => r.classifierId === classifier.id) : [];
}

/** The best checkpoint still on disk, by the label-free score and (where it exists) the labelled one. */
export function bestCheckpoint(
  project: Project,
  records = currentRecords(project),
  labelled = labelledRows(project),
): BestCheckpoint | null {
  return chooseBestCheckpoint(records, labelled, { available: project.checkpointSteps() });
}

/**
 * A payload's `checkpoint` (contract/common.ts checkpointChoice) as `ganAt`'s step: undefined is
 * the newest good one. 'best' with nothing scored stays undefined, so a damaged newest checkpoint
 * is set aside and the previous one used, exactly as without a choice.
 */
export const checkpointStep = (project: Project, choice: number | 'best' | undefined): number | undefined =>
  choice === 'best' ? bestCheckpoint(project)?.step : choice;

export function healthReport(project: Project): HealthReport {
  const records = currentRecords(project);
  const labelled = labelledRows(project);
  const scored = new Set(records.map((r) => r.step));
  return {
    space: readStoredSpace(project)?.info ?? null,
    records,
    labelled,
    notices: diagnose({ metrics: project.metrics(), records }),
    events: readHealthEvents(project),
    best: bestCheckpoint(project, records, labelled),
    unscored: project.checkpointSteps().filter((s) => !scored.has(s)),
    unavailable: healthUnavailable(project.config),
    budgetShare: HEALTH_SCORING_SHARE,
    dataCheck: readDataCheck(project),
  };
}

/**
 * Keeps new records (none: the metrics alone are diagnosed), logs the notices that are new in
 * metrics.jsonl, and returns the update to announce.
 */
export function recordScores(project: Project, fresh: readonly HealthRecord[]): Omit<HealthUpdate, 'dir'> {
  const all = fresh.length ? upsertHealthRecords(project, fresh) : readHealthRecords(project);
  const records = currentRecords(project, all);
  const events = newHealthEvents(diagnose({ metrics: project.metrics(), records }), readHealthEvents(project));
  appendHealthEvents(project, events);
  const notices: HealthNotice[] = events.map(({ event: _e, version: _v, time: _t, ...notice }) => notice);
  return { records: [...fresh], notices, best: bestCheckpoint(project, records) };
}
