/**
 * Reads a TF.js layers model (model.json + weight shards, as `model.save('file://...')` and
 * tfjs-examples write them) into a flat description: its layers in order (nested Sequential models
 * expanded), each with its config, inbound layer names and weights by short name.
 */
import { halfToFloat } from './dtypes';

export interface TfLayer {
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** Names of the layers feeding this one (functional models); the previous layer inside a Sequential. */
  inbound: string[];
  weights: Map<string, { shape: number[]; values: Float32Array }>;
}

export interface TfModel {
  layers: TfLayer[];
  inputs: string[];
  outputs: string[];
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

interface RawLayer {
  class_name: string;
  name?: string;
  config: Record<string, unknown> & { name?: string; layers?: RawLayer[] };
  inbound_nodes?: unknown[];
}

/** Decodes every weight of the manifest from the shards (concatenated in manifest order). */
function decodeWeights(specs: WeightSpec[], data: Uint8Array, file: string): Map<string, { shape: number[]; values: Float32Array }> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let at = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const q = s.quantization;
    const bytesPer = q ? (q.dtype === 'uint8' ? 1 : 2) : s.dtype === 'float32' || s.dtype === 'int32' ? 4 : 0;
    if (!bytesPer) throw new Error(`${file}: weight ${s.name} has dtype ${s.dtype}, which a layers model's float weights never have`);
    if (at + n * bytesPer > data.length) throw new Error(`${file}: the weight files end before weight ${s.name} (are all shards there?)`);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const p = at + i * bytesPer;
      if (q?.dtype === 'float16') values[i] = halfToFloat(view.getUint16(p, true));
      else if (q) values[i] = (q.min ?? 0) + (q.scale ?? 1) * (q.dtype === 'uint8' ? data[p] : view.getUint16(p, true));
      else values[i] = s.dtype === 'int32' ? view.getInt32(p, true) : view.getFloat32(p, true);
    }
    out.set(s.name, { shape: s.shape, values });
    at += n * bytesPer;
  }
  if (at !== data.length) throw new Error(`${file}: the weight files hold ${data.length} bytes, the manifest describes ${at}`);
  return out;
}

const inboundNames = (raw: RawLayer): string[] => {
  const nodes = raw.inbound_nodes as unknown[][][] | undefined;
  if (!nodes || nodes.length === 0) return [];
  if (nodes.length > 1) throw new Error(`layer ${raw.name ?? raw.config.name} is applied more than once (shared layers are not supported)`);
  return nodes[0].map((entry) => String(entry[0]));
};

/**
 * @param modelJson the text of model.json.
 * @param shards the weight files by the paths the manifest names.
 * @throws Error (one line, naming `file`) for graph models, missing shards and unreadable JSON.
 */
export function readTfjsModel(modelJson: string, shards: Map<string, Uint8Array>, file: string): TfModel {
  let json: { format?: string; modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: WeightSpec[] }[] };
  try {
    json = JSON.parse(modelJson);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  if (json.format === 'graph-model')
    throw new Error(
      `${file} is a TF.js graph model (converted from TensorFlow), which has no layers to import: save the tf.LayersModel instead`,
    );
  const topology = json.modelTopology as { model_config?: RawLayer } & RawLayer;
  const root: RawLayer | undefined = topology?.model_config ?? topology;
  if (!root?.class_name || !json.weightsManifest)
    throw new Error(`${file} is not a TF.js layers model (no modelTopology or weightsManifest)`);
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const shard = shards.get(p);
      if (!shard) throw new Error(`${file} needs the weight file ${p} next to it`);
      parts.push(shard);
    }
  }
  const weights = decodeWeights(specs, Buffer.concat(parts), file);

  const layers: TfLayer[] = [];
  const weightsOf = (name: string) => {
    const mine = new Map<string, { shape: number[]; values: Float32Array }>();
    for (const [key, w] of weights) {
      const slash = key.lastIndexOf('/');
      const owner = key.slice(0, slash);
      if (owner === name || owner.endsWith(`/${name}`)) mine.set(key.slice(slash + 1), w);
    }
    return mine;
  };
  const add = (raw: RawLayer, inbound: string[]): string => {
    const name = String(raw.name ?? raw.config.name);
    if (raw.class_name === 'Sequential') return expandSequential(raw, inbound);
    if (raw.class_name === 'Model' || raw.class_name === 'Functional')
      throw new Error(`${file}: nested functional model ${name} is not supported`);
    layers.push({ name, className: raw.class_name, config: raw.config, inbound, weights: weightsOf(name) });
    return name;
  };
  /** Adds a Sequential's layers as a chain after `inbound`; returns its last layer's name. */
  const expandSequential = (model: RawLayer, inbound: string[]): string => {
    let prev = inbound;
    for (const l of model.config.layers ?? []) prev = [add(l, prev)];
    return prev[0] ?? '';
  };
  if (root.class_name === 'Sequential') {
    const out = expandSequential(root, []);
    return { layers, inputs: [layers[0]?.name ?? ''], outputs: [out] };
  }
  const renamed = new Map<string, string>();
  for (const l of root.config.layers ?? []) {
    const name = String(l.name ?? l.config.name);
    renamed.set(
      name,
      add(
        l,
        inboundNames(l).map((n) => renamed.get(n) ?? n),
      ),
    );
  }
  const ends = (key: string) =>
    ((root.config as Record<string, unknown>)[key] as unknown[][] | undefined)?.map((e) => renamed.get(String(e[0])) ?? String(e[0])) ?? [];
  return { layers, inputs: ends('input_layers'), outputs: ends('output_layers') };
}
