/**
 * The learned kernels of G's and D's conv layers as tiles (paper Sec. 6: looking at what the
 * networks learned). Weight layouts: D conv [k, k, in, out]; G transposed conv [k, k, out, in]
 * (tfjs conv2dTranspose), where kernel (o, i) is the stamp input map i paints onto output map o.
 *
 * Layers that touch pixels get one tile per unit: D's first layer (what each unit looks for in the
 * image) and G's output layer (what each feature map of the layer below paints), in colour when
 * the images have 3 channels. Every other layer is a matrix: a row per output channel, a column
 * per input channel, one grey tile each.
 *
 * Normalisation is symmetric so the sign of a weight stays visible: 128 (mid-grey) is zero and
 * +-m is white/black, with m the largest |w| of the tile ('tile': the structure of every kernel,
 * even weak ones) or of the whole layer ('layer': which kernels are strong).
 */
import type { FilterImage, FilterNorm, InspectNet } from '../../shared/types/inspect';
import type { LayerSpec } from '../models/architecture';
import type { Network } from '../models/network';
import { symmetricByte, tileGridPng } from './tiles';

export interface FilterOptions {
  norm?: FilterNorm;
  outStart?: number;
  inStart?: number;
  maxOut?: number;
  maxIn?: number;
  scale?: number;
}

/** Default page of a matrix layer: 64 x 64 kernels (a 321 x 321 px grid for 4x4 kernels). */
const MATRIX_PAGE = 64;
/** Default page of a per-unit layer. */
const UNIT_PAGE = 512;

/** The layer's spatial kernels exist (every conv and transposed conv; the project and linear matmuls have none). */
export const hasFilters = (layer: LayerSpec) => layer.kind === 'conv' || layer.kind === 'deconv';

/** Which layout a layer uses (see the module comment). */
export function filterMode(net: InspectNet, layer: LayerSpec, spec: LayerSpec[], imageChannels: 1 | 3): FilterImage['mode'] {
  const touchesPixels = net === 'D' ? layer === spec[0] : layer === spec.at(-1);
  if (!touchesPixels) return 'matrix';
  return imageChannels === 3 ? 'rgb' : 'grey';
}

function range(start: number | undefined, max: number, total: number, what: string): [number, number] {
  const s = start ?? 0;
  if (s >= total) throw new Error(`${what} channel ${s} does not exist: the layer has ${total}`);
  return [s, Math.min(total, s + max)];
}

/**
 * Tiles of one layer's kernels.
 * @param weights the layer's weight values, in the layout of `weightShape(layer)`.
 */
export async function renderFilters(
  net: InspectNet,
  layer: LayerSpec,
  spec: LayerSpec[],
  weights: Float32Array,
  imageChannels: 1 | 3,
  opts: FilterOptions = {},
): Promise<Omit<FilterImage, 'step'>> {
  if (!hasFilters(layer)) {
    throw new Error(
      `${layer.name} is a ${layer.kind === 'project' ? 'project-and-reshape' : 'fully connected'} layer (a matrix): it has no spatial kernels`,
    );
  }
  const k = layer.kernel;
  const { inChannels: nIn, outChannels: nOut } = layer;
  const norm = opts.norm ?? 'tile';
  // Flat index of w(y, x, out o, in i) in either layout.
  const at =
    layer.kind === 'conv'
      ? (y: number, x: number, o: number, i: number) => ((y * k + x) * nIn + i) * nOut + o
      : (y: number, x: number, o: number, i: number) => ((y * k + x) * nOut + o) * nIn + i;
  let layerMax = 0;
  for (const v of weights) layerMax = Math.max(layerMax, Math.abs(v));
  const mode = filterMode(net, layer, spec, imageChannels);
  const base = { net, layer: layer.name, mode, norm, kernel: k, inChannels: nIn, outChannels: nOut, maxAbs: layerMax };

  if (mode === 'matrix') {
    const outRange = range(opts.outStart, opts.maxOut ?? MATRIX_PAGE, nOut, 'output');
    const inRange = range(opts.inStart, opts.maxIn ?? MATRIX_PAGE, nIn, 'input');
    const cols = inRange[1] - inRange[0];
    const count = (outRange[1] - outRange[0]) * cols;
    const unit = (t: number) => ({ o: outRange[0] + Math.floor(t / cols), i: inRange[0] + (t % cols) });
    const tileMax = tileMaxima(count, (t) => {
      const { o, i } = unit(t);
      return kernelValues(k, (y, x) => weights[at(y, x, o, i)]);
    });
    const grid = await tileGridPng(
      { count, tileWidth: k, tileHeight: k, channels: 1, cols },
      (t, x, y) => {
        const { o, i } = unit(t);
        return symmetricByte(weights[at(y, x, o, i)], norm === 'tile' ? tileMax[t] : layerMax);
      },
      opts.scale,
    );
    return { ...base, grid, outRange, inRange };
  }

  // One tile per unit: D's first layer per output channel, G's output layer per input channel.
  const perOut = net === 'D';
  const units = perOut
    ? range(opts.outStart, opts.maxOut ?? UNIT_PAGE, nOut, 'output')
    : range(opts.inStart, opts.maxIn ?? UNIT_PAGE, nIn, 'input');
  const colours = mode === 'rgb' ? 3 : 1;
  // The pixel side's channels: D's input may also carry K one-hot label maps (conditional); only the image's are shown.
  const w = (t: number, y: number, x: number, c: number) => {
    const u = units[0] + t;
    return perOut ? weights[at(y, x, u, c)] : weights[at(y, x, c, u)];
  };
  const count = units[1] - units[0];
  const tileMax = tileMaxima(count, (t) => {
    const values: number[] = [];
    for (let c = 0; c < colours; c++) values.push(...kernelValues(k, (y, x) => w(t, y, x, c)));
    return values;
  });
  const grid = await tileGridPng(
    { count, tileWidth: k, tileHeight: k, channels: colours as 1 | 3 },
    (t, x, y, c) => symmetricByte(w(t, y, x, c), norm === 'tile' ? tileMax[t] : layerMax),
    opts.scale,
  );
  const all: [number, number] = [0, perOut ? nIn : nOut];
  return { ...base, grid, outRange: perOut ? units : all, inRange: perOut ? all : units };
}

function kernelValues(k: number, value: (y: number, x: number) => number): number[] {
  const out: number[] = [];
  for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) out.push(value(y, x));
  return out;
}

function tileMaxima(count: number, values: (t: number) => number[]): Float64Array {
  const out = new Float64Array(count);
  for (let t = 0; t < count; t++) for (const v of values(t)) out[t] = Math.max(out[t], Math.abs(v));
  return out;
}

/** A network's layer by name, with a readable error listing the real names. */
export function findLayer(net: Network, name: string, which: InspectNet): LayerSpec {
  const layer = net.spec.find((l) => l.name === name);
  if (!layer) throw new Error(`${which} has no layer '${name}': its layers are ${net.spec.map((l) => l.name).join(', ')}`);
  return layer;
}

/** The kernels of layer `name` ('g2', 'd1', ...) of a loaded network. */
export async function networkFilters(net: Network, which: InspectNet, name: string, imageChannels: 1 | 3, opts: FilterOptions = {}) {
  const layer = findLayer(net, name, which);
  const weights = net.params.get(`${layer.name}.w`)!.dataSync() as Float32Array;
  return renderFilters(which, layer, net.spec, weights, imageChannels, opts);
}
