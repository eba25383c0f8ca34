/**
 * Projection ("GAN inversion"): find z (and, for conditional models, the class) whose G(z) looks
 * like a given image. Adam on z with the loss of loss.ts, several random restarts at once (one
 * batch row each: G and D run in inference mode, so rows never influence each other), a
 * warm-up / cosine ramp-down learning rate as in StyleGAN2's projector (Karras et al. 2020,
 * Appendix D), and an early stop once the best loss stops improving.
 *
 * A resumable task: `begin()` sets it up, `step(n)` runs up to n more steps and reports progress
 * and the best so far, `cancel()` stops it; a worker drives it in chunks between progress events
 * and cancel checks. Deterministic for a seed on a given backend: starts come from the seed,
 * everything after is plain arithmetic. Several images can be projected in one batch (rows
 * target-major); each gets the same starts and its own result, as if projected alone.
 */
import { invalid } from '../../shared/errors';
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { generate, type Network } from '../models/network';
import { Adam } from '../train/adam';
import { deriveSeed, Rng } from '../util/rng';
import { disposeTargetTerms, psnr, rmse01, rowLosses, targetTerms, type TargetTerms } from './loss';
import { INVERT_STREAM, learningRateAt, noiseAt, resolveOptions, type ProjectionOptions, type Resolved } from './options';
import { ProjectionRecorder, type ProjectionFrame, type ProjectionRun } from './record';

export type { ProjectionFrame, ProjectionOptions, ProjectionRun };

const NOISE_STREAM = 0xfffe;

export interface ProjectionProgress {
  step: number;
  totalSteps: number;
  done: boolean;
  /** Why it ended: all steps run, early stop (every target), or cancelled. */
  stopped: 'steps' | 'converged' | 'cancelled' | null;
  /** Best loss so far (mean over the targets when there are several). */
  bestLoss: number;
  /** RMSE on the [0, 1] scale of the best reconstruction so far (mean over the targets). */
  bestPixelError: number;
  /** The first target's best run. */
  bestRun: number;
  targets: number;
  seconds: number;
}

export interface ProjectionResult {
  z: Float32Array;
  /** Class of the best run (conditional models), else null. */
  label: number | null;
  /** The best reconstruction G(z), [S*S*C] floats in [-1, 1]. */
  image: Float32Array;
  target: Float32Array;
  loss: number;
  /** RMSE between reconstruction and target on the [0, 1] scale (0 = identical). */
  pixelError: number;
  psnr: number;
  /** Mean relative error of D's features (0 = D sees the same image); null without D. */
  perceptualError: number | null;
  /** |z| / sqrt(d): near 1 for a typical z of a normal prior. */
  zRadius: number;
  bestRun: number;
  runs: ProjectionRun[];
  /** Steps at which each run's history was recorded. */
  historySteps: number[];
  frames: ProjectionFrame[];
  steps: number;
  stopped: ProjectionProgress['stopped'];
  seconds: number;
}

export interface ProjectionNets {
  G: Network;
  /** The trained D for the perceptual term; null uses pixels only. */
  D: Network | null;
  model: ModelConfig;
}

export class Projection {
  private readonly z: tf.Variable;
  private readonly adam: Adam;
  private readonly labels: tf.Tensor2D | null;
  private readonly terms: TargetTerms;
  /** One per target, each over its own rows. */
  private readonly recorders: ProjectionRecorder[];
  private t = 0;

  private sinceImprovement = 0;
  private stopped: ProjectionProgress['stopped'] = null;
  private disposed = false;
  private readonly started = performance.now();

  private constructor(
    private readonly nets: ProjectionNets,
    private readonly targets: Float32Array[],
    private readonly opts: Resolved,
    starts: Float32Array,
    runLabels: (number | null)[],
    runsPerRestart: number,
  ) {
    const { model } = nets;
    const perTarget = runLabels.length;
    const rows = perTarget * targets.length;
    const allStarts = new Float32Array(rows * model.zDim);
    for (let t = 0; t < targets.length; t++) allStarts.set(starts, t * starts.length);
    // tidy: tf.variable copies its initial value, which must be freed.
    this.z = tf.tidy(() => tf.variable(tf.tensor2d(allStarts, [rows, model.zDim]), true));
    this.adam = new Adam({ learningRate: opts.learningRate, beta1: 0.9, beta2: 0.999 }, new Map([['z', this.z]]));
    const rowLabels = targets.flatMap(() => runLabels);
    this.labels =
      model.numClasses > 0
        ? tf.tidy(() => tf.oneHot(tf.tensor1d(rowLabels as number[], 'int32'), model.numClasses).toFloat() as tf.Tensor2D)
        : null;
    this.terms = targetTerms(nets.D, model, targets, perTarget);
    const frameEvery = Math.max(1, Math.ceil(opts.steps / opts.maxFrames));
    this.recorders = targets.map(
      (_, t) => new ProjectionRecorder(starts, model.zDim, runLabels, runsPerRestart, opts.historyEvery, frameEvery, t * perTarget),
    );
  }

