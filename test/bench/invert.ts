/**
 * Projection, discovered directions, feature visualisation and video export on the active
 * backend, in this process (as the inference worker runs them): the MNIST and 64x64 paper
 * presets with untrained weights (the cost does not depend on training).
 * Run: `npx tsx test/bench/invert.ts [--quick]` — prints one JSON object.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { exciteChannel } from '../../src-main/engine/inspect/excite';
import { Projection } from '../../src-main/engine/invert/projector';
import { discoverDirections } from '../../src-main/engine/latent/directions';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { generateImages } from '../../src-main/engine/sampling/sampler';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import { encodeVideo, type RgbaFrame } from '../../src-main/engine/video/encode';
import { encodeGif } from '../../src-main/engine/video/gif';
import { tempDir } from '../helpers/projects';

const seconds = (t: number) => +((performance.now() - t) / 1000).toFixed(2);

async function benchPreset(presetId: string, steps: number) {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  const tensors = tf.memory().numTensors;
  try {
    const target = generateImages(gan.G, model, latentVectors(model, 1, 7), null);
    const nets = { G: gan.G, D: gan.D, model };
    Projection.begin(nets, target, { steps: 2, restarts: 4 }).cancel(); // warm-up
    let t = performance.now();
    const job = Projection.begin(nets, target, { steps, restarts: 4, patience: 0 });
    while (!job.done) job.step(25);
    const projectSeconds = seconds(t);
    job.dispose();
    t = performance.now();
    discoverDirections(gan.G, model, { count: 10, samples: 2000 });
    const directionsSeconds = seconds(t);
    t = performance.now();
    exciteChannel(nets, { layer: 'd2', channel: 0, steps: 200 });
    const exciteD2Seconds = seconds(t);
    return {
      preset: presetId,
      projection: { steps, restarts: 4, seconds: projectSeconds, stepsPerSecond: Math.round(steps / projectSeconds) },
      directions: { count: 10, samples: 2000, seconds: directionsSeconds },
      excite: { layer: 'd2', steps: 200, seconds: exciteD2Seconds },
      leakedTensors: tf.memory().numTensors - tensors,
    };
  } finally {
    disposeGan(gan);
  }
}

/** A moving gradient, `n` frames of w x h. */
function frames(n: number, w: number, h: number): RgbaFrame[] {
  return Array.from({ length: n }, (_, i) => {
    const data = new Uint8Array(w * h * 4);
    for (let p = 0; p < w * h; p++) data.set([(p % w) + i * 4, ((p / w) | 0) * 2, 128, 255], p * 4);
    return { data, width: w, height: h };
  });
}

async function benchVideo(count: number) {
  const dir = tempDir('ganvas-bench-video-');
  const out: Record<string, unknown> = {};
  for (const [name, w, h] of [
    ['walk112', 112, 112],
    ['timelapse968x484', 968, 484],
  ] as const) {
    const f = frames(name === 'walk112' ? count : Math.ceil(count / 4), w, h);
    const entry: Record<string, number> = { frames: f.length };
    for (const [label, run] of [
      ['mp4H264', (file: string) => encodeVideo(f, { format: 'mp4', out: file, fps: 12, width: w, height: h })],
      ['webmVp8', (file: string) => encodeVideo(f, { format: 'webm', out: file, fps: 12, width: w, height: h })],
      ['webmVp9', (file: string) => encodeVideo(f, { format: 'webm', webmCodec: 'vp9', out: file, fps: 12, width: w, height: h })],
      ['gif', (file: string) => encodeGif(f, { out: file, fps: 12, width: w, height: h })],
    ] as const) {
      const t = performance.now();
      await run(path.join(dir, `${name}-${label}`));
      entry[`${label}Fps`] = Math.round(f.length / ((performance.now() - t) / 1000));
    }
    out[name] = entry;
  }
  return out;
}

export async function benchInvert(opts: { quick?: boolean } = {}) {
  const backend = await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  const steps = opts.quick ? 50 : 500;
  return {
    backend: backend.active,
    mnist: await benchPreset('mnist', steps),
    paper64: await benchPreset('paper64', steps),
    video: await benchVideo(opts.quick ? 16 : 64),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchInvert({ quick: process.argv.includes('--quick') }).then(
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
