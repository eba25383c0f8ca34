/**
 * Latent walk benchmarks on the active backend, in this process: frames per second of walk
 * generation (G only, and G + one PNG per frame as the app's player receives them) for the MNIST
 * and 64x64 presets, and the time to export 64 frames as a GIF at 4x scale (rendering included,
 * and the encoding alone). Untrained weights: speed does not depend on what G learned.
 * Run: `npx tsx test/bench/latent.ts` — prints one JSON object.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { endpointResolver } from '../../src-main/engine/latent/endpoints';
import { GifWriter, globalPalette } from '../../src-main/engine/latent/export/gif';
import { frameBytes } from '../../src-main/engine/latent/export/pixels';
import { WalkExport } from '../../src-main/engine/latent/export/walk-export';
import { planWalk } from '../../src-main/engine/latent/plan';
import { renderFrames } from '../../src-main/engine/latent/render';
import { framePngs } from '../../src-main/engine/latent/tasks';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import type { WalkSpec } from '../../src-main/shared/types';
import { bareProject } from '../helpers/projects';

const FRAMES = 64;

export interface WalkPresetBench {
  preset: string;
  frames: number;
  /** G alone, in the worker's batches of 16. */
  renderFps: number;
  /** G plus a PNG per frame: what the player receives. */
  renderPngFps: number;
  /** 64 frames, 4x nearest-neighbour, global palette, from z to file. */
  gifExportSeconds: number;
  /** The same GIF from already rendered frames: palette + mapping + LZW. */
  gifEncodeSeconds: number;
  gifBytes: number;
  gifSize: string;
  /** Tensors left behind by walk rendering and export (must be 0). */
  leakedTensors: number;
}

async function benchPreset(presetId: string): Promise<WalkPresetBench> {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  // Seed endpoints need the project's config only: a bare project folder (project.json) will do.
  const project = bareProject(model, DEFAULT_HYPER.seed);
  const dir = project.dir;
  const tensorsBefore = tf.memory().numTensors;
  try {
    // 9 seeds, 8 frames a segment, closed: 72 frames; the first 64 are timed (paper Fig. 4 style).
    const spec: WalkSpec = {
      kind: 'path',
      endpoints: [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ kind: 'seed', seed })),
      mode: 'slerp',
      framesPerSegment: 8,
      loop: true,
    };
    const planned = planWalk(spec, model, endpointResolver(project));
    const frames = planned.frames.slice(0, FRAMES);
    renderFrames(gan.G, model, frames.slice(0, 32)); // warm-up: kernels and allocations

    let t = performance.now();
    const images = renderFrames(gan.G, model, frames);
    const renderFps = FRAMES / ((performance.now() - t) / 1000);

    t = performance.now();
    for (let start = 0; start < FRAMES; start += 16) {
      const part = frames.slice(start, start + 16);
      await framePngs(model, renderFrames(gan.G, model, part), part.length);
    }
    const renderPngFps = FRAMES / ((performance.now() - t) / 1000);

    const exportPlan = { frames, keyFrames: planned.keyFrames.filter((k) => k < FRAMES) };
    const out = join(dir, 'walk.gif');
    const source = { model, projectName: presetId, step: 0, render: (f: typeof frames) => renderFrames(gan.G, model, f) };
    t = performance.now();
    const job = new WalkExport(source, spec, exportPlan, { format: 'gif', out, fps: 12, scale: 4 });
    let result = (await job.step()).result;
    while (!result) result = (await job.step()).result;
    const gifExportSeconds = (performance.now() - t) / 1000;

    const bytes = Array.from({ length: FRAMES }, (_, i) => frameBytes(images, i, model.size, model.channels));
    t = performance.now();
    const writer = new GifWriter({
      width: model.size,
      height: model.size,
      channels: model.channels,
      scale: 4,
      fps: 12,
      palette: globalPalette(bytes, model.channels),
    });
    for (const frame of bytes) writer.addFrame(frame);
    writer.finish();
    const gifEncodeSeconds = (performance.now() - t) / 1000;

    return {
      preset: presetId,
      frames: FRAMES,
      renderFps: Math.round(renderFps),
      renderPngFps: Math.round(renderPngFps),
      gifExportSeconds: +gifExportSeconds.toFixed(2),
      gifEncodeSeconds: +gifEncodeSeconds.toFixed(2),
      gifBytes: result.bytes,
      gifSize: `${result.width}x${result.height}`,
      leakedTensors: tf.memory().numTensors - tensorsBefore,
    };
  } finally {
    disposeGan(gan);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchLatent() {
  const backend = await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  const mnist = await benchPreset('mnist');
  const paper64 = await benchPreset('paper64');
  return { backend: backend.active, mnist, paper64 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchLatent().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
