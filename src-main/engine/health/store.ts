/**
 * Run-health files of a project (names in project/layout.ts), all written through the atomic writer:
 *   health/space.json     the fixed feature space (feature-net.ts StoredFeatureSpace)
 *   health/records.jsonl  one HealthRecord per scored checkpoint, by step (a re-score replaces it)
 *   metrics.jsonl         notices as `"event":"health"` lines (events.ts), beside the metric rows
 *   data-check.json       the data check of the imported images (data/checks.ts)
 * tf-free: the engine's own process reads these to answer `healthReport`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataCheckReport, HealthEvent, HealthRecord } from '../../shared/types/health';
import { readJsonl } from '../eval/store';
import { writeFileAtomic, writeJsonAtomic } from '../project/atomic';
import { appendMetrics, readMetricEvents } from '../project/metrics';
import type { Project } from '../project/project';
import { HEALTH_EVENT, isHealthEvent } from './events';
import type { StoredFeatureSpace } from './feature-net';

const isRecord = (r: Partial<HealthRecord>) => typeof r.step === 'number' && typeof r.space === 'string' && typeof r.fd === 'number';

/** Every record of every space, by step (the newest of a step wins). */
export function readHealthRecords(project: Project): HealthRecord[] {
  const byStep = new Map<number, HealthRecord>();
  for (const r of readJsonl<HealthRecord>(project.files.healthRecords, isRecord)) byStep.set(r.step, r);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Adds records, replacing those of the same steps; returns every record. */
export function upsertHealthRecords(project: Project, fresh: readonly HealthRecord[]): HealthRecord[] {
  const steps = new Set(fresh.map((r) => r.step));
  const rows = [...readHealthRecords(project).filter((r) => !steps.has(r.step)), ...fresh].sort((a, b) => a.step - b.step);
  const file = project.files.healthRecords;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  return rows;
}

/** The stored feature space, or null before the first score (a torn file counts as none: a new space starts). */
export function readStoredSpace(project: Project): StoredFeatureSpace | null {
  const file = project.files.healthSpace;
  if (!fs.existsSync(file)) return null;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StoredFeatureSpace;
  } catch {
    project.notice('torn-file', `${path.relative(project.dir, file)} is damaged; the label-free score starts a new feature space`);
    return null;
  }
}

export function writeStoredSpace(project: Project, stored: StoredFeatureSpace): void {
  fs.mkdirSync(path.dirname(project.files.healthSpace), { recursive: true });
  writeJsonAtomic(project.files.healthSpace, stored);
}

/** Health notices logged in metrics.jsonl, oldest first. */
export const readHealthEvents = (project: Project): HealthEvent[] =>
  readMetricEvents<HealthEvent>(project.files.metrics, HEALTH_EVENT).filter(isHealthEvent);

export const appendHealthEvents = (project: Project, events: readonly HealthEvent[]) => appendMetrics(project.files.metrics, events);

/** The saved data check, or null (none made, or unreadable: it is only a record). */
export function readDataCheck(project: Project): DataCheckReport | null {
  const file = project.files.dataCheck;
  if (!fs.existsSync(file)) return null;
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as DataCheckReport;
    return report?.version === 1 && Array.isArray(report.findings) ? report : null;
  } catch {
    return null;
  }
}

export const writeDataCheck = (project: Project, report: DataCheckReport) => writeJsonAtomic(project.files.dataCheck, report);
