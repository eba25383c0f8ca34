import { num, required, str } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { arrange, autoScale, upscale } from './images';
import { openForInspection } from './inspect-common';

export const guidedCommand: CliCommand = {
  name: 'guided',
  summary: "guided backpropagation of a channel of D's last conv layer, trained vs random D (paper Fig. 5)",
  usage: "guided <dir> --channel C --out g.png [--top 8] [--pool 256] [--seed 0]   (D's last conv layer; trained vs random D)",
  positionals: ['dir'],
  options: {
    channel: { type: 'string' },
    out: { type: 'string' },
    top: { type: 'string' },
    pool: { type: 'string' },
    seed: { type: 'string' },
  },
  async run({ values: v, positionals }, session) {
    const channel = required('channel', num('channel', v.channel), "a channel of D's last conv layer");
    const out = required('out', str(v.out), 'the PNG to write');
    const { dir, config } = await openForInspection(session, positionals[0]);
    const g = await session.call(
      'inspectGuided',
      { dir, channel, top: num('top', v.top), pool: num('pool', v.pool), seed: num('seed', v.seed) },
      { channel: 'channel', top: 'top', pool: 'pool', seed: 'seed' },
    );
    const s = autoScale(config.model.size, 56);
    const rows = [g.trained.images, g.trained.patterns, g.random.images, g.random.patterns];
    const file = await session.writeBase64(out, await arrange(await Promise.all(rows.map((r) => upscale(r.pngBase64, s))), 'column'));
    console.log(JSON.stringify({ step: g.step, layer: g.layer, channel: g.channel, trained: g.trained.items, random: g.random.items }));
    note(
      `Wrote guided backprop of ${g.layer} channel ${g.channel} to ${file}: rows = trained D's top images, their patterns, random D's top images, their patterns`,
    );
  },
};
