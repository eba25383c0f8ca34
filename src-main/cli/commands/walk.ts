import fs from 'node:fs';
import path from 'node:path';
import { selectBackend } from '../../engine/backend/select';
import { WalkExport } from '../../engine/latent/export/walk-export';
import { readGallery } from '../../engine/latent/gallery';
import { exportSource, planFor } from '../../engine/latent/tasks';
import { buildGan, disposeGan } from '../../engine/models/gan';
import { checkpointSteps, readCheckpoint } from '../../engine/project/checkpoints';
import { loadProjectConfig } from '../../engine/project/project';
import { restoreGan } from '../../engine/train/state';
import type { ProjectConfig, WalkEndpoint, WalkExportFormat, WalkExportOptions, WalkMode, WalkSpec } from '../../shared/types';
import { bar, choiceOption, endProgress, intOption, numberOption, parse, progressLine, UsageError } from '../args';

export const walkUsage =
  'walk <dir> (--seeds 1,2,3 | --z-in z.json | --samples a,b) --out walk.gif [--frames 16] [--mode slerp|linear] [--loop] ' +
  '[--random STEPS --step-size 0.2 --walk-seed 1] [--sweep DIM --range -3,3] [--classes 0,1,2] [--labels 0,1,2] ' +
  '[--format gif|png-strip|png-grid|json] [--fps 12] [--scale 4] [--ping-pong] [--cols N] [--z-out frames.json]';

const formats = ['gif', 'png-strip', 'png-grid', 'json'] as const;

function intList(name: string, raw: string | undefined, min: number): number[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim());
  return items.map((s) => intOption(name, s, min)!);
}

function numberPair(name: string, raw: string | undefined): [number, number] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n)))
    throw new UsageError(`--${name} must be two numbers like -3,3, got '${raw}'`);
  return [parts[0], parts[1]];
}

/**
 * Endpoints from a JSON file: an array of z rows, `{ z: [[...]], labels? }` (what
 * `ganvas sample --z-out` writes), or a gallery file `{ samples: [{ z, label }] }`.
 */
export function endpointsFromJson(file: string): WalkEndpoint[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--z-in ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not valid JSON'}`);
  }
  const obj = raw as { z?: unknown; labels?: unknown; samples?: { z: unknown; label?: unknown }[] };
  let rows: unknown[];
  let labels: unknown[] | null = null;
  if (Array.isArray(raw)) rows = raw;
  else if (obj && Array.isArray(obj.z)) [rows, labels] = [obj.z, Array.isArray(obj.labels) ? obj.labels : null];
  else if (obj && Array.isArray(obj.samples)) [rows, labels] = [obj.samples.map((s) => s.z), obj.samples.map((s) => s.label ?? null)];
  else throw new UsageError(`--z-in ${file}: expected an array of z rows, { "z": [...] } or { "samples": [...] }`);
  return rows.map((row, i) => {
    if (!Array.isArray(row) || !row.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new UsageError(`--z-in ${file}: row ${i} is not a list of numbers`);
    }
    const label = labels?.[i];
    return { kind: 'z', z: row as number[], label: typeof label === 'number' ? label : null };
  });
}

function endpointsFromSamples(dir: string, raw: string): WalkEndpoint[] {
  const gallery = readGallery(dir);
  return raw.split(',').map((key) => {
    const sample = gallery.find((s) => s.id === key.trim()) ?? gallery.find((s) => s.name === key.trim());
    if (!sample) throw new UsageError(`--samples: no saved sample with id or name '${key.trim()}' in this project's gallery`);
    return { kind: 'sample', id: sample.id };
  });
}

