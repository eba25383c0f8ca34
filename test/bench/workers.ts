/**
 * Data-parallel scaling (engine/train/parallel): images/s of the same step on one worker (today's
 * LocalDevice, this thread) and on K worker threads (ParallelDevice), interleaved round by round
 * so both see the same machine load; the ratio is the figure. Also what the gradient exchange
 * costs: a postMessage round trip of one gradient vector against the shared-memory reduction
 * the device uses.
 * Standalone: `npx tsx test/bench/workers.ts [--quick]` (prints JSON); `--only paper64 --rounds 6`
 * measures one preset over more rounds (2 steps each), for a steadier ratio.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { getBackendReport, selectBackend } from '../../src-main/engine/backend/select';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan } from '../../src-main/engine/models/gan';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import type { StepData, TrainingDevice } from '../../src-main/engine/train/device/device';
import { LocalDevice } from '../../src-main/engine/train/device/local-device';
import { allocateExchange, Exchange } from '../../src-main/engine/train/parallel/exchange';
import { ParallelDevice } from '../../src-main/engine/train/parallel/parallel-device';
import { physicalCores } from '../../src-main/engine/train/parallel/workers';
import { Rng } from '../../src-main/engine/util/rng';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

function stepData(presetId: string, batch: number): StepData {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const images = new Rng(7).fillUniform(new Float32Array(batch * model.size * model.size * model.channels), -1, 1);
  return { images, labels: null, fakeLabels: null, z: latentVectors(model, batch, 11), dropoutSeed: 0 };
}

const cpuMs = () => {
  const u = process.cpuUsage(); // every thread of the process: the workers' too
  return (u.user + u.system) / 1000;
};

/** Wall-clock ms of each step, and the CPU ms (all threads) of all of them. */
async function timeSteps(device: TrainingDevice, data: StepData, steps: number): Promise<{ wall: number[]; cpu: number }> {
  const wall: number[] = [];
  const c = cpuMs();
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    await device.step(data);
    wall.push(performance.now() - t);
  }
  return { wall, cpu: cpuMs() - c };
}

/** One preset: K=1 and K=k devices, `rounds` rounds of `steps` steps each, interleaved. */
async function scaling(presetId: string, k: number, rounds: number, steps: number) {
  const batch = 64;
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const hyper = { ...DEFAULT_HYPER, batchSize: batch };
  const report = getBackendReport()!;
  const one = new LocalDevice(buildGan(model, hyper), report);
  const many = await ParallelDevice.open({
    workers: k,
    backend: { ...report, active: report.active as 'wasm' },
    model,
    hyper,
    start: null,
  });
  const data = stepData(presetId, batch);
  try {
    await one.step(data); // warm-up: kernels, allocations
    await many.step(data);
    const t1: number[] = [];
    const tk: number[] = [];
    const roundRatios: number[] = [];
    const [round1, roundK]: number[][] = [[], []];
    let [cpu1, cpuk] = [0, 0];
    for (let r = 0; r < rounds; r++) {
      const a = await timeSteps(one, data, steps);
      const b = await timeSteps(many, data, steps);
      t1.push(...a.wall);
      tk.push(...b.wall);
      round1.push(median(a.wall));
      roundK.push(median(b.wall));
      roundRatios.push(median(a.wall) / median(b.wall));
      [cpu1, cpuk] = [cpu1 + a.cpu, cpuk + b.cpu];
    }
    const [ms1, msk] = [median(t1), median(tk)];
    const images = rounds * steps * batch;
    const [perCpu1, perCpuK] = [(images / cpu1) * 1000, (images / cpuk) * 1000];
    return {
      preset: presetId,
      batch,
      workers: k,
      msPerStep: { 1: Math.round(ms1), [k]: Math.round(msk) },
      imagesPerSec: { 1: r1((batch / ms1) * 1000), [k]: r1((batch / msk) * 1000) },
      scaling: r2(ms1 / msk),
      // The same ratio taken within each round (1 worker, then K, seconds apart) and its median:
      // a host that slows down for a while slows both sides of a round alike.
      scalingByRound: roundRatios.map(r2),
      scalingPairedMedian: r2(median(roundRatios)),
      // Each round's median step (ms) on each side: which side a slow round came from.
      msByRound: { 1: round1.map(Math.round), [k]: roundK.map(Math.round) },
      // CPU-time figures are steadier on a shared machine: K workers' images per CPU-second against
      // one worker's is the parallel efficiency; K x that is the scaling an idle machine with K cores would show.
      imagesPerCpuSec: { 1: r1(perCpu1), [k]: r1(perCpuK) },
      efficiency: r2(perCpuK / perCpu1),
      idleScalingEstimate: r2((k * perCpuK) / perCpu1),
    };
  } finally {
    one.dispose();
    many.dispose();
  }
}

/** A gradient vector of `floats` sent to a thread and back (structured clone, as a postMessage exchange would do twice per step). */
async function postMessageRoundTripMs(floats: number, reps: number): Promise<number> {
  const echo = new Worker(
    "require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m))",
    {
      eval: true,
    },
  );
  const grads = new Float32Array(floats).fill(0.5);
  const times: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const t = performance.now();
    await new Promise((resolve) => {
      echo.once('message', resolve);
      echo.postMessage(grads);
    });
    if (i > 0) times.push(performance.now() - t);
  }
  await echo.terminate();
  return median(times);
}

