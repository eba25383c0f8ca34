/**
 * `npm run bench`: prints one JSON object with every benchmark. Speed and memory targets live
 * here, never in timed tests. `--quick` shortens the runs (CI smoke); GANVAS_BACKEND picks a backend.
 */
import { benchArith } from './arith';
import { benchCli } from './cli';
import { benchImport } from './data';
import { benchEval } from './eval';
import { benchHealth } from './health';
import { benchInspect } from './inspect';
import { benchInvert } from './invert';
import { benchKernels } from './kernels';
import { benchLatent } from './latent';
import { benchRenderer } from './renderer';
import { benchResponsiveness } from './responsiveness';
import { benchServer } from './server';
import { benchTraining } from './training';
import { benchWebgpu } from './webgpu';
import { benchWorkers } from './workers';

const quick = process.argv.includes('--quick');

async function main() {
  const started = Date.now();
  const results: Record<string, unknown> = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version, platform: process.platform },
  };
  // Order matters for peak RSS: training first, so its figure is the training process's own.
  results.training = await benchTraining({ quick });
  results.webgpu = await benchWebgpu({ quick });
  // Data-parallel scaling: 1 worker against K worker threads, interleaved (after `training`: its peak RSS stays its own).
  results.workers = await benchWorkers({ quick });
  results.kernels = await benchKernels({ runs: quick ? 2 : 5 });
  results.responsiveness = await benchResponsiveness({ pings: quick ? 50 : 200 });
  results.rendererResponsiveness = await benchRenderer({ quick });
  results.datasetImport = await benchImport(quick ? 1000 : 10_000);
  results.latentWalks = await benchLatent();
  results.latentArithmetic = await benchArith();
  results.inspect = await benchInspect({ quick });
  results.evaluation = await benchEval({ quick });
  results.cli = await benchCli({ runs: quick ? 3 : 7 });
  results.server = await benchServer({ quick });
  results.runHealth = await benchHealth({ quick });
  results.invertAndVideo = await benchInvert({ quick });
  results.seconds = Math.round((Date.now() - started) / 1000);
  console.log(JSON.stringify(results, null, 2));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
