/**
 * `ganvas walk`: latent walks (paper Fig. 4) from the shell, exported as an animated GIF, a PNG
 * strip or grid, or the frames' z, through the same contract calls as the app's walk view.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { WalkEndpoint, WalkExportFormat, WalkMode, WalkSpec } from '../../shared/types';
import { bar, choiceOption, endProgress, num, numList, progressLine, required, str, UsageError } from '../args';
import type { CliCommand, Parsed } from '../command';
import { note, type Session } from '../session';

const formats = ['gif', 'mp4', 'webm', 'png-strip', 'png-grid', 'json'] as const;

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

async function endpointsFromSamples(session: Session, dir: string, raw: string): Promise<WalkEndpoint[]> {
  const gallery = await session.call('galleryList', { dir });
  return raw.split(',').map((key) => {
    const sample = gallery.find((s) => s.id === key.trim()) ?? gallery.find((s) => s.name === key.trim());
    if (!sample) throw new UsageError(`--samples: no saved sample with id or name '${key.trim()}' in this project's gallery`);
    return { kind: 'sample', id: sample.id };
  });
}

function numberPair(name: string, raw: string | undefined): [number, number] | undefined {
  const pair = numList(name, raw);
  if (pair && pair.length !== 2) throw new UsageError(`--${name} must be two numbers like -3,3, got '${raw}'`);
  return pair as [number, number] | undefined;
}

async function buildSpec(session: Session, dir: string, v: Parsed['values']): Promise<WalkSpec> {
  const sources = ['seeds', 'z-in', 'samples'].filter((k) => v[k] !== undefined);
  if (sources.length !== 1) throw new UsageError('give the endpoints with exactly one of --seeds, --z-in or --samples');
  const labels = numList('labels', v.labels);
  let endpoints: WalkEndpoint[];
  if (v.seeds !== undefined) {
    const seeds = numList('seeds', v.seeds)!;
    if (labels && labels.length !== seeds.length) throw new UsageError(`--labels has ${labels.length} classes for ${seeds.length} seeds`);
    endpoints = seeds.map((seed, i) => ({ kind: 'seed', seed, ...(labels && { classIndex: labels[i] }) }));
  } else if (v['z-in'] !== undefined) {
    endpoints = endpointsFromJson(path.resolve(str(v['z-in'])!));
    if (labels) endpoints = endpoints.map((e, i) => ({ ...e, label: labels[i] ?? 0 }));
  } else {
    endpoints = await endpointsFromSamples(session, dir, str(v.samples)!);
  }
  if (endpoints.length === 0) throw new UsageError('no endpoints given');
  const mode = choiceOption<WalkMode>('mode', v.mode, ['slerp', 'linear']) ?? 'slerp';
  const frames = num('frames', v.frames) ?? 16;
  const loop = v.loop === true;
  const kinds = ['random', 'sweep', 'classes'].filter((k) => v[k] !== undefined);
  if (kinds.length > 1) throw new UsageError(`--${kinds[0]} and --${kinds[1]} are different walks: choose one`);
  const start = endpoints[0];
  if (v.random !== undefined) {
    const steps = num('random', v.random)!;
    return {
      kind: 'random',
      start,
      steps,
      stepSize: num('step-size', v['step-size']) ?? 0.2,
      seed: num('walk-seed', v['walk-seed']) ?? 1,
      mode,
      framesPerSegment: frames,
    };
  }
  if (v.sweep !== undefined) {
    return {
      kind: 'sweep',
      start,
      dim: num('sweep', v.sweep)!,
      range: numberPair('range', str(v.range)) ?? [-3, 3],
      frames: Math.max(2, frames),
    };
  }
  if (v.classes !== undefined) return { kind: 'classes', start, classes: numList('classes', v.classes)!, framesPerSegment: frames, loop };
  if (endpoints.length < 2) throw new UsageError('an interpolation needs at least two endpoints');
  return { kind: 'path', endpoints, mode, framesPerSegment: frames, loop };
}

function formatFor(out: string, raw: unknown): WalkExportFormat {
  const chosen = choiceOption<WalkExportFormat>('format', raw, formats);
  if (chosen) return chosen;
  const ext = path.extname(out).toLowerCase();
  if (ext === '.gif') return 'gif';
  if (ext === '.mp4') return 'mp4';
  if (ext === '.webm') return 'webm';
  if (ext === '.png') return 'png-strip';
  if (ext === '.json') return 'json';
  throw new UsageError(`cannot tell the format from '${out}': use .gif, .mp4, .webm, .png or .json, or --format`);
}

/** Contract fields -> the flags that set them, so a refused value names its flag. */
const FLAGS = {
  'spec.steps': 'random',
  'spec.stepSize': 'step-size',
  'spec.seed': 'walk-seed',
  'spec.dim': 'sweep',
  'spec.range': 'range',
  'spec.classes': 'classes',
  'spec.frames': 'frames',
  'spec.framesPerSegment': 'frames',
  'spec.endpoints': 'seeds',
  'spec.start': 'seeds',
  'options.fps': 'fps',
  'options.scale': 'scale',
  'options.cols': 'cols',
  'options.out': 'out',
};

