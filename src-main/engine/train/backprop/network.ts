/**
 * Forward and backward passes of a DCGAN `Network` written out by hand, for training.
 *
 * Why not tf.variableGrads: the step needs G's gradient through the *updated* D, which a tape
 * can only give by running G forward again (the tape of the D step is gone by then). With an
 * explicit cache, G's forward pass from the D step is reused; each layer's gradient is also a
 * few large ops (conv gradients, one fused BatchNorm+activation gradient) instead of the dozens
 * of small ones autodiff records. The maths is the same as the reference network
 * (models/network.ts); tests compare the two.
 */
import { tf } from '../../backend/tf';
import { LEAKY_SLOPE, type LayerSpec } from '../../models/architecture';
import { updateMovingStats, type Network } from '../../models/network';
import { BN_EPSILON, type FusedActivation } from '../../backend/kernels/fused_ops';
import { activate, activationGrad, batchNormAct, batchNormActGrad, type ActAttrs } from './fused';

const LAYER_KINDS = new Set<LayerSpec['kind']>(['project', 'deconv', 'conv']);
const ACTIVATIONS = new Set<LayerSpec['activation']>(['relu', 'lrelu', 'tanh', 'none']);

/**
 * A layer this module differentiates: the paper nets' layers (project, conv, transposed conv with
 * 'same'/'valid' padding, no bias, BatchNorm before the activation with the fused kernels' epsilon).
 * The architecture variants' extras (GELU, sigmoid, linear heads, biases, PyTorch paddings,
 * upsampling, dropout, global pooling, label embeddings or
 * labels ignored, [0, 1] pixels) are not.
 */
function handLayer(l: LayerSpec): boolean {
  return (
    LAYER_KINDS.has(l.kind) &&
    ACTIVATIONS.has(l.activation) &&
    typeof l.padding === 'string' &&
    (l.kind !== 'project' || l.padding === 'valid') &&
    !l.bias &&
    (l.bnEpsilon === undefined || l.bnEpsilon === BN_EPSILON) &&
    !l.bnAfterActivation &&
    (l.upsample ?? 1) === 1 &&
    !l.dropout &&
    !l.globalPool &&
    l.condition === undefined &&
    !l.unitPixels
  );
}

/** True when every layer is one this module can differentiate; otherwise train with the tape. */
export function supportsHandBackprop(net: Pick<Network, 'spec'>): boolean {
  return net.spec.every(handLayer);
}

/** What one layer's backward pass needs from its forward pass. */
export interface LayerCache {
  layer: LayerSpec;
  /** Layer input (NHWC, or [B, features] for 'project'). */
  x: tf.Tensor;
  /** Pre-BatchNorm output (only with BatchNorm). */
  h: tf.Tensor4D | null;
  /** Post-activation output. */
  y: tf.Tensor4D;
  mean: tf.Tensor1D | null;
  variance: tf.Tensor1D | null;
}

export interface ForwardCache {
  layers: LayerCache[];
  /** The network's output (= the last layer's y). */
  output: tf.Tensor4D;
}

// supportsHandBackprop admits only the activations the fused kernels know.
const actAttrs = (layer: LayerSpec): ActAttrs => ({ activation: layer.activation as FusedActivation, slope: LEAKY_SLOPE });

function param(net: Network, name: string): tf.Variable {
  const v = net.params.get(name);
  if (!v) throw new Error(`network has no parameter ${name}`);
  return v;
}

function convAttrs(layer: LayerSpec) {
  return { strides: layer.stride, pad: layer.padding, dataFormat: 'NHWC' as const, dimRoundingMode: undefined };
}

function kernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor4D {
  return tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor4D;
}

/** The layer's linear part: project matmul, transposed conv or conv. */
function linearForward(net: Network, layer: LayerSpec, x: tf.Tensor): tf.Tensor4D {
  const w = param(net, `${layer.name}.w`);
  const b = x.shape[0];
  switch (layer.kind) {
    case 'project':
      return tf.reshape(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), [b, layer.outSize, layer.outSize, layer.outChannels]);
    case 'deconv':
      return tf.conv2dTranspose(
        x as tf.Tensor4D,
        w as tf.Tensor4D,
        [b, layer.outSize, layer.outSize, layer.outChannels],
        layer.stride,
        layer.padding,
      );
    case 'conv':
      return tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, layer.stride, layer.padding);
    default:
      throw new Error(`hand-written backprop has no '${layer.kind}' layer (supportsHandBackprop says which nets it trains)`);
  }
}

