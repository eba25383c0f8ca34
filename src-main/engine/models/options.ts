/**
 * The architecture switches the DCGAN sources discuss, as a transform of any layer list:
 * conv biases on/off, BatchNorm off per network (the paper, Sec. 3: without it G collapsed to a
 * single point), and global average pooling before D's single-unit head (the paper, Sec. 3:
 * it "increased model stability but hurt convergence speed").
 */
import type { ArchitectureOptions, LayerSpec } from '../../shared/types';

function withoutBatchNorm(l: LayerSpec): LayerSpec {
  const { bnEpsilon: _e, bnAfterActivation: _a, ...rest } = l;
  return { ...rest, batchNorm: false };
}

function withConvBias(l: LayerSpec, on: boolean): LayerSpec {
  if (l.kind !== 'conv' && l.kind !== 'deconv') return l;
  const { bias: _b, ...rest } = l;
  return on ? { ...rest, bias: true } : rest;
}

/** D's head as global average pooling + a single unit over the channels (keeps the head's name and bias). */
function globalPoolHead(D: LayerSpec[]): LayerSpec[] {
  const head = D.at(-1)!;
  const prev = D.at(-2);
  if (!prev) throw new Error('Global average pooling needs a discriminator with a feature map before its head');
  if (head.kind === 'linear' && head.globalPool) return D;
  const pooled: LayerSpec = {
    name: head.name,
    kind: 'linear',
    inChannels: prev.outChannels,
    inSize: prev.outSize,
    globalPool: true,
    outChannels: 1,
    kernel: 1,
    stride: 1,
    padding: 'valid',
    outSize: 1,
    batchNorm: false,
    activation: 'none',
    ...(head.bias && { bias: true }),
  };
  return [...D.slice(0, -1), pooled];
}

export function applyArchitectureOptions(
  layers: { generator: LayerSpec[]; discriminator: LayerSpec[] },
  opts: ArchitectureOptions = {},
): { generator: LayerSpec[]; discriminator: LayerSpec[] } {
  let G = layers.generator;
  let D = layers.discriminator;
  if (opts.convBias !== undefined) {
    G = G.map((l) => withConvBias(l, opts.convBias!));
    D = D.map((l) => withConvBias(l, opts.convBias!));
  }
  if (opts.gBatchNorm === false) G = G.map(withoutBatchNorm);
  if (opts.dBatchNorm === false) D = D.map(withoutBatchNorm);
  if (opts.dGlobalPool) D = globalPoolHead(D);
  return { generator: G, discriminator: D };
}