export const walkCommand: CliCommand = {
  name: 'walk',
  summary: "latent walks (paper Fig. 4) exported as an animated GIF, an MP4 or WebM video, a PNG strip/grid or the frames' z",
  usage:
    'walk <dir> (--seeds 1,2,3 | --z-in z.json | --samples a,b) --out walk.gif|.mp4|.webm [--frames 16] [--mode slerp|linear] [--loop] ' +
    '[--random STEPS --step-size 0.2 --walk-seed 1] [--sweep DIM --range -3,3] [--classes 0,1,2] [--labels 0,1,2] ' +
    '[--format gif|mp4|webm|png-strip|png-grid|json] [--fps 12] [--scale 4] [--ping-pong] [--cols N] [--z-out frames.json]',
  positionals: ['dir'],
  options: {
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
  async run({ values: v, positionals }, session) {
    const out = path.resolve(required('out', str(v.out), 'the .gif, .png or .json to write'));
    const summary = await session.call('openProject', { dir: positionals[0] });
    const dir = summary.dir;
    if (summary.step === 0) note('Warning: this project has no checkpoint yet; walking the untrained generator');
    if (v.classes !== undefined && summary.config.model.numClasses === 0) throw new UsageError('--classes needs a conditional project');
    const spec = await buildSpec(session, dir, v);
    const options = {
      format: formatFor(out, v.format),
      out,
      fps: num('fps', v.fps) ?? 12,
      scale: num('scale', v.scale) ?? (summary.config.model.size <= 32 ? 4 : 2),
      pingPong: v['ping-pong'] === true,
      cols: num('cols', v.cols),
    };
    const id = randomUUID();
    const off = await session.on('export.progress', (p) => {
      if (p.id === id && (p.phase === 'render' || p.phase === 'encode'))
        progressLine(`${p.phase === 'render' ? 'Rendering' : 'Encoding '} ${bar(p.done, p.total)}`, p.done / Math.max(1, p.total));
    });
    try {
      const r = await session.call('exportWalk', { dir, spec, options, id }, FLAGS);
      endProgress();
      const zOut = str(v['z-out']);
      if (zOut) await session.call('exportWalk', { dir, spec, options: { ...options, format: 'json', out: path.resolve(zOut) } }, FLAGS);
      const size = r.width ? ` ${r.width}x${r.height}` : '';
      note(
        `Wrote ${r.frames} frames${size} from step ${summary.step} to ${str(v.out)} (${(r.bytes / 1024).toFixed(1)} KiB, ${r.seconds.toFixed(2)} s)`,
      );
    } finally {
      off();
    }
  },
};