/**
 * Training-mode forward pass (batch statistics) that keeps what backward needs.
 * Call inside tf.tidy; the cache's tensors live as long as that scope.
 * @param input [B, features] for G (z, + one-hot), NHWC images (+ label maps) for D
 */
export function forwardTrain(net: Network, input: tf.Tensor, updateStats: boolean): ForwardCache {
  const layers: LayerCache[] = [];
  let x = input;
  for (const layer of net.spec) {
    const pre = linearForward(net, layer, x);
    let cache: LayerCache;
    if (layer.batchNorm) {
      const gamma = param(net, `${layer.name}.gamma`) as tf.Variable<tf.Rank.R1>;
      const beta = param(net, `${layer.name}.beta`) as tf.Variable<tf.Rank.R1>;
      const { y, mean, variance } = batchNormAct(pre, gamma, beta, actAttrs(layer));
      if (updateStats) updateMovingStats(net, layer, pre, mean, variance);
      cache = { layer, x, h: pre, y, mean, variance };
    } else {
      cache = { layer, x, h: null, y: activate(pre, actAttrs(layer)), mean: null, variance: null };
    }
    layers.push(cache);
    x = cache.y;
  }
  return { layers, output: x as tf.Tensor4D };
}

export interface BackwardResult {
  /** dL/dparam by parameter name (`${layer}.w`, `.gamma`, `.beta`); empty when not asked for. */
  grads: Record<string, tf.Tensor>;
  /** dL/dinput, when asked for. */
  dInput: tf.Tensor | null;
}

/**
 * Backpropagates dL/d(output) through the cached forward pass.
 * @param wantParams compute parameter gradients (D in the G step needs none)
 * @param wantInput  compute dL/dinput (G's input gradient is never needed)
 */
export function backward(net: Network, cache: ForwardCache, dOutput: tf.Tensor4D, wantParams: boolean, wantInput: boolean): BackwardResult {
  const grads: Record<string, tf.Tensor> = {};
  let dy: tf.Tensor4D = dOutput;
  let dInput: tf.Tensor | null = null;
  for (let i = cache.layers.length - 1; i >= 0; i--) {
    const { layer, x, h, y, mean, variance } = cache.layers[i];
    let dh: tf.Tensor4D;
    if (layer.batchNorm) {
      const gamma = param(net, `${layer.name}.gamma`) as tf.Variable<tf.Rank.R1>;
      const g = batchNormActGrad({ dy, x: h!, y, mean: mean!, variance: variance!, gamma }, actAttrs(layer));
      dh = g.dx;
      if (wantParams) {
        grads[`${layer.name}.gamma`] = g.dGamma;
        grads[`${layer.name}.beta`] = g.dBeta;
      }
    } else {
      dh = activationGrad(dy, y, actAttrs(layer));
    }
    const needDx = i > 0 || wantInput;
    const w = param(net, `${layer.name}.w`);
    if (layer.kind === 'project') {
      const dh2 = tf.reshape(dh, [dh.shape[0], -1]) as tf.Tensor2D;
      if (wantParams) grads[`${layer.name}.w`] = tf.matMul(x as tf.Tensor2D, dh2, true, false);
      if (needDx) dInput = tf.matMul(dh2, w as tf.Tensor2D, false, true);
    } else if (layer.kind === 'deconv') {
      // y = conv2dTranspose(x, w) is Conv2DBackpropInput(dy = x): its filter gradient takes the
      // output gradient in the 'x' slot, and its input gradient is a forward conv.
      if (wantParams) {
        grads[`${layer.name}.w`] = kernel('Conv2DBackpropFilter', { x: dh, dy: x }, { ...convAttrs(layer), filterShape: w.shape });
      }
      if (needDx) dInput = tf.conv2d(dh, w as tf.Tensor4D, layer.stride, layer.padding);
    } else {
      if (wantParams) {
        grads[`${layer.name}.w`] = kernel('Conv2DBackpropFilter', { x, dy: dh }, { ...convAttrs(layer), filterShape: w.shape });
      }
      if (needDx) dInput = kernel('Conv2DBackpropInput', { dy: dh, filter: w }, { ...convAttrs(layer), inputShape: x.shape });
    }
    if (i > 0) dy = dInput as tf.Tensor4D;
  }
  return { grads, dInput: wantInput ? dInput : null };
}
