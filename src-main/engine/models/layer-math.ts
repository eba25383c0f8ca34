/**
 * Shapes and parameter counts of one layer (see shared/types/architecture.ts), no tfjs: the UI, `info`
 * and the import mappers use them, and the network builder allocates exactly these shapes.
 */
import type { LayerInfo, LayerSpec, NetworkSummary } from '../../shared/types';

export const DEFAULT_BN_EPSILON = 1e-5;

/** Values one output unit of a project/linear layer sees: the flattened (or pooled) input map. */
export function flatInputs(layer: LayerSpec): number {
  const side = layer.globalPool ? 1 : (layer.inSize ?? 1);
  return side * side * layer.inChannels;
}

/**
 * Shape of a layer's weight tensor: [in, outSize*outSize*out] for project, [in, out] for linear,
 * [k,k,in,out] for conv, [k,k,out,in] for deconv (tfjs conv2dTranspose layout).
 */
export function weightShape(layer: LayerSpec): number[] {
  switch (layer.kind) {
    case 'project':
      return [flatInputs(layer), layer.outSize * layer.outSize * layer.outChannels];
    case 'linear':
      return [flatInputs(layer), layer.outChannels];
    case 'conv':
      return [layer.kernel, layer.kernel, layer.inChannels, layer.outChannels];
    case 'deconv':
      return [layer.kernel, layer.kernel, layer.outChannels, layer.inChannels];
  }
}

/** A project layer has one bias per output unit (a Linear's), the others one per channel. */
export function biasShape(layer: LayerSpec): number[] {
  return layer.kind === 'project' ? [layer.outSize * layer.outSize * layer.outChannels] : [layer.outChannels];
}

/** Shape of the label embedding of an 'embed-multiply' first layer: [classes, inChannels]. */
export function embeddingShape(layer: LayerSpec): number[] | null {
  return layer.condition?.kind === 'embed-multiply' ? [layer.condition.classes, layer.inChannels] : null;
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Trainable parameters: weights, bias, BatchNorm gamma + beta (moving stats are not trainable), embedding. */
export function layerParams(layer: LayerSpec): number {
  const embedding = embeddingShape(layer);
  return (
    product(weightShape(layer)) +
    (layer.bias ? product(biasShape(layer)) : 0) +
    (layer.batchNorm ? 2 * layer.outChannels : 0) +
    (embedding ? product(embedding) : 0)
  );
}

/**
 * Output size of `layer` for an input map of side `inSize` (PyTorch and TensorFlow agree on these):
 * conv 'same' ceil(i/s), 'valid' floor((i-k)/s)+1, padding p floor((i+2p-k)/s)+1 (after upsampling);
 * deconv 'same' i*s, 'valid' (i-1)*s+k, padding p (i-1)*s+k-2p; project its own outSize; linear 1.
 */
export function layerOutSize(layer: LayerSpec, inSize: number): number {
  const { kernel: k, stride: s, padding } = layer;
  switch (layer.kind) {
    case 'project':
      return layer.outSize;
    case 'linear':
      return 1;
    case 'conv': {
      const i = inSize * (layer.upsample ?? 1);
      if (padding === 'same') return Math.ceil(i / s);
      const p = padding === 'valid' ? 0 : padding;
      return Math.floor((i + 2 * p - k) / s) + 1;
    }
    case 'deconv': {
      if (padding === 'same') return inSize * s;
      const p = padding === 'valid' ? 0 : padding;
      return (inSize - 1) * s + k - 2 * p;
    }
  }
}

/** "deconv 4x4/2 + BN + relu", "up2 + conv 3x3/1 +bias + BN + lrelu + drop0.25", "linear(gap) + none". */
export function describeLayer(l: LayerSpec): string {
  const shape = l.kind === 'project' || l.kind === 'linear' ? (l.globalPool ? '(gap)' : '') : ` ${l.kernel}x${l.kernel}/${l.stride}`;
  const up = l.upsample && l.upsample > 1 ? `up${l.upsample} + ` : '';
  const bias = l.bias ? ' +bias' : '';
  const bn = l.batchNorm ? ' + BN' : '';
  const drop = l.dropout ? ` + drop${l.dropout.spatial ? '2d' : ''} ${l.dropout.rate}` : '';
  return l.bnAfterActivation
    ? `${up}${l.kind}${shape}${bias} + ${l.activation}${drop}${bn}`
    : `${up}${l.kind}${shape}${bias}${bn} + ${l.activation}${drop}`;
}

export function summarize(layers: LayerSpec[]): NetworkSummary {
  const infos: LayerInfo[] = layers.map((l) => ({
    name: l.name,
    kind: describeLayer(l),
    outputShape: [l.outSize, l.outSize, l.outChannels],
    params: layerParams(l),
  }));
  return { layers: infos, trainableParams: infos.reduce((a, l) => a + l.params, 0) };
}
