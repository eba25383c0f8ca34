/**
 * Per-op profile of one training step: which kernels the time goes to, with their share.
 *
 * tf.profile records every kernel, nested ones included (our wasm kernels are compositions of
 * other kernels), but not how they nest. Wrapping the engine's profiler call tracks the depth so
 * each kernel's *self* time (its own time minus its children's) is known; the shares then add up
 * to the kernel time, and the rest of the step (tape bookkeeping, JS glue) is reported as `other`.
 *
 * Clock: on the single-threaded backends (wasm, cpu) times are this process's CPU time, which
 * other programs on a shared machine barely disturb; on TensorFlow (its own thread pools) wall time.
 *
 *   npx tsx test/bench/profile.ts [mnist|paper64] [batch]   # prints JSON (GANVAS_BACKEND picks the backend)
 */
import { pathToFileURL } from 'node:url';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { latentBatch } from '../../src-main/engine/sampling/noise';
import { trainStep } from '../../src-main/engine/train/step';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';

export interface OpShare {
  op: string;
  /** Self time summed over calls, ms. */
  ms: number;
  /** ms / step wall time. */
  share: number;
  calls: number;
}

export interface StepProfile {
  preset: string;
  batch: number;
  backend: string;
  /** 'cpu' (process CPU time) or 'wall'; see the header. */
  clock: 'cpu' | 'wall';
  /** Time of the profiled step (profiling adds a little per kernel). */
  stepMs: number;
  kernelCalls: number;
  /** Kernels called directly by the step (not from inside another kernel). */
  topLevelKernelCalls: number;
  /** Step time not inside any kernel: gradient tape, JS glue, data copies. */
  otherShare: number;
  /** Kernels by self time (a composite kernel's children, e.g. the matmul inside a conv gradient, count apart). */
  top: OpShare[];
  /** The ops the step itself called, by inclusive time (a conv gradient with everything inside it). */
  topLevel: OpShare[];
}

interface Record_ {
  name: string;
  shapes: string;
  ms: number;
  childMs: number;
  depth: number;
}

type Profiler = { profileKernel: (name: string, inputs: unknown, f: () => tf.Tensor[]) => { timeMs: Promise<number> | number } };

/** Milliseconds on the clock that suits the active backend. */
export function clockFor(backend: string): { kind: 'cpu' | 'wall'; now: () => number } {
  if (backend === 'wasm' || backend === 'cpu') {
    return {
      kind: 'cpu',
      now: () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      },
    };
  }
  return { kind: 'wall', now: () => performance.now() };
}

/** Runs `fn` under tf.profile, recording each kernel's self time and nesting depth. */
async function profileKernels(fn: () => void, now: () => number): Promise<{ records: Record_[]; wallMs: number }> {
  const profiler = (tf.engine() as unknown as { profiler: Profiler }).profiler;
  const original = profiler.profileKernel.bind(profiler);
  const records: Record_[] = [];
  const stack: Record_[] = [];
  profiler.profileKernel = (name, inputs, f) => {
    const shapes = Object.values(inputs as Record<string, tf.Tensor | null>)
      .map((t) => (t ? `[${t.shape}]` : '-'))
      .join(' ');
    const rec: Record_ = { name, shapes, ms: 0, childMs: 0, depth: stack.length };
    stack.push(rec);
    const t0 = now();
    try {
      return original(name, inputs, f);
    } finally {
      rec.ms = now() - t0;
      stack.pop();
      if (stack.length > 0) stack[stack.length - 1].childMs += rec.ms;
      records.push(rec);
    }
  };
  let wallMs = 0;
  try {
    await tf.profile(() => {
      const t0 = now();
      fn();
      wallMs = now() - t0;
    });
  } finally {
    profiler.profileKernel = original;
  }
  return { records, wallMs };
}

/** Profiles one step of `presetId` (after `warmup` unprofiled steps) on the active backend. */
export async function profileStep(presetId: string, batch = 64, warmup = 1, topN = 12, byShape = false): Promise<StepProfile> {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  const real = tf.randomUniform([batch, model.size, model.size, model.channels], -1, 1) as tf.Tensor4D;
  const step = (seed: number) => {
    const z = latentBatch(model, batch, seed);
    try {
      trainStep(gan, { real, onehot: null, z });
    } finally {
      z.dispose();
    }
  };
  try {
    for (let i = 0; i < warmup; i++) step(i);
    const clock = clockFor(tf.getBackend());
    const { records, wallMs } = await profileKernels(() => step(warmup), clock.now);
    const byOp = new Map<string, OpShare>();
    let selfTotal = 0;
    for (const r of records) {
      const self = Math.max(0, r.ms - r.childMs);
      selfTotal += self;
      const key = byShape ? `${r.name} ${r.shapes}` : r.name;
      const e = byOp.get(key) ?? { op: key, ms: 0, share: 0, calls: 0 };
      e.ms += self;
      e.calls++;
      byOp.set(key, e);
    }
    const byTopLevel = new Map<string, OpShare>();
    for (const r of records) {
      if (r.depth !== 0) continue;
      const key = byShape ? `${r.name} ${r.shapes}` : r.name;
      const e = byTopLevel.get(key) ?? { op: key, ms: 0, share: 0, calls: 0 };
      e.ms += r.ms;
      e.calls++;
      byTopLevel.set(key, e);
    }
    const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
    const ranked = (m: Map<string, OpShare>) =>
      [...m.values()]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, topN)
        .map((e) => ({ ...e, ms: round(e.ms), share: round(e.ms / wallMs, 3) }));
    const top = ranked(byOp);
    return {
      preset: presetId,
      batch,
      backend: tf.getBackend(),
      clock: clock.kind,
      stepMs: Math.round(wallMs),
      kernelCalls: records.length,
      topLevelKernelCalls: records.filter((r) => r.depth === 0).length,
      otherShare: round(Math.max(0, wallMs - selfTotal) / wallMs, 3),
      top,
      topLevel: ranked(byTopLevel),
    };
  } finally {
    real.dispose();
    disposeGan(gan);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  const preset = process.argv[2] ?? 'mnist';
  const batch = Number(process.argv[3] ?? 64);
  console.log(JSON.stringify(await profileStep(preset, batch, 1, 30, process.env.BY_SHAPE === '1'), null, 2));
}
