/**
 * The forgetting view's boxes, saved in the project as versioned JSON (inspect/forget.json),
 * written atomically. A file from a newer Ganvas is refused rather than half-read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { forgetAnnotationsSchema } from '../../shared/contract/inspect';
import { damaged } from '../../shared/errors';
import type { ForgetAnnotations } from '../../shared/types/inspect';
import { writeJsonAtomic } from '../project/atomic';
import type { Project } from '../project/project';

export const FORGET_VERSION = 1;

export const emptyAnnotations = (): ForgetAnnotations => ({ version: 1, layer: null, samples: [] });

export function loadForgetAnnotations(project: Project): ForgetAnnotations {
  const file = project.files.forgetAnnotations;
  if (!fs.existsSync(file)) return emptyAnnotations();
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw damaged(`${file} is not valid JSON (${(err as Error).message}); delete it to start over`);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > FORGET_VERSION) {
    throw new Error(`${file} was written by a newer Ganvas (format ${version}); this version reads format ${FORGET_VERSION}`);
  }
  const parsed = forgetAnnotationsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(`${file} is not a valid box file (${issue.path.join('.')}: ${issue.message}); delete it to start over`);
  }
  return parsed.data;
}

/** Saves the boxes (samples without boxes are dropped: nothing to remember about them). */
export function saveForgetAnnotations(project: Project, annotations: ForgetAnnotations): ForgetAnnotations {
  const clean: ForgetAnnotations = { ...annotations, samples: annotations.samples.filter((s) => s.boxes.length > 0) };
  const file = project.files.forgetAnnotations;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeJsonAtomic(file, clean);
  return clean;
}