/** The shared-memory reduction of K rows of `floats` (all of it: the K replicas each do 1/K of this). */
function sharedReduceMs(floats: number, k: number, reps: number): number {
  // One party summing all K rows: its barriers pass at once.
  const buffers = allocateExchange(1, floats * k, 1);
  const exchange = new Exchange(buffers, 0, [1]);
  const times: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const t = performance.now();
    exchange.reduce('d');
    if (i > 0) times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * How many cores this process really gets now: K threads spin for `ms`, CPU time over wall time.
 * On a shared machine this is what bounds the wall-clock scaling, whatever the code does.
 */
async function coresAvailable(k: number, ms = 1000): Promise<number> {
  const spin = `const t = Date.now(); let x = 0; while (Date.now() - t < ${ms}) x += Math.sqrt(x + 1); require('node:worker_threads').parentPort.postMessage(x);`;
  const c = cpuMs();
  const t = performance.now();
  await Promise.all(Array.from({ length: k }, () => new Promise((resolve) => new Worker(spin, { eval: true }).once('message', resolve))));
  return r2((cpuMs() - c) / (performance.now() - t));
}

/** Fixed work for one thread: arithmetic in registers, or streaming 128 MB (what caches cannot hold). */
const FIXED_WORK = {
  compute: `let a = 1.1, b = 1.2; for (let i = 0; i < 1.5e8; i++) { a = a * 0.999999 + 1e-9; b = b * 0.999998 + 1e-9; } r = a + b;`,
  memory: `const x = new Float64Array(16 << 20); for (let p = 0; p < 4; p++) for (let i = 0; i < x.length; i++) x[i] = x[i] * 0.5 + p; r = x[7];`,
};

/** Wall ms until `n` threads, started together, have each done the fixed work once. */
async function fixedWorkMs(kind: keyof typeof FIXED_WORK, n: number): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); let r = 0; parentPort.once('message', () => { const t = performance.now(); ${FIXED_WORK[kind]} parentPort.postMessage([performance.now() - t, r]); });`;
  const threads = Array.from({ length: n }, () => new Worker(code, { eval: true }));
  await Promise.all(threads.map((w) => new Promise((resolve) => w.once('online', resolve))));
  const times = await Promise.all(
    threads.map((w) => new Promise<number>((resolve) => (w.once('message', (m: [number, number]) => resolve(m[0])), w.postMessage('go')))),
  );
  await Promise.all(threads.map((w) => w.terminate()));
  return Math.max(...times);
}

/**
 * The speed-up the machine gives K threads now: K x one thread's time for fixed work over the
 * slowest of K threads doing it at once (K on idle, separate cores). Unlike coresAvailable this
 * sees a virtual CPU that runs but slower (a neighbour on the host core) and shared memory
 * bandwidth (`memory`), both of which bound a data-parallel step that waits for its slowest replica.
 */
async function hostSpeedup(k: number): Promise<{ compute: number; memory: number }> {
  const one = async (kind: keyof typeof FIXED_WORK) => {
    const alone = Math.min(await fixedWorkMs(kind, 1), await fixedWorkMs(kind, 1));
    const together = Math.min(await fixedWorkMs(kind, k), await fixedWorkMs(kind, k));
    return r2((k * alone) / together);
  };
  return { compute: await one('compute'), memory: await one('memory') };
}

/** Workers the bench compares with one: the physical cores, 2 to 4. */
const benchWorkerCount = () => Math.max(2, Math.min(physicalCores(), 4));

const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

export async function benchWorkers(opts: { quick?: boolean } = {}) {
  const quick = opts.quick ?? false;
  const report = await selectBackend('wasm');
  const k = benchWorkerCount();
  const mnistG = 759_680; // the mnist preset's G parameters (the larger exchange of a step)
  const out: Record<string, unknown> = {
    backend: report.active,
    physicalCores: physicalCores(),
    logicalCpus: os.availableParallelism(),
    loadAverage: os.loadavg().map(r2),
    // K spinning threads' CPU-seconds per second: K on an idle machine; the wall-clock scaling cannot exceed it.
    coresAvailable: await coresAvailable(k),
    // What K threads of fixed work get on this machine now: the ceiling of the wall-clock scaling.
    hostSpeedup: await hostSpeedup(k),
    mnist: await scaling('mnist', k, quick ? 2 : 4, quick ? 2 : 4),
    ...(quick ? {} : { paper64: await scaling('paper64', k, 4, 2) }),
    exchange: {
      floats: mnistG,
      postMessageRoundTripMs: r1(await postMessageRoundTripMs(mnistG, 10)),
      sharedReduceMs: r1(sharedReduceMs(mnistG, k, 10)),
    },
  };
  out.peakRssMiB = peakRssMiB();
  return out;
}

/** One preset over `rounds` interleaved rounds of 2 steps, with the machine probe. */
async function benchOnePreset(presetId: string, rounds: number) {
  if (!PRESETS.some((p) => p.id === presetId)) throw new Error(`--only: no preset '${presetId}' (${PRESETS.map((p) => p.id).join(', ')})`);
  if (!(rounds >= 1)) throw new Error(`--rounds: a number of rounds, at least 1 (got '${rounds}')`);
  await selectBackend('wasm');
  const k = benchWorkerCount();
  const out = {
    coresAvailable: await coresAvailable(k),
    hostSpeedup: await hostSpeedup(k),
    [presetId]: await scaling(presetId, k, rounds, 2),
  };
  return { ...out, peakRssMiB: peakRssMiB() };
}

const argAfter = (flag: string) => {
  const at = process.argv.indexOf(flag);
  return at > 0 ? process.argv[at + 1] : undefined;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = argAfter('--only');
  (only ? benchOnePreset(only, Number(argAfter('--rounds') ?? 6)) : benchWorkers({ quick: process.argv.includes('--quick') })).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