function buildSpec(dir: string, config: ProjectConfig, values: Record<string, string | boolean | undefined>): WalkSpec {
  const str = (k: string) => values[k] as string | undefined;
  const sources = ['seeds', 'z-in', 'samples'].filter((k) => values[k] !== undefined);
  if (sources.length !== 1) throw new UsageError('give the endpoints with exactly one of --seeds, --z-in or --samples');
  const labels = intList('labels', str('labels'), 0);
  let endpoints: WalkEndpoint[];
  if (str('seeds') !== undefined) {
    const seeds = intList('seeds', str('seeds'), 0)!;
    if (labels && labels.length !== seeds.length) throw new UsageError(`--labels has ${labels.length} classes for ${seeds.length} seeds`);
    endpoints = seeds.map((seed, i) => ({ kind: 'seed', seed, ...(labels && { classIndex: labels[i] }) }));
  } else if (str('z-in') !== undefined) {
    endpoints = endpointsFromJson(path.resolve(str('z-in')!));
    if (labels) endpoints = endpoints.map((e, i) => ({ ...e, label: labels[i] ?? 0 }));
  } else {
    endpoints = endpointsFromSamples(dir, str('samples')!);
  }
  if (endpoints.length === 0) throw new UsageError('no endpoints given');
  const mode = choiceOption<WalkMode>('mode', values.mode, ['slerp', 'linear']) ?? 'slerp';
  const frames = intOption('frames', values.frames, 1, 512) ?? 16;
  const loop = Boolean(values.loop);
  const kinds = ['random', 'sweep', 'classes'].filter((k) => values[k] !== undefined);
  if (kinds.length > 1) throw new UsageError(`--${kinds[0]} and --${kinds[1]} are different walks: choose one`);
  const start = endpoints[0];
  if (values.random !== undefined) {
    return {
      kind: 'random',
      start,
      steps: intOption('random', values.random, 1, 1024)!,
      stepSize: numberOption('step-size', values['step-size'], 0.001, 1) ?? 0.2,
      seed: intOption('walk-seed', values['walk-seed'], 0) ?? 1,
      mode,
      framesPerSegment: frames,
    };
  }
  if (values.sweep !== undefined) {
    return {
      kind: 'sweep',
      start,
      dim: intOption('sweep', values.sweep, 0, config.model.zDim - 1)!,
      range: numberPair('range', str('range')) ?? [-3, 3],
      frames: Math.max(2, frames),
    };
  }
  if (values.classes !== undefined) {
    if (config.model.numClasses === 0) throw new UsageError('--classes needs a conditional project');
    return { kind: 'classes', start, classes: intList('classes', str('classes'), 0)!, framesPerSegment: frames, loop };
  }
  if (endpoints.length < 2) throw new UsageError('an interpolation needs at least two endpoints');
  return { kind: 'path', endpoints, mode, framesPerSegment: frames, loop };
}

function formatFor(out: string, raw: unknown): WalkExportFormat {
  const chosen = choiceOption<WalkExportFormat>('format', raw, formats);
  if (chosen) return chosen;
  const ext = path.extname(out).toLowerCase();
  if (ext === '.gif') return 'gif';
  if (ext === '.png') return 'png-strip';
  if (ext === '.json') return 'json';
  throw new UsageError(`cannot tell the format from '${out}': use .gif, .png or .json, or --format`);
}

export async function walkCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      seeds: { type: 'string' },
      'z-in': { type: 'string' },
      samples: { type: 'string' },
      labels: { type: 'string' },
      frames: { type: 'string' },
      mode: { type: 'string' },
      loop: { type: 'boolean' },
      random: { type: 'string' },
      'step-size': { type: 'string' },
      'walk-seed': { type: 'string' },
      sweep: { type: 'string' },
      range: { type: 'string' },
      classes: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      fps: { type: 'string' },
      scale: { type: 'string' },
      'ping-pong': { type: 'boolean' },
      cols: { type: 'string' },
      'z-out': { type: 'string' },
    },
    ['dir'],
  );
  if (!values.out) throw new UsageError('--out is required (the .gif, .png or .json to write)');
  const dir = path.resolve(positionals[0]);
  const config = loadProjectConfig(dir);
  const spec = buildSpec(dir, config, values);
  const out = path.resolve(values.out);
  const options: WalkExportOptions = {
    format: formatFor(out, values.format),
    out,
    fps: numberOption('fps', values.fps, 1, 50) ?? 12,
    scale: intOption('scale', values.scale, 1, 16) ?? (config.model.size <= 32 ? 4 : 2),
    pingPong: Boolean(values['ping-pong']),
    ...(values.cols !== undefined && { cols: intOption('cols', values.cols, 1, 256) }),
  };

  await selectBackend('auto');
  const gan = buildGan(config.model, config.train);
  try {
    const step = checkpointSteps(dir).at(-1) ?? 0;
    if (step > 0) restoreGan(gan, readCheckpoint(dir, step));
    else process.stderr.write('Warning: this project has no checkpoint yet; walking the untrained generator\n');
    const m = { dir, config, step, gan };
    const planned = planFor(m, spec);
    const job = new WalkExport(exportSource(m), spec, planned, options);
    for (;;) {
      const p = await job.step();
      progressLine(`${p.phase === 'render' ? 'Rendering' : 'Encoding '} ${bar(p.done, p.total)}`, p.done / p.total);
      if (!p.result) continue;
      endProgress();
      if (values['z-out']) {
        const zJob = new WalkExport(exportSource(m), spec, planned, { ...options, format: 'json', out: path.resolve(values['z-out']) });
        await zJob.step();
      }
      const r = p.result;
      const size = r.width ? ` ${r.width}x${r.height}` : '';
      process.stderr.write(
        `Wrote ${r.frames} frames${size} from step ${step} to ${values.out} (${(r.bytes / 1024).toFixed(1)} KiB, ${r.seconds.toFixed(2)} s)\n`,
      );
      return;
    }
  } finally {
    disposeGan(gan);
  }
}
