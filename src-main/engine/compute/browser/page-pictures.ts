/**
 * The compute window's networks for pictures (samples, walks, feature maps): a checkpoint's G and
 * D, loaded apart from a training run's so drawing never touches the run's weights. Every pass is
 * in inference mode and read back asynchronously (WebGPU maps GPU buffers only asynchronously).
 */
import type { ModelConfig } from '../../../shared/types';
import { tf } from '../../backend/tf';
import { runDiscriminatorAsync, runGeneratorAsync } from '../../inspect/activations';
import { buildNetworks, disposeNetworks, networkState, type Networks } from '../../models/gan';
import { generateChunk } from '../../sampling/rows';
import type { TensorRecord } from '../../project/checkpoints';
import type { ForwardAnswer } from './device-protocol';

/** Rows G draws per dispatch: the walks' chunk on the Node host is 16; a GPU amortises more. */
const DRAW_CHUNK = 64;

export class PageNetworks {
  private nets: Networks | null = null;
  private model: ModelConfig | null = null;

  /** Builds the architecture of `model` and assigns every tensor (a missing or misshapen one is refused). */
  load(model: ModelConfig, tensors: TensorRecord[]): void {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const nets = buildNetworks(model, 0); // the seed is irrelevant: every weight is assigned below
    try {
      const state = networkState(nets);
      for (const [name, v] of state) {
        const rec = byName.get(name);
        if (!rec || rec.shape.join('x') !== v.shape.join('x')) throw new Error(`The networks sent to the compute window lack ${name}`);
      }
      tf.tidy(() => {
        for (const [name, v] of state) v.assign(tf.tensor(byName.get(name)!.values, v.shape));
      });
    } catch (error) {
      disposeNetworks(nets);
      throw error;
    }
    this.dispose();
    this.nets = nets;
    this.model = model;
  }

  private need(): { nets: Networks; model: ModelConfig } {
    if (!this.nets || !this.model) throw new Error('The compute window has no networks to draw with (load first)');
    return { nets: this.nets, model: this.model };
  }

  /** G on z rows [n, zDim] with label rows [n, numClasses] → NHWC floats in [-1, 1]. */
  async draw(z: Float32Array, labelRows: Float32Array | null): Promise<Float32Array> {
    const { nets, model } = this.need();
    const n = z.length / model.zDim;
    const out = new Float32Array(n * model.size * model.size * model.channels);
    for (let start = 0; start < n; start += DRAW_CHUNK) {
      const images = generateChunk(nets.G, model, z, labelRows, start, Math.min(DRAW_CHUNK, n - start));
      out.set((await images.data()) as Float32Array, start * model.size * model.size * model.channels);
      images.dispose();
    }
    return out;
  }

  /** G (input: z rows) or D (input: images) keeping the `capture` layers' activations. */
  async forward(net: 'G' | 'D', input: Float32Array, labels: number[] | null, capture: string[]): Promise<ForwardAnswer> {
    const { nets, model } = this.need();
    const keep = (layer: string) => capture.includes(layer);
    const pass =
      net === 'G'
        ? await runGeneratorAsync(nets.G, model, input, labels, keep).then((r) => ({ output: r.images, acts: r.acts }))
        : await runDiscriminatorAsync(nets.D, model, input, labels, keep).then((r) => ({ output: r.logits, acts: r.acts }));
    return { output: pass.output, acts: [...pass.acts].map(([name, a]) => ({ name, shape: a.shape, values: a.data })) };
  }

  dispose(): void {
    if (this.nets) disposeNetworks(this.nets);
    this.nets = null;
    this.model = null;
  }
}
