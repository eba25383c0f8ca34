/**
 * Structural checks of a layer-list architecture against its ModelConfig: every layer's input is
 * the previous layer's output, sizes follow from kernel/stride/padding, G ends at the image and D
 * at one unit. Stored and imported architectures both pass through here, so a damaged project.json
 * or an odd imported file fails with one readable line instead of a tfjs shape error mid-training.
 */
import type { LayerSpec, ModelArchitecture, ModelConfig } from '../../shared/types';
import { layerOutSize, layerParams } from './layer-math';

/** More than the widest net createProject can make (paper 128x128, ngf 512): a hostile project.json cannot ask for terabytes. */
const MAX_PARAMS_PER_NETWORK = 2e9;

const isPositiveInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;

function checkLayer(net: 'generator' | 'discriminator', l: LayerSpec, first: boolean, last: boolean): void {
  const where = `${net} layer ${l.name}`;
  for (const [field, v] of [
    ['inChannels', l.inChannels],
    ['outChannels', l.outChannels],
    ['kernel', l.kernel],
    ['stride', l.stride],
    ['outSize', l.outSize],
  ] as const) {
    if (!isPositiveInt(v)) throw new Error(`${where}: ${field} must be a positive integer, got ${v}`);
  }
  if (typeof l.padding === 'number' && !(Number.isInteger(l.padding) && l.padding >= 0))
    throw new Error(`${where}: padding must be 'same', 'valid' or a whole number >= 0`);
  if (l.upsample !== undefined && (!isPositiveInt(l.upsample) || l.kind !== 'conv'))
    throw new Error(`${where}: upsampling needs a conv layer and a whole factor`);
  if (l.bnEpsilon !== undefined && !(l.bnEpsilon > 0)) throw new Error(`${where}: BatchNorm epsilon must be > 0`);
  if (l.dropout && !(l.dropout.rate >= 0 && l.dropout.rate < 1)) throw new Error(`${where}: dropout rate must be in [0, 1)`);
  if (l.condition && !first) throw new Error(`${where}: only the first layer takes the label`);
  if (l.unitPixels && !(net === 'generator' ? last : first))
    throw new Error(`${where}: [0, 1] pixels belong to G's last or D's first layer`);
  if (l.globalPool && l.kind !== 'linear') throw new Error(`${where}: global average pooling needs a linear layer`);
}

function checkChain(net: 'generator' | 'discriminator', layers: LayerSpec[], inChannels: number, inSize: number): void {
  const prefix = net === 'generator' ? 'g' : 'd';
  const names = new Set<string>();
  let channels = inChannels;
  let size = inSize;
  let from = net === 'generator' ? 'z' : 'the image';
  layers.forEach((l, i) => {
    checkLayer(net, l, i === 0, i === layers.length - 1);
    if (!l.name.startsWith(prefix) || names.has(l.name))
      throw new Error(`${net} layer names must be unique and start with '${prefix}', got '${l.name}'`);
    names.add(l.name);
    if (l.inChannels !== channels)
      throw new Error(`${net} layer ${l.name} expects ${l.inChannels} input channels but ${from} gives ${channels}`);
    if (l.kind === 'project' || l.kind === 'linear') {
      if ((l.inSize ?? 1) !== size)
        throw new Error(`${net} layer ${l.name} expects a ${l.inSize ?? 1}x${l.inSize ?? 1} input but ${from} is ${size}x${size}`);
    }
    const expected = layerOutSize(l, size);
    if (expected !== l.outSize)
      throw new Error(`${net} layer ${l.name}: a ${size}x${size} input gives ${expected}x${expected}, not ${l.outSize}x${l.outSize}`);
    channels = l.outChannels;
    size = l.outSize;
    from = l.name;
  });
}

/** Throws a one-line Error naming the first inconsistency. */
export function validateArchitecture(model: ModelConfig, arch: ModelArchitecture): void {
  const G = arch.generator;
  const D = arch.discriminator;
  if (G.length === 0 || D.length === 0) throw new Error('An architecture needs at least one layer in G and in D');
  if (G[0].kind !== 'project' && G[0].kind !== 'linear')
    throw new Error(`G's first layer ${G[0].name} must be project or linear (it reads z)`);
  const gCond = G[0].condition;
  if (gCond?.kind === 'none' && model.numClasses > 0) throw new Error('A conditional G must take the label');
  if (gCond?.kind === 'embed-multiply' && gCond.classes !== model.numClasses) {
    throw new Error(`G embeds ${gCond.classes} classes but the model has ${model.numClasses}`);
  }
  const gIn = gCond?.kind === 'embed-multiply' ? model.zDim : model.zDim + model.numClasses;
  checkChain('generator', G, gIn, 1);
  const out = G.at(-1)!;
  if (out.outSize !== model.size || out.outChannels !== model.channels) {
    throw new Error(
      `G ends at ${out.outSize}x${out.outSize}x${out.outChannels}, the model's images are ${model.size}x${model.size}x${model.channels}`,
    );
  }
  const dIn = model.channels + (D[0].condition?.kind === 'none' ? 0 : model.numClasses);
  if (D[0].condition?.kind === 'embed-multiply') throw new Error('D takes the label as maps or not at all');
  checkChain('discriminator', D, dIn, model.size);
  const head = D.at(-1)!;
  if (head.outChannels !== 1 || head.outSize !== 1)
    throw new Error(`D must end in one unit, its last layer ${head.name} gives ${head.outSize}x${head.outSize}x${head.outChannels}`);
  for (const [net, layers] of [
    ['G', G],
    ['D', D],
  ] as const) {
    const params = layers.reduce((a, l) => a + layerParams(l), 0);
    if (params > MAX_PARAMS_PER_NETWORK) throw new Error(`${net} would have ${params.toExponential(1)} parameters; the limit is 2e9`);
  }
  if (arch.sampling !== undefined && arch.sampling !== 'eval' && arch.sampling !== 'train')
    throw new Error(`sampling must be 'eval' or 'train'`);
}
