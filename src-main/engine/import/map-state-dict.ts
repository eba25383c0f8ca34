/**
 * Puts a PyTorch state dict's tensors onto a Ganvas layer list, converting layouts:
 *   Conv2d weight OIHW -> HWIO; ConvTranspose2d IOHW -> HWOI (tfjs conv2dTranspose's [k,k,out,in]);
 *   a first ConvTranspose2d over a 1x1 input (pytorch/examples) -> the project matmul [in, HWO];
 *   a Linear whose output is viewed as CHW (PyTorch-GAN, the book) -> the project matmul [in, HWC];
 *   a Linear over a flattened CHW map (a head) -> [HWC, out].
 * Every tensor's shape is checked against what the layer needs, and every key must be used, so a
 * file of another family fails on the first key that does not fit.
 */
import type { LayerSpec } from '../../shared/types';
import { biasShape, weightShape } from '../models/layer-math';
import type { StateDict, TorchTensor } from './torch-file';

export type Layout = 'conv' | 'deconv' | 'project-from-deconv' | 'project-from-linear' | 'linear' | 'linear-from-map';

export interface LayerKeys {
  /** Ganvas layer name. */
  layer: string;
  weight: string;
  layout: Layout;
  bias?: string;
  /** Prefix of the BatchNorm module's weight/bias/running_mean/running_var. */
  bn?: string;
}

export interface NamedTensor {
  shape: number[];
  values: Float32Array;
}

export interface MappedNetwork {
  /** `${layer}.w|b|gamma|beta` */
  params: Map<string, NamedTensor>;
  /** `${layer}.mean|var` */
  stats: Map<string, NamedTensor>;
}

/** Transposes a row-major tensor: out dims = perm.map(i => shape[i]). */
export function permute(values: Float32Array, shape: number[], perm: number[]): Float32Array {
  const outShape = perm.map((i) => shape[i]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += index[d] * strides[perm[d]];
    out[o] = values[src];
    for (let d = outShape.length - 1; d >= 0 && ++index[d] === outShape[d]; d--) index[d] = 0;
  }
  return out;
}

/** The torch shape a layer's weight has in `layout`. */
function torchWeightShape(l: LayerSpec, layout: Layout): number[] {
  const s = l.outSize;
  const side = l.inSize ?? 1;
  switch (layout) {
    case 'conv':
      return [l.outChannels, l.inChannels, l.kernel, l.kernel];
    case 'deconv':
      return [l.inChannels, l.outChannels, l.kernel, l.kernel];
    case 'project-from-deconv':
      return [l.inChannels, l.outChannels, s, s];
    case 'project-from-linear':
      return [s * s * l.outChannels, l.inChannels * side * side];
    case 'linear':
      return [l.outChannels, l.inChannels];
    case 'linear-from-map':
      return [l.outChannels, l.inChannels * side * side];
  }
}

function convertWeight(t: TorchTensor, l: LayerSpec, layout: Layout): Float32Array {
  const s = l.outSize;
  const side = l.inSize ?? 1;
  switch (layout) {
    case 'conv':
    case 'deconv':
      return permute(t.values, t.shape, [2, 3, 1, 0]);
    case 'project-from-deconv':
      return permute(t.values, t.shape, [0, 2, 3, 1]);
    case 'project-from-linear':
      return permute(t.values, [l.outChannels, s, s, t.shape[1]], [3, 1, 2, 0]);
    case 'linear':
      return permute(t.values, t.shape, [1, 0]);
    case 'linear-from-map':
      return permute(t.values, [l.outChannels, l.inChannels, side, side], [2, 3, 1, 0]);
  }
}

function convertBias(t: TorchTensor, l: LayerSpec, layout: Layout): Float32Array {
  const s = l.outSize;
  if (layout === 'project-from-linear') return permute(t.values, [l.outChannels, s, s], [1, 2, 0]);
  if (layout === 'project-from-deconv') {
    // A transposed conv's bias is per channel; the project layer's per output unit.
    const out = new Float32Array(s * s * l.outChannels);
    for (let i = 0; i < out.length; i++) out[i] = t.values[i % l.outChannels];
    return out;
  }
  return t.values;
}

const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * @param what  "netG.pth (pytorch-gan generator)", for messages.
 * @throws Error naming the first key that is missing, has the wrong shape, or is not used.
 */
export function mapStateDict(sd: StateDict, spec: LayerSpec[], keys: LayerKeys[], what: string): MappedNetwork {
  const params = new Map<string, NamedTensor>();
  const stats = new Map<string, NamedTensor>();
  const used = new Set<string>();
  const get = (key: string, shape: number[]): TorchTensor => {
    const t = sd.get(key);
    if (!t) throw new Error(`${what} has no ${key}`);
    if (!same(t.shape, shape))
      throw new Error(`${what}: ${key} is ${t.shape.join('x') || 'a scalar'}, this architecture needs ${shape.join('x')}`);
    used.add(key);
    return t;
  };
  for (const k of keys) {
    const l = spec.find((x) => x.name === k.layer);
    if (!l) throw new Error(`internal: no layer ${k.layer}`);
    const w = get(k.weight, torchWeightShape(l, k.layout));
    params.set(`${l.name}.w`, { shape: weightShape(l), values: convertWeight(w, l, k.layout) });
    if (l.bias) {
      if (!k.bias) throw new Error(`internal: no bias key for ${k.layer}`);
      const torchBias = k.layout === 'project-from-linear' ? biasShape(l) : [l.outChannels];
      params.set(`${l.name}.b`, { shape: biasShape(l), values: convertBias(get(k.bias, torchBias), l, k.layout) });
    }
    if (l.batchNorm) {
      if (!k.bn) throw new Error(`internal: no BatchNorm key for ${k.layer}`);
      const c = [l.outChannels];
      params.set(`${l.name}.gamma`, { shape: c, values: get(`${k.bn}.weight`, c).values });
      params.set(`${l.name}.beta`, { shape: c, values: get(`${k.bn}.bias`, c).values });
      stats.set(`${l.name}.mean`, { shape: c, values: get(`${k.bn}.running_mean`, c).values });
      stats.set(`${l.name}.var`, { shape: c, values: get(`${k.bn}.running_var`, c).values });
      if (sd.has(`${k.bn}.num_batches_tracked`)) used.add(`${k.bn}.num_batches_tracked`);
    }
  }
  const extra = [...sd.keys()].find((key) => !used.has(key));
  if (extra) throw new Error(`${what}: ${extra} does not fit this architecture`);
  return { params, stats };
}
