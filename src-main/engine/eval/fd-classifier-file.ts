/**
 * eval/fd-classifier.json: the quality classifier's facts and weights (Float32 little-endian,
 * base64), versioned. tf-free, so the engine process can list a project's evaluation state
 * without loading a tfjs backend.
 */
import fs from 'node:fs';
import { damaged } from '../../shared/errors';
import type { FdClassifierInfo } from '../../shared/types/eval';
import { writeJsonAtomic } from '../project/atomic';
import type { Project } from '../project/project';
import { evalFile, FD_CLASSIFIER_FILE } from './store';

export const FD_CLASSIFIER_NAME = 'ganvas-cnn-v1';
const FILE_FORMAT = 'ganvas-fd-classifier';
const FILE_VERSION = 1;

export interface StoredTensor {
  name: string;
  shape: number[];
  /** Float32 little-endian bytes, base64. */
  data: string;
}

export interface ClassifierFile {
  format: typeof FILE_FORMAT;
  version: number;
  info: FdClassifierInfo;
  tensors: StoredTensor[];
}

export const encodeTensor = (name: string, shape: number[], values: Float32Array): StoredTensor => ({
  name,
  shape,
  data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64'),
});

export function decodeTensor(t: StoredTensor): Float32Array {
  const bytes = Buffer.from(t.data, 'base64');
  const floats = new Float32Array(bytes.byteLength / 4);
  Buffer.from(floats.buffer).set(bytes);
  return floats;
}

export function writeClassifierFile(project: Project, info: FdClassifierInfo, tensors: StoredTensor[]): void {
  fs.mkdirSync(project.files.evalDir, { recursive: true });
  const file: ClassifierFile = { format: FILE_FORMAT, version: FILE_VERSION, info, tensors };
  writeJsonAtomic(evalFile(project, FD_CLASSIFIER_FILE), file);
}

/** The saved classifier, or null when there is none. A damaged file is an error, not a silent retrain. */
export function readClassifierFile(project: Project): ClassifierFile | null {
  const path = evalFile(project, FD_CLASSIFIER_FILE);
  if (!fs.existsSync(path)) return null;
  let file: ClassifierFile;
  try {
    file = JSON.parse(fs.readFileSync(path, 'utf8')) as ClassifierFile;
  } catch {
    throw damaged(`${path} is damaged; retrain the quality classifier to score again`);
  }
  if (file.format !== FILE_FORMAT) throw damaged(`${path} is not a Ganvas quality classifier`);
  if (file.version > FILE_VERSION) throw new Error(`${path} was written by a newer Ganvas`);
  return file;
}

export const readClassifierInfo = (project: Project): FdClassifierInfo | null => readClassifierFile(project)?.info ?? null;
