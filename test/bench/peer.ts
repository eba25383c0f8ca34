/**
 * Ganvas against PyTorch on the identical net and step, side by side in one run: a long-lived
 * PyTorch process (test/bench/pytorch/dcgan_peer.py --serve) and this process take turns, a block
 * of steps each, so machine load hits both alike; medians and the ratio are reported.
 *
 * PyTorch is found at GANVAS_TORCH_PYTHON (a python with torch), else .torch-venv/bin/python in
 * the repository (see test/bench/pytorch/README.md); without either the comparison is skipped with
 * the reason. Never used by tests.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tf } from '../../src-main/engine/backend/tf';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { latentBatch } from '../../src-main/engine/sampling/noise';
import { trainStep } from '../../src-main/engine/train/step';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = path.join(HERE, 'pytorch', 'dcgan_peer.py');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function torchPython(): string | null {
  const env = process.env.GANVAS_TORCH_PYTHON;
  if (env) return env;
  const venv = path.resolve(HERE, '..', '..', '.torch-venv', 'bin', 'python');
  return existsSync(venv) ? venv : null;
}

class TorchPeer {
  private lines: AsyncIterator<string>;
  private constructor(
    private proc: ChildProcessWithoutNullStreams,
    rl: Interface,
    readonly version: string,
  ) {
    this.lines = rl[Symbol.asyncIterator]();
  }

  static async start(python: string): Promise<TorchPeer> {
    const proc = spawn(python, [SCRIPT, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const rl = createInterface({ input: proc.stdout });
    const it = rl[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) throw new Error(`PyTorch peer did not start: ${stderr.trim().split('\n').at(-1) ?? 'no output'}`);
    const hello = JSON.parse(first.value) as { torch: string };
    const peer = new TorchPeer(proc, rl, hello.torch);
    peer.lines = it;
    return peer;
  }

  async ask(req: object): Promise<{ msPerStep: number[]; cpuMsPerStep: number[]; gForwardImagesPerSec?: number; error?: string }> {
    this.proc.stdin.write(JSON.stringify(req) + '\n');
    const r = await this.lines.next();
    if (r.done) throw new Error('PyTorch peer exited');
    const out = JSON.parse(r.value);
    if (out.error) throw new Error(`PyTorch peer: ${out.error}`);
    return out;
  }

  stop(): void {
    this.proc.stdin.end();
    this.proc.kill();
  }
}

export interface PeerComparison {
  preset: string;
  batch: number;
  backend: string;
  torch: string;
  torchThreads: number;
  rounds: number;
  ganvasImagesPerSec: number;
  torchImagesPerSec: number;
  /** ganvas / torch images per second (wall clock, medians over interleaved blocks). */
  ratio: number;
  /**
   * The same per CPU-second of each process (all threads): on a busy shared machine wall clock
   * mostly measures how the OS schedules each side (OpenMP's PyTorch suffers most); CPU time
   * measures the work. On an idle machine the two ratios agree for one thread.
   */
  ganvasImagesPerCpuSec: number;
  torchImagesPerCpuSec: number;
  cpuRatio: number;
}

/**
 * Alternates blocks of `steps` training steps between Ganvas (active backend) and PyTorch with
 * `threads` threads, `rounds` times. Returns null (with the reason in `skipped`) without PyTorch.
 */
export async function comparePeer(
  presetId: string,
  opts: { rounds?: number; steps?: number; threads?: number; batch?: number } = {},
): Promise<PeerComparison | { skipped: string }> {
  const python = torchPython();
  if (!python) return { skipped: 'no PyTorch: set GANVAS_TORCH_PYTHON or create .torch-venv (test/bench/pytorch/README.md)' };
  const { rounds = 3, steps = 3, threads = 2, batch = 64 } = opts;
  let peer: TorchPeer;
  try {
    peer = await TorchPeer.start(python);
  } catch (e) {
    return { skipped: (e as Error).message };
  }
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  const real = tf.randomUniform([batch, model.size, model.size, model.channels], -1, 1) as tf.Tensor4D;
  const cpuNow = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const ourCpu: number[] = [];
  const ganvasStep = (seed: number) => {
    const z = latentBatch(model, batch, seed);
    const t = performance.now();
    const c = cpuNow();
    trainStep(gan, { real, onehot: null, z });
    const ms = performance.now() - t;
    ourCpu.push(cpuNow() - c);
    z.dispose();
    return ms;
  };
  try {
    ganvasStep(0); // warm-up both
    ourCpu.length = 0;
    await peer.ask({ preset: presetId, batch, threads, steps: 1 });
    const ours: number[] = [];
    const theirs: number[] = [];
    const theirCpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < steps; i++) ours.push(ganvasStep(r * steps + i + 1));
      const answer = await peer.ask({ preset: presetId, batch, threads, steps });
      theirs.push(...answer.msPerStep);
      theirCpu.push(...answer.cpuMsPerStep);
    }
    const ips = (ms: number) => Math.round((batch / ms) * 1000 * 10) / 10;
    return {
      preset: presetId,
      batch,
      backend: tf.getBackend(),
      torch: peer.version,
      torchThreads: threads,
      rounds,
      ganvasImagesPerSec: ips(median(ours)),
      torchImagesPerSec: ips(median(theirs)),
      ratio: Math.round((median(theirs) / median(ours)) * 100) / 100,
      ganvasImagesPerCpuSec: ips(median(ourCpu)),
      torchImagesPerCpuSec: ips(median(theirCpu)),
      cpuRatio: Math.round((median(theirCpu) / median(ourCpu)) * 100) / 100,
    };
  } finally {
    peer.stop();
    real.dispose();
    disposeGan(gan);
  }
}