  /**
   * Sets up a projection of `target` ([S*S*C] floats in [-1, 1], see target.ts), or of several
   * targets in one batch.
   * @throws Error with a one-line reason for a wrong-sized target or bad options.
   */
  static begin(nets: ProjectionNets, target: Float32Array | Float32Array[], options: ProjectionOptions = {}): Projection {
    const { model } = nets;
    const pixels = model.size * model.size * model.channels;
    const targets = Array.isArray(target) ? target : [target];
    if (targets.length === 0) throw invalid('There is no image to project');
    for (const t of targets)
      if (t.length !== pixels)
        throw invalid(
          `The target has ${t.length} values; this model's images have ${model.size}×${model.size}×${model.channels} = ${pixels}`,
        );
    const opts = resolveOptions(model, options);
    const classes: (number | null)[] =
      model.numClasses === 0
        ? [null]
        : options.classIndex != null
          ? [options.classIndex]
          : Array.from({ length: model.numClasses }, (_, c) => c);
    const rows = opts.restarts * classes.length;
    const starts = new Float32Array(rows * model.zDim);
    const runLabels: (number | null)[] = [];
    for (let r = 0; r < opts.restarts; r++) {
      const rng = new Rng(deriveSeed(opts.seed, INVERT_STREAM, r));
      const z = new Float32Array(model.zDim);
      if (model.latent === 'uniform') rng.fillUniform(z, -1, 1);
      else rng.fillNormal(z);
      // The same start for every class, so runs of one restart differ only in their label.
      for (const c of classes) {
        starts.set(z, runLabels.length * model.zDim);
        runLabels.push(c);
      }
    }
    if (targets.length * runLabels.length > 4096)
      throw invalid(`${targets.length} images × ${runLabels.length} runs is too many for one batch`);
    return new Projection(nets, targets, opts, starts, runLabels, classes.length);
  }

  get done(): boolean {
    return this.stopped !== null;
  }

  /** Runs up to `n` more steps (fewer at the end or on an early stop). */
  step(n: number): ProjectionProgress {
    for (let i = 0; i < n && !this.stopped; i++) this.stepOnce();
    return this.progress();
  }

  /** Stops for good and frees the tensors; `result()` still returns the best so far. */
  cancel(): void {
    if (!this.stopped) this.stopped = 'cancelled';
    this.dispose();
  }

  progress(): ProjectionProgress {
    const bests = this.recorders.map((r) => r.best());
    const mean = (f: (run: ProjectionRun) => number) =>
      bests.every((b) => b) ? bests.reduce((s, b) => s + f(b!), 0) / bests.length : Number.NaN;
    return {
      step: this.t,
      totalSteps: this.opts.steps,
      done: this.done,
      stopped: this.stopped,
      bestLoss: mean((b) => b.loss),
      bestPixelError: mean((b) => rmse01(b.pixel)),
      bestRun: bests[0]?.index ?? -1,
      targets: this.targets.length,
      seconds: (performance.now() - this.started) / 1000,
    };
  }

