/**
 * Reads an import source from disk for importModel (import-model.ts): a .pth/.pt file's bytes, or a
 * TF.js model.json with the weight files its manifest names (looked up beside it). The only I/O of
 * the import; everything after it is a pure function of these bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportSource } from './import-model';

/** Weight files a model.json may name; larger manifests are refused rather than read. */
const MAX_SHARDS = 1000;

export function loadImportSource(file: string): ImportSource {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new Error(`${file} does not exist`);
  if (fs.statSync(abs).isDirectory()) {
    const json = path.join(abs, 'model.json');
    if (fs.existsSync(json)) return loadImportSource(json);
    throw new Error(`${file} is a folder without a model.json`);
  }
  const name = path.basename(abs);
  if (!/\.json$/i.test(name)) return { kind: 'torch', name, bytes: new Uint8Array(fs.readFileSync(abs)) };
  const modelJson = fs.readFileSync(abs, 'utf8');
  let manifest: { paths?: unknown }[] = [];
  try {
    manifest = (JSON.parse(modelJson) as { weightsManifest?: { paths?: unknown }[] }).weightsManifest ?? [];
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
  const paths = manifest.flatMap((g) => (Array.isArray(g.paths) ? g.paths.map(String) : []));
  if (paths.length > MAX_SHARDS) throw new Error(`${name} names ${paths.length} weight files; a layers model has a handful`);
  const shards = new Map<string, Uint8Array>();
  const dir = path.dirname(abs);
  for (const p of paths) {
    const shard = path.resolve(dir, p);
    // Only files beside model.json (or below it): a manifest must not point elsewhere on the disk.
    if (path.relative(dir, shard).startsWith('..') || path.isAbsolute(p))
      throw new Error(`${name} names a weight file outside its folder: ${p}`);
    if (!fs.existsSync(shard)) throw new Error(`${name} needs the weight file ${p} next to it`);
    shards.set(p, new Uint8Array(fs.readFileSync(shard)));
  }
  return { kind: 'tfjs', name: `${path.basename(dir)}/${name}`, modelJson, shards };
}
