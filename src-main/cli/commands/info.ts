import path from 'node:path';
import type { NetworkSummary } from '../../shared/types';
import { BACKEND_ORDER, selectBackend } from '../../engine/backend/select';
import { openDatasetCache } from '../../engine/data/cache';
import { datasetStats } from '../../engine/data/stats';
import { presetInfos } from '../../engine/models/architecture';
import { readMetrics } from '../../engine/project/metrics';
import { DATASET_FILE, projectSummary } from '../../engine/project/project';
import { choiceOption, parse } from '../args';

export const infoUsage = 'info [<dir>] [--backend auto|...] [--json]   (without <dir>: backends and presets)';

function table(net: NetworkSummary): string {
  const rows = net.layers.map((l) => `  ${l.name.padEnd(4)} ${l.kind.padEnd(28)} ${l.outputShape.join('x').padStart(12)} ${l.params.toLocaleString('en').padStart(11)}`);
  return [...rows, `  ${'total trainable'.padEnd(45)} ${net.trainableParams.toLocaleString('en').padStart(11)}`].join('\n');
}

export async function infoCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, backend: { type: 'string' } }, [], ['dir']);
  return infoFor(positionals[0], values.json ?? false, choiceOption('backend', values.backend, ['auto', ...BACKEND_ORDER] as const));
}

async function infoFor(dirArg: string | undefined, json: boolean, backendChoice: Parameters<typeof selectBackend>[0]) {
  const backend = await selectBackend(backendChoice ?? 'auto');
  const presets = presetInfos().map((p) => ({
    id: p.id,
    label: p.label,
    generatorParams: p.generator.trainableParams,
    discriminatorParams: p.discriminator.trainableParams,
  }));
  const out: Record<string, unknown> = { backend, presets };
  if (dirArg) {
    const summary = projectSummary(path.resolve(dirArg));
    const cache = openDatasetCache(path.join(summary.dir, DATASET_FILE));
    const stats = datasetStats(cache);
    cache.close();
    const last = readMetrics(summary.dir).at(-1) ?? null;
    out.project = { ...summary, datasetStats: stats, lastMetrics: last };
  }
  if (json) return void console.log(JSON.stringify(out, null, 2));

  console.log(`Backend: ${backend.active}`);
  for (const a of backend.attempts) console.log(`  ${a.ok ? 'ok  ' : 'skip'} ${a.name}${a.reason ? `: ${a.reason}` : ''}`);
  console.log('\nPresets (trainable parameters, BatchNorm moving statistics not counted):');
  for (const p of presets) {
    console.log(`  ${p.id.padEnd(9)} ${p.label.padEnd(38)} G ${p.generatorParams.toLocaleString('en').padStart(10)}  D ${p.discriminatorParams.toLocaleString('en').padStart(10)}`);
  }
  const project = out.project as (ReturnType<typeof projectSummary> & { datasetStats: ReturnType<typeof datasetStats>; lastMetrics: unknown }) | undefined;
  if (!project) return;
  const { config } = project;
  const m = config.model;
  const t = config.train;
  console.log(`\nProject ${config.name} (${project.dir})`);
  console.log(`  model ${m.size}x${m.size}x${m.channels}, z ${m.zDim} ${m.latent}, ngf ${m.ngf}, ndf ${m.ndf}${m.numClasses ? `, ${m.numClasses} classes` : ''}`);
  console.log(`  Adam lr ${t.learningRate} beta1 ${t.beta1} beta2 ${t.beta2}, batch ${t.batchSize}, seed ${t.seed}`);
  const src = config.dataset.source;
  console.log(
    `  dataset ${src.kind === 'folder' ? src.path : src.kind}: ${project.datasetStats.count} images, mean pixel ${project.datasetStats.meanPixel.toFixed(3)}` +
      (config.dataset.classes.length ? `, classes ${config.dataset.classes.map((c, i) => `${c}:${project.datasetStats.classCounts[i]}`).join(' ')}` : ''),
  );
  console.log(`\nGenerator\n${table(project.generator)}\n\nDiscriminator\n${table(project.discriminator)}`);
  console.log(`\nTrained ${project.step} steps (${project.epoch.toFixed(2)} epochs, ${project.stepsPerEpoch} steps per epoch)`);
  console.log(`Checkpoints: ${project.checkpoints.map((c) => `${c.step}${c.pinned ? '*' : ''}`).join(', ') || 'none'}`);
}
