/**
 * The forgetting view's boxes, saved in the project as versioned JSON (inspect/forget.json),
 * written atomically. A file from a newer Ganvas is refused rather than half-read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { forgetAnnotationsSchema } from '../../shared/contract/inspect';
import type { ForgetAnnotations } from '../../shared/types/inspect';
import { writeJsonAtomic } from '../project/atomic';
import type { Project } from '../project/project';
import { readVersionedJson } from '../project/versioned-json';

export const FORGET_VERSION = 1;

export const emptyAnnotations = (): ForgetAnnotations => ({ version: 1, layer: null, samples: [] });

export function loadForgetAnnotations(project: Project): ForgetAnnotations {
  const file = readVersionedJson(project.files.forgetAnnotations, {
    version: FORGET_VERSION,
    schema: forgetAnnotationsSchema,
    what: 'box file',
    remedy: 'delete it to start over',
  });
  return file ?? emptyAnnotations();
}

/** Saves the boxes (samples without boxes are dropped: nothing to remember about them). */
export function saveForgetAnnotations(project: Project, annotations: ForgetAnnotations): ForgetAnnotations {
  const clean: ForgetAnnotations = { ...annotations, samples: annotations.samples.filter((s) => s.boxes.length > 0) };
  const file = project.files.forgetAnnotations;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeJsonAtomic(file, clean);
  return clean;
}
