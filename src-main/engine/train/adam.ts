/**
 * Adam with its state as named variables, so checkpoints save and restore it exactly
 * (tf.train.adam's state is positional and awkward to serialise). Paper: lr 2e-4, beta1 0.5.
 */
import { tf } from '../backend/tf';
import { ADAM, adamComposed, type AdamAttrs } from '../backend/kernels/fused_ops';

/** [p', m', v'] through the backend's fused Adam kernel, or stock ops where it has none. */
function adamUpdate(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, attrs: AdamAttrs): tf.Tensor[] {
  if (tf.getKernel(ADAM, tf.getBackend()) === undefined) return adamComposed(p, g, m, v, attrs);
  return tf.engine().runKernel(ADAM, { p, g, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
}

export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon?: number;
}

export class Adam {
  /** Number of updates applied; drives bias correction. */
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(
    readonly config: AdamConfig,
    params: Map<string, tf.Variable>,
  ) {
    for (const [name, p] of params) {
      // tidy: tf.variable copies its initial value, so the zeros themselves must be freed.
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
    }
  }

  /** Applies one update to `params` from `grads` (same names). Leaves no tensors behind. */
  apply(params: Map<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    this.step++;
    const { learningRate, beta1, beta2 } = this.config;
    const eps = this.config.epsilon ?? 1e-8;
    // Bias correction folded into the step size (Kingma & Ba, Alg. 1, last paragraph of Sec. 2).
    const alpha = (learningRate * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    tf.tidy(() => {
      for (const [name, p] of params) {
        const g = grads[name];
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        // m' = b1 m + (1-b1) g, v' = b2 v + (1-b2) g^2, p' = p - alpha m' / (sqrt(v') + eps).
        const [p2, m2, v2] = adamUpdate(p, g, m, v, { beta1, beta2, alpha, epsilon: eps });
        m.assign(m2);
        v.assign(v2);
        p.assign(p2);
      }
    });
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
