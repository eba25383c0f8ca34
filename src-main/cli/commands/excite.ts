/**
 * `ganvas excite`: the input that excites one feature map most, found by optimisation (feature
 * visualisation; z for G's maps, the image itself for D's), beside its activation's scale.
 */
import { endProgress, num, required, str } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { autoScale, upscale } from './images';
import { openForInspection } from './inspect-common';
import { followAnalysis, SEARCH_OPTIONS } from './progress';

export const exciteCommand: CliCommand = {
  name: 'excite',
  summary: 'the input that most excites one feature map, found by optimisation (feature visualisation)',
  usage: 'excite <dir> --layer d2 --channel 5 --out e.png [--steps 200] [--restarts 4] [--seed 0] [--class K] [--scale N]',
  positionals: ['dir'],
  options: {
    layer: { type: 'string' },
    channel: { type: 'string' },
    out: { type: 'string' },
    ...SEARCH_OPTIONS,
    scale: { type: 'string' },
  },
  async run({ values: v, positionals }, session) {
    const out = required('out', str(v.out), 'the PNG to write');
    const { dir, config } = await openForInspection(session, positionals[0]);
    const payload = {
      dir,
      layer: required('layer', str(v.layer), 'g0..gN or d1..dN'),
      channel: required('channel', num('channel', v.channel), 'the feature map'),
      steps: num('steps', v.steps),
      restarts: num('restarts', v.restarts),
      seed: num('seed', v.seed),
      classIndex: num('class', v.class),
    };
    const flags = { layer: 'layer', channel: 'channel', steps: 'steps', restarts: 'restarts', seed: 'seed', classIndex: 'class' };
    session.validate('inspectExcite', payload, flags);
    const { id, off } = await followAnalysis(session, 'Optimising', (a) => `activation ${a.toFixed(3)}`);
    let r;
    try {
      r = await session.call('inspectExcite', { ...payload, id }, flags);
    } finally {
      endProgress();
      off();
    }
    const file = await session.writeBase64(out, await upscale(r.pngBase64, num('scale', v.scale) ?? autoScale(config.model.size, 112)));
    const { baseline } = r;
    const sd = (r.activation - baseline.mean) / Math.max(baseline.std, 1e-9);
    console.log(
      JSON.stringify({
        step: r.step,
        net: r.net,
        layer: r.layer,
        channel: r.channel,
        activation: r.activation,
        baseline,
        z: r.z,
        label: r.label,
      }),
    );
    note(
      `${r.layer} channel ${r.channel}: activation ${r.activation.toFixed(3)} (${sd.toFixed(1)} SD above random inputs; their best ${baseline.max.toFixed(3)}). Wrote ${file}`,
    );
  },
};
