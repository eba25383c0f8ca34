/**
 * UI responsiveness while training: round-trip latency of the trivial `ping` API call on the
 * engine (the process that hosts IPC in the app) while a worker process trains the MNIST preset.
 * Training never runs on the engine's event loop, so this stays near zero however heavy a step is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../src-main/engine/api/engine-api';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function benchResponsiveness(opts: { pings?: number } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-bench-'));
  const engine = createEngine({ stateDir: path.join(root, 'state') });
  const dir = path.join(root, 'project');
  try {
    await engine.api.createProject({ dir, dataset: { kind: 'mnist' } });
    const running = new Promise<void>((resolve) => {
      const off = engine.on('training.metrics', () => {
        off();
        resolve();
      });
    });
    await engine.api.startTraining({ dir, untilStep: 1_000_000 });
    await running; // the worker is past start-up and mid-training
    const latencies: number[] = [];
    for (let i = 0; i < (opts.pings ?? 200); i++) {
      const t = performance.now();
      await engine.api.ping({ t });
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
    const status = await engine.api.stopTraining({ dir });
    return {
      pings: latencies.length,
      p50Ms: Number(percentile(latencies, 50).toFixed(3)),
      p99Ms: Number(percentile(latencies, 99).toFixed(3)),
      maxMs: Number(Math.max(...latencies).toFixed(3)),
      trainedStepsMeanwhile: status.step,
    };
  } finally {
    await engine.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
