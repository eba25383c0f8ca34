/**
 * The fused training kernels (./fused_ops.ts) for the native 'tensorflow' backend (tfjs-node),
 * on TensorFlow's own ops: FusedBatchNormV3 / FusedBatchNormGradV3 (what Keras trains with; one
 * pass each in oneDNN) and ReluGrad / LeakyReluGrad / TanhGrad, instead of the dozen small ops each
 * composition takes; every op is also a round trip between JS and TensorFlow.
 */
import { tf } from '../tf';
import { ACT_GRAD, BN_ACT, BN_ACT_GRAD, BN_EPSILON, type ActAttrs } from './fused_ops';
import { input } from './util';

const TF = 'tensorflow';

/** The parts of tfjs-node's NodeJSKernelBackend used here. */
interface NativeBackend {
  binding: Record<string, number>;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[], n: number): tf.Tensor[];
}

interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

function typeAttr(b: NativeBackend, name: string): OpAttr {
  return { name, type: b.binding.TF_ATTR_TYPE, value: b.binding.TF_FLOAT };
}

function bnAttrs(b: NativeBackend): OpAttr[] {
  return [
    typeAttr(b, 'T'),
    typeAttr(b, 'U'),
    { name: 'epsilon', type: b.binding.TF_ATTR_FLOAT, value: BN_EPSILON },
    { name: 'data_format', type: b.binding.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: b.binding.TF_ATTR_BOOL, value: true },
  ];
}

function activationForward(b: NativeBackend, x: tf.TensorInfo, { activation, slope }: ActAttrs): tf.Tensor {
  switch (activation) {
    case 'relu':
      return b.executeSingleOutput('Relu', [typeAttr(b, 'T')], [x]);
    case 'lrelu':
      return b.executeSingleOutput('LeakyRelu', [typeAttr(b, 'T'), { name: 'alpha', type: b.binding.TF_ATTR_FLOAT, value: slope }], [x]);
    case 'tanh':
      return b.executeSingleOutput('Tanh', [typeAttr(b, 'T')], [x]);
    case 'none':
      return b.executeSingleOutput('Identity', [typeAttr(b, 'T')], [x]);
  }
}

/** dL/d(pre-activation) from dL/dy and y: ReLU/LeakyReLU outputs have their inputs' signs. */
function activationBackward(b: NativeBackend, dy: tf.TensorInfo, y: tf.TensorInfo, { activation, slope }: ActAttrs): tf.Tensor {
  switch (activation) {
    case 'relu':
      return b.executeSingleOutput('ReluGrad', [typeAttr(b, 'T')], [dy, y]);
    case 'lrelu':
      return b.executeSingleOutput(
        'LeakyReluGrad',
        [typeAttr(b, 'T'), { name: 'alpha', type: b.binding.TF_ATTR_FLOAT, value: slope }],
        [dy, y],
      );
    case 'tanh':
      return b.executeSingleOutput('TanhGrad', [typeAttr(b, 'T')], [y, dy]);
    case 'none':
      return b.executeSingleOutput('Identity', [typeAttr(b, 'T')], [dy]);
  }
}

const isF32 = (...ts: tf.TensorInfo[]) => ts.every((t) => t.dtype === 'float32' && t.shape.length <= 4);

/**
 * FusedBatchNormV3 in training mode returns [y, mean, Bessel-corrected variance, reserve mean,
 * reserve (biased) variance, workspace]; the biased variance is what BatchNorm normalised with.
 */
const bnActKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as NativeBackend;
  const [x, gamma, beta] = (['x', 'gamma', 'beta'] as const).map((n) => input(inputs, n));
  if (!isF32(x, gamma, beta) || x.shape.length !== 4) throw new Error(`${BN_ACT}: float32 NHWC only`);
  return tf.tidy(() => {
    const empty = tf.tensor1d([], 'float32');
    const out = b.executeMultipleOutputs('FusedBatchNormV3', bnAttrs(b), [x, gamma, beta, empty, empty], 6);
    const y = activationForward(b, out[0], attrs as unknown as ActAttrs);
    return [y, out[3], out[4]];
  });
};

const bnActGradKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as NativeBackend;
  const [dy, x, y, mean, variance, gamma] = (['dy', 'x', 'y', 'mean', 'variance', 'gamma'] as const).map((n) => input(inputs, n));
  if (!isF32(dy, x, y, mean, variance, gamma)) throw new Error(`${BN_ACT_GRAD}: float32 only`);
  return tf.tidy(() => {
    const g = activationBackward(b, dy, y, attrs as unknown as ActAttrs);
    const empty = tf.tensor1d([], 'float32');
    const out = b.executeMultipleOutputs('FusedBatchNormGradV3', bnAttrs(b), [g, x, gamma, mean, variance, empty], 5);
    return [out[0], out[1], out[2]];
  });
};

const actGradKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const b = backend as unknown as NativeBackend;
  return activationBackward(b, input(inputs, 'dy'), input(inputs, 'y'), attrs as unknown as ActAttrs);
};

/** Registers the fused kernels for the 'tensorflow' backend. Idempotent. */
export function registerTensorflowKernels(): void {
  for (const [kernelName, kernelFunc] of [
    [BN_ACT, bnActKernel],
    [BN_ACT_GRAD, bnActGradKernel],
    [ACT_GRAD, actGradKernel],
  ] as const) {
    if (tf.getKernel(kernelName, TF) === undefined) tf.registerKernel({ kernelName, backendName: TF, kernelFunc });
  }
}