  private stepOnce(): void {
    const { model, G, D } = this.nets;
    const zBefore = this.z.dataSync() as Float32Array;
    let kept: { total: tf.Tensor1D; pixel: tf.Tensor1D; perceptual: tf.Tensor1D } | null = null;
    const sigma = noiseAt(this.opts.noise, this.t, this.opts.steps);
    const noise = sigma > 0 ? this.noiseFor(zBefore.length, sigma) : null;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        // Early steps see a jittered z (StyleGAN2's projector): the loss is smoothed, so a restart
        // can leave a shallow basin before the ramp-down settles it.
        const zSeen = noise ? tf.add(this.z, tf.tensor2d(noise, this.z.shape as [number, number])) : this.z;
        const images = generate(G, zSeen as tf.Tensor2D, this.labels, { training: false });
        const priorZ = model.latent === 'normal' && this.opts.prior === 'penalty' ? (this.z as tf.Tensor2D) : null;
        const l = rowLosses(D, model, images, this.terms, priorZ, this.opts.weights);
        kept = { total: tf.keep(l.total), pixel: tf.keep(l.pixel), perceptual: tf.keep(l.perceptual) };
        return tf.sum(l.total) as tf.Scalar;
      }, [this.z]);
      this.adam.config.learningRate = learningRateAt(this.opts.learningRate, this.t, this.opts.steps);
      this.adam.apply(new Map([['z', this.z]]), { z: grads[this.z.name] });
      this.constrain();
    });
    const k = kept!;
    const losses = { total: k.total.dataSync(), pixel: k.pixel.dataSync(), perceptual: k.perceptual.dataSync() };
    tf.dispose([k.total, k.pixel, k.perceptual]);
    let improved = false;
    // Losses belong to the z the networks saw (noise included): record that z.
    if (noise) for (let i = 0; i < zBefore.length; i++) zBefore[i] += noise[i];
    for (const r of this.recorders) improved = r.observe(this.t, zBefore, losses, this.opts.tolerance) || improved;
    if (this.recorders[0].frameDue(this.t)) this.recordFrames();
    this.t++;
    this.sinceImprovement = improved ? 0 : this.sinceImprovement + 1;
    if (this.t >= this.opts.steps) this.stopped = 'steps';
    else if (this.opts.patience > 0 && this.sinceImprovement >= this.opts.patience) this.stopped = 'converged';
    if (this.stopped) this.recordFrames();
  }

  /** Step t's noise on z: one block per target, the same for every target, so a target in a batch sees what it would alone. */
  private noiseFor(length: number, sigma: number): Float32Array {
    const block = new Rng(deriveSeed(this.opts.seed, INVERT_STREAM, NOISE_STREAM, this.t)).fillNormal(
      new Float32Array(length / this.targets.length),
      0,
      sigma,
    );
    const out = new Float32Array(length);
    for (let i = 0; i < this.targets.length; i++) out.set(block, i * block.length);
    return out;
  }

  /** Keeps z where the prior lives: the box for a uniform prior, the shell if asked. */
  private constrain(): void {
    const { model } = this.nets;
    if (model.latent === 'uniform') this.z.assign(tf.clipByValue(this.z, -1, 1));
    else if (this.opts.prior === 'shell') {
      const norms = tf.norm(this.z, 'euclidean', 1, true);
      this.z.assign(tf.mul(this.z, tf.div(Math.sqrt(model.zDim), tf.maximum(norms, 1e-6))));
    }
  }

  /** Each target's current best reconstruction, for the animations. */
  private recordFrames(): void {
    const bests = this.recorders.map((r) => r.best());
    if (bests.some((b) => !b)) return;
    const images = this.render(bests.map((b) => ({ z: b!.z, label: b!.label })));
    bests.forEach((b, i) => this.recorders[i].addFrame({ step: this.t, run: b!.index, loss: b!.loss, image: images[i] }));
  }

  /** G on a few z rows (with their classes): one image [S*S*C] per row. */
  private render(rows: { z: Float32Array; label: number | null }[]): Float32Array[] {
    const { model, G } = this.nets;
    const zFlat = new Float32Array(rows.length * model.zDim);
    rows.forEach((r, i) => zFlat.set(r.z, i * model.zDim));
    const out = tf.tidy(() => {
      const onehot =
        model.numClasses > 0
          ? (tf
              .oneHot(
                tf.tensor1d(
                  rows.map((r) => r.label ?? 0),
                  'int32',
                ),
                model.numClasses,
              )
              .toFloat() as tf.Tensor2D)
          : null;
      return generate(G, tf.tensor2d(zFlat, [rows.length, model.zDim]), onehot, { training: false });
    });
    const data = out.dataSync() as Float32Array;
    out.dispose();
    const pixels = model.size * model.size * model.channels;
    return rows.map((_, i) => data.slice(i * pixels, (i + 1) * pixels));
  }

  /** G(best z so far) of target `index` (a live preview), or null before the first step. */
  preview(index = 0): Float32Array | null {
    const best = this.recorders[index]?.best();
    return best ? this.render([{ z: best.z, label: best.label }])[0] : null;
  }

  /** The best reconstruction so far of target `index` (default the first), with every run's history and the animation frames. */
  result(index = 0): ProjectionResult {
    const recorder = this.recorders[index];
    if (!recorder) throw new Error(`There is no target ${index}: this projection has ${this.recorders.length}`);
    const best = recorder.best();
    if (!best) throw new Error('The projection has not run a step yet');
    const [image] = this.render([{ z: best.z, label: best.label }]);
    const target = this.targets[index];
    let mse = 0;
    for (let i = 0; i < image.length; i++) mse += (image[i] - target[i]) ** 2;
    mse /= image.length;
    let norm = 0;
    for (const v of best.z) norm += v * v;
    return {
      z: Float32Array.from(best.z),
      label: best.label,
      image,
      target: Float32Array.from(target),
      loss: best.loss,
      pixelError: rmse01(mse),
      psnr: psnr(mse),
      perceptualError: this.nets.D ? best.perceptual : null,
      zRadius: Math.sqrt(norm / this.nets.model.zDim),
      bestRun: best.index,
      runs: recorder.runs(),
      historySteps: recorder.historySteps,
      frames: recorder.frames,
      steps: this.t,
      stopped: this.stopped,
      seconds: (performance.now() - this.started) / 1000,
    };
  }

  /** Every target's result, in the order given. */
  results(): ProjectionResult[] {
    return this.recorders.map((_, i) => this.result(i));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.z.dispose();
    this.adam.dispose();
    this.labels?.dispose();
    disposeTargetTerms(this.terms);
  }
}
