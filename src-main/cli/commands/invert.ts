/**
 * `ganvas invert`: projects an image into the model's latent space (image -> z), writes the
 * reconstruction, optionally z (in the form `walk --z-in` reads), the optimisation as an
 * animation, and a gallery entry. Named `invert` because `project` already means a Ganvas project.
 */
import path from 'node:path';
import type { ProjectionImage } from '../../shared/types';
import { endProgress, num, required, str, UsageError } from '../args';
import type { CliCommand, Parsed } from '../command';
import { note, type Session } from '../session';
import { autoScale, upscale } from './images';
import { followAnalysis, followExport, SEARCH_OPTIONS } from './progress';

async function imageFrom(session: Session, dir: string, v: Parsed['values']): Promise<ProjectionImage> {
  const given = ['image', 'dataset', 'sample'].filter((k) => v[k] !== undefined);
  if (given.length !== 1) throw new UsageError('give the image to project with exactly one of --image, --dataset or --sample');
  if (v.image !== undefined) return { kind: 'file', path: path.resolve(required('image', str(v.image), 'an image file')) };
  if (v.dataset !== undefined) return { kind: 'dataset', index: num('dataset', v.dataset)! };
  const key = required('sample', str(v.sample), "a saved sample's name or id");
  const sample = (await session.call('galleryList', { dir })).find((s) => s.id === key || s.name === key);
  if (!sample) throw new UsageError(`--sample: no saved sample with id or name '${key}' in this project's gallery`);
  return { kind: 'sample', id: sample.id };
}

const FLAGS = { 'image.path': 'image', 'image.index': 'dataset', steps: 'steps', restarts: 'restarts', seed: 'seed', classIndex: 'class' };

export const invertCommand: CliCommand = {
  name: 'invert',
  summary: 'project an image into the latent space (image -> z): the reconstruction, its z, the optimisation as an animation',
  usage:
    'invert <dir> (--image a.png | --dataset INDEX | --sample NAME) --out recon.png [--steps 500] [--restarts 4] [--seed 0] [--class K] [--all-steps] ' +
    '[--z-out z.json] [--gif progress.gif|.mp4|.webm] [--save NAME] [--scale N] [--json]',
  positionals: ['dir'],
  options: {
    image: { type: 'string' },
    dataset: { type: 'string' },
    sample: { type: 'string' },
    out: { type: 'string' },
    ...SEARCH_OPTIONS,
    'z-out': { type: 'string' },
    gif: { type: 'string' },
    save: { type: 'string' },
    scale: { type: 'string' },
    json: { type: 'boolean' },
    'all-steps': { type: 'boolean' },
  },
  async run({ values: v, positionals }, session) {
    const out = path.resolve(required('out', str(v.out), 'the PNG of the reconstruction'));
    const summary = await session.call('openProject', { dir: positionals[0] });
    const { dir } = summary;
    if (summary.step === 0) note('Warning: this project has no checkpoint yet; projecting onto the untrained generator');
    const settings = {
      steps: num('steps', v.steps),
      restarts: num('restarts', v.restarts),
      seed: num('seed', v.seed),
      classIndex: num('class', v.class),
      ...(v['all-steps'] && { earlyStop: false }),
    };
    const image = await imageFrom(session, dir, v);
    session.validate('invertImage', { dir, image, ...settings }, FLAGS);
    const { id, off } = await followAnalysis(session, 'Projecting', (e) => `RMSE ${e.toFixed(4)}`);
    let r;
    try {
      r = await session.call('invertImage', { dir, image, ...settings, id }, FLAGS);
    } finally {
      endProgress();
      off();
    }
    const scale = num('scale', v.scale) ?? 1;
    await session.writeBase64(out, await upscale(r.reconstructionPng, scale));
    const zOut = str(v['z-out']);
    if (zOut) {
      const { z, label, step, pixelError, psnr, sourceName } = r;
      await session.write(
        zOut,
        JSON.stringify({ format: 'ganvas-projection', version: 1, step, source: sourceName, pixelError, psnr, z: [z], labels: [label] }),
      );
    }
    const gif = str(v.gif);
    if (gif) {
      const anim = await followExport(session, 'Encoding ');
      try {
        const frames = r.animation.map((f) => f.png);
        const options = { out: path.resolve(gif), fps: 12, scale: autoScale(summary.config.model.size, 112) };
        await session.call('exportFrames', { frames, options, id: anim.id }, { 'options.out': 'gif' });
      } finally {
        endProgress();
        anim.off();
      }
    }
    const name = str(v.save);
    if (name !== undefined) {
      const { z, label, targetPng, sourceName, pixelError, psnr, perceptualError, step } = r;
      const projection = { version: 1 as const, sourcePng: targetPng, sourceName, pixelError, psnr, perceptualError, step };
      const saved = await session.call(
        'gallerySave',
        { dir, sample: { name: name || undefined, z, label, projection } },
        { 'sample.name': 'save' },
      );
      note(`Saved to the gallery as '${saved.name}' (id ${saved.id})`);
    }
    const { restarts, animation: _animation, targetPng: _t, reconstructionPng: _r, ...facts } = r;
    if (v.json) console.log(JSON.stringify({ ...facts, restarts }, null, 2));
    else
      console.log(
        JSON.stringify({ source: r.sourceName, step: r.step, pixelError: r.pixelError, psnr: r.psnr, label: r.label, zRadius: r.zRadius }),
      );
    note(
      `Projected ${r.sourceName} in ${r.steps} steps (${r.stopped === 'converged' ? 'converged early' : 'all steps'}, ${r.seconds.toFixed(1)} s): ` +
        `pixel RMSE ${r.pixelError.toFixed(4)}, PSNR ${r.psnr.toFixed(1)} dB, |z|/sqrt(d) ${r.zRadius.toFixed(2)}. Wrote ${out}`,
    );
  },
};
