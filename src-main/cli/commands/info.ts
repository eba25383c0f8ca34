import type { NetworkSummary } from '../../shared/types';
import { BACKEND_CHOICES } from '../../shared/types/backend';
import { choiceOption } from '../args';
import type { CliCommand } from '../command';

function table(net: NetworkSummary): string {
  // Variant layers describe more (upsampling, bias, dropout): the column fits the longest.
  const kindWidth = Math.max(28, ...net.layers.map((l) => l.kind.length));
  const rows = net.layers.map(
    (l) =>
      `  ${l.name.padEnd(4)} ${l.kind.padEnd(kindWidth)} ${l.outputShape.join('x').padStart(12)} ${l.params.toLocaleString('en').padStart(11)}`,
  );
  return [...rows, `  ${'total trainable'.padEnd(kindWidth + 17)} ${net.trainableParams.toLocaleString('en').padStart(11)}`].join('\n');
}

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'the backend chosen and why others were skipped, presets, and a project: architecture, dataset, checkpoints',
  usage: 'info [<dir>] [--backend auto|...] [--json]   (without <dir>: backends and presets)',
  optional: ['dir'],
  options: { json: { type: 'boolean' }, backend: { type: 'string' } },
  async run({ values: v, positionals }, session) {
    const backend = await session.call('backends', { backend: choiceOption('backend', v.backend, BACKEND_CHOICES) });
    const presets = (await session.call('presets', {})).map((p) => ({
      id: p.id,
      label: p.label,
      generatorParams: p.generator.trainableParams,
      discriminatorParams: p.discriminator.trainableParams,
    }));
    const dir = positionals[0];
    const opened = dir ? await session.call('openProject', { dir }) : undefined;
    const project = opened && {
      ...opened,
      // A model imported without a dataset has no images to count.
      datasetStats: opened.config.dataset.source.kind === 'none' ? null : await session.call('datasetStats', { dir }),
      lastMetrics: (await session.call('metrics', { dir })).at(-1) ?? null,
    };
    if (v.json) return void console.log(JSON.stringify({ backend, presets, ...(project && { project }) }, null, 2));

    console.log(`Backend: ${backend.active}`);
    for (const a of backend.attempts) {
      console.log(`  ${a.ok ? 'ok  ' : 'skip'} ${a.name}${a.reason ? `: ${a.reason}` : ''}`);
      for (const finding of a.findings ?? []) console.log(`         - ${finding}`);
    }
    console.log('\nPresets (trainable parameters, BatchNorm moving statistics not counted):');
    for (const p of presets) {
      console.log(
        `  ${p.id.padEnd(17)} ${p.label.padEnd(38)} G ${p.generatorParams.toLocaleString('en').padStart(10)}  D ${p.discriminatorParams.toLocaleString('en').padStart(10)}`,
      );
    }
    if (!project) return;
    const { config, datasetStats: stats } = project;
    const m = config.model;
    const t = config.train;
    console.log(`\nProject ${config.name} (${project.dir})`);
    console.log(
      `  model ${m.arch?.family ?? 'paper'} ${m.size}x${m.size}x${m.channels}, z ${m.zDim} ${m.latent}, ngf ${m.ngf}, ndf ${m.ndf}${m.numClasses ? `, ${m.numClasses} classes` : ''}`,
    );
    console.log(
      `  Adam lr ${t.learningRate} beta1 ${t.beta1} beta2 ${t.beta2}, batch ${t.batchSize}, seed ${t.seed}` +
        (m.numClasses ? `, fakes labelled with ${t.fakeLabels === 'random' ? 'random labels' : "the real batch's labels"}` : '') +
        (t.emaDecay ? `, samples from G's moving average (decay ${t.emaDecay})` : ''),
    );
    const src = config.dataset.source;
    if (config.imported)
      console.log(`  imported from ${config.imported.generator} (${config.imported.label}), sampling in ${config.imported.sampling} mode`);
    if (!stats) console.log('  no dataset (imported for exploring: training and evaluations need one)');
    else
      console.log(
        `  dataset ${src.kind === 'folder' ? `${src.path}${src.crop ? ` (centre crop ${src.crop})` : ''}` : src.kind}: ${stats.count} images, mean pixel ${stats.meanPixel.toFixed(3)}` +
          (config.dataset.classes.length
            ? `, classes ${config.dataset.classes.map((c, i) => `${c}:${stats.classCounts[i]}`).join(' ')}`
            : ''),
      );
    console.log(`\nGenerator\n${table(project.generator)}\n\nDiscriminator\n${table(project.discriminator)}`);
    console.log(`\nTrained ${project.step} steps (${project.epoch.toFixed(2)} epochs, ${project.stepsPerEpoch} steps per epoch)`);
    console.log(`Checkpoints: ${project.checkpoints.map((c) => `${c.step}${c.pinned ? '*' : ''}`).join(', ') || 'none'}`);
  },
};
