/**
 * Reading the small versioned JSON files a project keeps (gallery, concepts, forgetting boxes):
 * missing is "none yet", unparseable or off-schema is `damaged` with what to do about it, and a
 * file from a newer Ganvas is refused rather than half-read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { damaged, GanvasError } from '../../shared/errors';

export interface VersionedFile<S extends z.ZodType> {
  /** The version this build writes and reads. */
  version: number;
  schema: S;
  /** What the file is, for messages: "gallery", "box file". */
  what: string;
  /** What a person can do about a damaged file. */
  remedy: string;
}

/** The parsed file, or null when it does not exist yet. */
export function readVersionedJson<S extends z.ZodType>(file: string, spec: VersionedFile<S>): z.output<S> | null {
  if (!fs.existsSync(file)) return null;
  const name = path.basename(file);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw damaged(`${name} (the ${spec.what}) is not valid JSON; ${spec.remedy}`);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > spec.version) {
    throw new GanvasError('invalid', `${name} was written by a newer Ganvas (version ${version}); update Ganvas to open it`);
  }
  const parsed = spec.schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(`${name} (the ${spec.what}) is damaged (${issue.path.join('.') || 'file'}: ${issue.message}); ${spec.remedy}`);
  }
  return parsed.data;
}
