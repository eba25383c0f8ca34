/**
 * Turns a TF.js layers model (tfjs-model.ts) into Ganvas layers. TF.js and Ganvas share layouts
 * (NHWC maps, Dense kernels [in, out], Conv2D [k,k,in,out], Conv2DTranspose [k,k,out,in]), so
 * weights are copied as they are; the work is grouping TF.js's layer sequence (Dense, Reshape,
 * Conv2D(Transpose), BatchNormalization, Activation/LeakyReLU/ReLU, Dropout, Flatten) into Ganvas
 * layers, and recognising the AC-GAN label path Embedding(label) * z (tfjs-examples mnist-acgan).
 */
import type { Activation, LayerSpec } from '../../shared/types';
import { LEAKY_SLOPE } from '../models/architecture';
import { layerOutSize } from '../models/layer-math';
import type { NamedTensor } from './map-state-dict';
import type { TfLayer, TfModel } from './tfjs-model';

export interface ConvertedNet {
  layers: LayerSpec[];
  params: Map<string, NamedTensor>;
  stats: Map<string, NamedTensor>;
  notes: string[];
}

const ACTIVATIONS: Record<string, Activation> = { linear: 'none', relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid' };

function activationOf(name: unknown, where: string): Activation {
  const a = ACTIVATIONS[String(name ?? 'linear')];
  if (!a) throw new Error(`${where}: activation '${String(name)}' is not supported (linear, relu, tanh, sigmoid, LeakyReLU(0.2))`);
  return a;
}

const pair = (v: unknown, what: string, where: string): number => {
  const [a, b] = (Array.isArray(v) ? v : [v, v]) as number[];
  if (a !== b) throw new Error(`${where}: non-square ${what} ${a}x${b} is not supported`);
  return a;
};

/** Groups a chain of TF.js layers into Ganvas layers named `${prefix}${first}...`. */
function convertChain(chain: TfLayer[], prefix: 'g' | 'd', first: number, size: number, channels: number, file: string): ConvertedNet {
  const out: ConvertedNet = { layers: [], params: new Map(), stats: new Map(), notes: [] };
  let cur: LayerSpec | null = null;
  let activationSet = false;
  let flattened = false;
  const weight = (l: TfLayer, key: string, shape: number[]): Float32Array => {
    const w = l.weights.get(key);
    if (!w) throw new Error(`${file}: layer ${l.name} has no weight ${key}`);
    if (w.shape.join('x') !== shape.join('x'))
      throw new Error(`${file}: ${l.name}/${key} is ${w.shape.join('x')}, expected ${shape.join('x')}`);
    return w.values;
  };
  const start = (spec: Omit<LayerSpec, 'name'>, l: TfLayer, kernelShape: number[]) => {
    cur = { name: `${prefix}${first + out.layers.length}`, ...spec };
    out.layers.push(cur);
    out.params.set(`${cur.name}.w`, { shape: kernelShape, values: weight(l, 'kernel', kernelShape) });
    if (spec.bias) out.params.set(`${cur.name}.b`, { shape: [spec.outChannels], values: weight(l, 'bias', [spec.outChannels]) });
    activationSet = spec.activation !== 'none';
    size = spec.outSize;
    channels = spec.outChannels;
  };
  for (const l of chain) {
    const c = l.config;
    const where = `${file}: layer ${l.name} (${l.className})`;
    const bias = c.use_bias !== false;
    switch (l.className) {
      case 'InputLayer':
        break;
      case 'Dense': {
        const units = Number(c.units);
        if (size > 1 && !flattened) throw new Error(`${where} reads a ${size}x${size} map without a Flatten`);
        const inputs = size * size * channels;
        start(
          {
            kind: 'linear',
            inChannels: channels,
            ...(size > 1 && { inSize: size }),
            outChannels: units,
            kernel: 1,
            stride: 1,
            padding: 'valid',
            outSize: 1,
            batchNorm: false,
            activation: activationOf(c.activation, where),
            ...(bias && { bias: true }),
          },
          l,
          [inputs, units],
        );
        flattened = false;
        break;
      }
      case 'Reshape': {
        const [h, w, ch] = c.target_shape as number[];
        const last = cur as LayerSpec | null;
        if (!last || last.kind !== 'linear' || last.batchNorm || h !== w || h * w * ch !== last.outChannels)
          throw new Error(`${where}: only a Dense reshaped to a square map is supported`);
        last.kind = 'project';
        last.outSize = h;
        last.outChannels = ch;
        last.kernel = h;
        size = h;
        channels = ch;
        break;
      }
      case 'Conv2D':
      case 'Conv2DTranspose': {
        if ((c.data_format ?? 'channels_last') !== 'channels_last') throw new Error(`${where}: channels_first is not supported`);
        if (pair(c.dilation_rate ?? 1, 'dilation', where) !== 1) throw new Error(`${where}: dilated convolutions are not supported`);
        const k = pair(c.kernel_size, 'kernel', where);
        const s = pair(c.strides ?? 1, 'stride', where);
        const filters = Number(c.filters);
        const deconv = l.className === 'Conv2DTranspose';
        const spec: Omit<LayerSpec, 'name'> = {
          kind: deconv ? 'deconv' : 'conv',
          inChannels: channels,
          outChannels: filters,
          kernel: k,
          stride: s,
          padding: c.padding === 'same' ? 'same' : 'valid',
          outSize: 0,
          batchNorm: false,
          activation: activationOf(c.activation, where),
          ...(bias && { bias: true }),
        };
        spec.outSize = layerOutSize(spec as LayerSpec, size);
        start(spec, l, deconv ? [k, k, filters, channels] : [k, k, channels, filters]);
        break;
      }
      case 'BatchNormalization': {
        if (!cur) throw new Error(`${where}: BatchNorm before any weights is not supported`);
        const spec = cur as LayerSpec;
        if (![-1, 3].includes(Number(c.axis ?? -1)) || c.center === false || c.scale === false)
          throw new Error(`${where}: only BatchNorm over channels with centre and scale is supported`);
        if (spec.batchNorm) throw new Error(`${where}: two BatchNorms in a row are not supported`);
        spec.batchNorm = true;
        spec.bnEpsilon = Number(c.epsilon ?? 1e-3);
        if (activationSet || spec.dropout) spec.bnAfterActivation = true;
        const ch = [spec.outChannels];
        out.params.set(`${spec.name}.gamma`, { shape: ch, values: weight(l, 'gamma', ch) });
        out.params.set(`${spec.name}.beta`, { shape: ch, values: weight(l, 'beta', ch) });
        out.stats.set(`${spec.name}.mean`, { shape: ch, values: weight(l, 'moving_mean', ch) });
        out.stats.set(`${spec.name}.var`, { shape: ch, values: weight(l, 'moving_variance', ch) });
        break;
      }
      case 'Activation':
      case 'LeakyReLU':
      case 'ReLU': {
        const spec = cur as LayerSpec | null;
        if (!spec || activationSet || spec.dropout || spec.bnAfterActivation)
          throw new Error(`${where}: a second nonlinearity on one layer is not supported`);
        if (l.className === 'LeakyReLU' && Math.abs(Number(c.alpha ?? 0.3) - LEAKY_SLOPE) > 1e-6)
          throw new Error(`${where}: LeakyReLU alpha ${String(c.alpha ?? 0.3)} is not supported (Ganvas uses ${LEAKY_SLOPE})`);
        if (l.className === 'ReLU' && c.max_value != null) throw new Error(`${where}: a capped ReLU is not supported`);
        spec.activation = l.className === 'LeakyReLU' ? 'lrelu' : l.className === 'ReLU' ? 'relu' : activationOf(c.activation, where);
        activationSet = true;
        break;
      }
      case 'Dropout':
      case 'SpatialDropout2D': {
        const spec = cur as LayerSpec | null;
        if (!spec || spec.dropout) throw new Error(`${where}: dropout here is not supported`);
        spec.dropout = { rate: Number(c.rate), spatial: l.className === 'SpatialDropout2D' };
        activationSet = true; // nothing may come between dropout and a later BatchNorm
        break;
      }
      case 'Flatten':
        flattened = true;
        break;
      default:
        throw new Error(`${where} is not supported by the import`);
    }
  }
  return out;
}

/** The chain of single-input layers ending at `end`, walking back until `stop` says so. */
function chainTo(model: TfModel, end: string, stop: (l: TfLayer) => boolean, file: string): { chain: TfLayer[]; head: TfLayer } {
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const chain: TfLayer[] = [];
  let cur = byName.get(end);
  while (cur && !stop(cur)) {
    chain.unshift(cur);
    if (cur.inbound.length !== 1)
      throw new Error(
        `${file}: layer ${cur.name} has ${cur.inbound.length} inputs; only a chain of layers (and the AC-GAN label path) is supported`,
      );
    cur = byName.get(cur.inbound[0]);
  }
  if (!cur) throw new Error(`${file}: the model's layers do not connect to its input`);
  return { chain, head: cur };
}

/** G: a chain from z, optionally preceded by z * Embedding(label) (AC-GAN). */
export function tfjsGenerator(model: TfModel, file: string): ConvertedNet & { zDim: number; numClasses: number } {
  if (model.outputs.length !== 1) throw new Error(`${file}: a generator has one output, this model has ${model.outputs.length}`);
  const { chain, head } = chainTo(model, model.outputs[0], (l) => l.className === 'InputLayer' || l.className === 'Multiply', file);
  let zDim: number;
  let numClasses = 0;
  let embed: NamedTensor | null = null;
  if (head.className === 'Multiply') {
    const sources = head.inbound.map((n) => chainTo(model, n, (l) => l.className === 'InputLayer', file));
    const withEmbedding = sources.find((s) => s.chain.some((l) => l.className === 'Embedding'));
    const latent = sources.find((s) => s !== withEmbedding);
    const embedding = withEmbedding?.chain.find((l) => l.className === 'Embedding');
    if (
      !embedding ||
      !latent ||
      latent.chain.length > 0 ||
      withEmbedding!.chain.some((l) => !['Embedding', 'Flatten', 'Reshape'].includes(l.className))
    ) {
      throw new Error(`${file}: only z * Embedding(label) is supported as a label path`);
    }
    const e = embedding.weights.get('embeddings');
    if (!e) throw new Error(`${file}: layer ${embedding.name} has no embeddings`);
    [numClasses, zDim] = e.shape;
    embed = e;
  } else {
    const first = chain.find((l) => l.className === 'Dense');
    if (!first) throw new Error(`${file}: a generator must start with a Dense layer on z`);
    zDim = first.weights.get('kernel')?.shape[0] ?? 0;
  }
  const net = convertChain(chain, 'g', 0, 1, zDim, file);
  if (net.layers.length === 0) throw new Error(`${file} has no layers with weights`);
  if (embed) {
    net.layers[0].condition = { kind: 'embed-multiply', classes: numClasses };
    net.params.set(`${net.layers[0].name}.embed`, embed);
  }
  const last = net.layers.at(-1)!;
  if (last.activation === 'sigmoid') last.unitPixels = true;
  return { ...net, zDim, numClasses };
}

/**
 * D: a chain from the image to a one-unit Dense (its sigmoid becomes the loss's). Other outputs,
 * such as an AC-GAN's class head, are left out with a note.
 */
export function tfjsDiscriminator(model: TfModel, file: string, numClasses: number, unitPixels: boolean): ConvertedNet {
  const heads = model.outputs.map((n) => model.layers.find((l) => l.name === n)!);
  const real = heads.find((l) => l?.className === 'Dense' && Number(l.config.units) === 1);
  if (!real) throw new Error(`${file}: a discriminator needs a one-unit Dense output (real or fake)`);
  const { chain, head } = chainTo(model, real.name, (l) => l.className === 'InputLayer', file);
  const shape = (head.config.batch_input_shape ?? chain[0]?.config.batch_input_shape) as (number | null)[] | undefined;
  if (!shape || shape.length !== 4 || shape[1] !== shape[2]) throw new Error(`${file}: the discriminator's input must be a square image`);
  const net = convertChain(chain, 'd', 1, Number(shape[1]), Number(shape[3]), file);
  const top = net.layers.at(-1)!;
  if (top.activation !== 'sigmoid' && top.activation !== 'none')
    throw new Error(`${file}: the discriminator's output must be a sigmoid or a logit`);
  top.activation = 'none'; // Ganvas's losses take logits: sigmoid(logit) is the model's output
  if (numClasses > 0) net.layers[0].condition = { kind: 'none' };
  if (unitPixels) net.layers[0].unitPixels = true;
  for (const other of heads.filter((l) => l !== real)) {
    net.notes.push(
      `The discriminator's ${other.name} output (${String(other.config.units)} units, an auxiliary classifier) was left out: Ganvas trains D on real vs fake only.`,
    );
  }
  return net;
}
