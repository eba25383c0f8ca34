/**
 * Evaluation results in the project folder:
 *   eval/features.jsonl      one FeatureEvalResult per run (Sec. 5.1 accuracies)
 *   eval/quality.jsonl       one QualityRow per scored checkpoint
 *   eval/memorisation.jsonl  one MemorisationRow per checked checkpoint
 *   eval/fd-classifier.json  the quality score's own classifier (fd-classifier.ts)
 * Rows carry `version`-free plain fields; files are rewritten atomically, a torn last line
 * (a process killed mid-append) is skipped on read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FeatureEvalResult, MemorisationRow, QualityRow } from '../../shared/types/eval';
import { writeFileAtomic } from '../project/atomic';
import type { Project } from '../project/project';

export const FEATURES_FILE = 'features.jsonl';
export const QUALITY_FILE = 'quality.jsonl';
export const MEMORISATION_FILE = 'memorisation.jsonl';
export const FD_CLASSIFIER_FILE = 'fd-classifier.json';

/** Feature runs kept in the log (the GUI shows the newest; older ones are history). */
const MAX_FEATURE_RUNS = 50;

export const evalFile = (project: Project, name: string) => project.files.eval(name);

export function readJsonl<T>(file: string, valid: (row: T) => boolean): T[] {
  if (!fs.existsSync(file)) return [];
  const rows: T[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as T;
      if (valid(row)) rows.push(row);
    } catch {
      /* torn line */
    }
  }
  return rows;
}

function writeJsonl(file: string, rows: unknown[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
}

/** Replaces rows with the same step (a re-run supersedes the old score), sorted by step. */
function upsertByStep<T extends { step: number }>(file: string, existing: T[], fresh: T[]): T[] {
  const steps = new Set(fresh.map((r) => r.step));
  const rows = [...existing.filter((r) => !steps.has(r.step)), ...fresh].sort((a, b) => a.step - b.step);
  writeJsonl(file, rows);
  return rows;
}

const hasStep = (r: { step?: unknown }) => typeof r.step === 'number';

export const readFeatureRuns = (project: Project) =>
  readJsonl<FeatureEvalResult>(evalFile(project, FEATURES_FILE), (r) => r.version === 1 && Array.isArray(r.rows));

export function appendFeatureRun(project: Project, run: FeatureEvalResult): void {
  writeJsonl(evalFile(project, FEATURES_FILE), [...readFeatureRuns(project), run].slice(-MAX_FEATURE_RUNS));
}

export const readQualityRows = (project: Project) =>
  readJsonl<QualityRow>(evalFile(project, QUALITY_FILE), (r) => hasStep(r) && typeof r.fd === 'number');

export const upsertQualityRows = (project: Project, rows: QualityRow[]) =>
  upsertByStep(evalFile(project, QUALITY_FILE), readQualityRows(project), rows);

/** Scores from another classifier are not comparable: a retrained classifier starts a fresh log. */
export function resetQualityRows(project: Project): void {
  const file = evalFile(project, QUALITY_FILE);
  if (fs.existsSync(file)) writeJsonl(file, []);
}

export const readMemorisationRows = (project: Project) =>
  readJsonl<MemorisationRow>(evalFile(project, MEMORISATION_FILE), (r) => hasStep(r) && typeof r.pixel === 'object');

export const upsertMemorisationRows = (project: Project, rows: MemorisationRow[]) =>
  upsertByStep(evalFile(project, MEMORISATION_FILE), readMemorisationRows(project), rows);
