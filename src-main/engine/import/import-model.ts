/**
 * Builds a new Ganvas project's model from networks trained elsewhere: a pure function from file
 * bytes to the model description (model.arch), the BatchNorm sampling mode and the weights under
 * Ganvas's checkpoint names (`G/g0.w`, `G.stats/g1.mean`, `D/d1.w`...). Nothing is written.
 */
import type { ModelConfig, SamplingMode, TrainHyper } from '../../shared/types';
import { architectureFor, defaultModelConfig, validateModelConfig } from '../models/architecture';
import type { TensorRecord } from '../project/checkpoints';
import { mapStateDict, type MappedNetwork } from './map-state-dict';
import { tfjsDiscriminator, tfjsGenerator } from './tfjs-convert';
import { readTfjsModel } from './tfjs-model';
import { readTorchStateDict, type StateDict } from './torch-file';
import { BUILDER, detectTorchFamily, TORCH_FAMILIES, type TorchFamily, type TorchFamilyId } from './torch-families';

/** A .pth/.pt file, or a TF.js model.json with its weight files (by the paths model.json names). */
export type ImportSource =
  { kind: 'torch'; name: string; bytes: Uint8Array } | { kind: 'tfjs'; name: string; modelJson: string; shards: Map<string, Uint8Array> };

/** `--arch`: which family a PyTorch file is ('auto' reads it from the keys). */
export type ImportArch = 'auto' | 'dcgan' | 'dcgan64' | 'pytorch-gan' | 'montage' | 'montage128';

export const IMPORT_ARCHS: readonly ImportArch[] = ['auto', 'dcgan64', 'pytorch-gan', 'montage128', 'dcgan', 'montage'];

export interface ImportRequest {
  generator: ImportSource;
  discriminator?: ImportSource;
  arch?: ImportArch;
  /** The length of z the user expects; checked against the file. */
  zDim?: number;
  /** BatchNorm when sampling; default: how the source samples ('train' for the PyTorch families, 'eval' for TF.js). */
  sampling?: SamplingMode;
}

export interface ImportedModel {
  /** 'dcgan' | 'pytorch-gan' | 'montage' | 'tfjs' */
  family: string;
  label: string;
  /** The model, with its architecture (model.arch, sampling included). */
  model: ModelConfig;
  sampling: SamplingMode;
  /** Imported tensors under checkpoint names; D's are absent when no discriminator was given. */
  tensors: TensorRecord[];
  hasDiscriminator: boolean;
  /** The source's training settings, for further training. */
  train: Partial<TrainHyper>;
  /** Things the user should know (a head left out, a fresh D...). */
  notes: string[];
}

const ALIASES: Record<Exclude<ImportArch, 'auto'>, TorchFamilyId> = {
  dcgan: 'dcgan',
  dcgan64: 'dcgan',
  'pytorch-gan': 'pytorch-gan',
  montage: 'montage',
  montage128: 'montage',
};

const TRAIN: Record<string, Partial<TrainHyper>> = {
  dcgan: { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, batchSize: 64 }, // pytorch/examples defaults
  'pytorch-gan': { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, batchSize: 64 }, // dcgan.py defaults
  montage: { learningRate: 1e-4, beta1: 0.9, beta2: 0.999, batchSize: 1 }, // the book: Adam(lr=0.0001), one image per step
  tfjs: { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, batchSize: 100 }, // mnist-acgan defaults
};

/** DataParallel saves keys as module.<key>. */
function stripModule(sd: StateDict): StateDict {
  if (![...sd.keys()].every((k) => k.startsWith('module.'))) return sd;
  return new Map([...sd].map(([k, v]) => [k.slice('module.'.length), v]));
}

function records(net: 'G' | 'D', m: MappedNetwork): TensorRecord[] {
  const out: TensorRecord[] = [];
  for (const [k, t] of m.params) out.push({ name: `${net}/${k}`, shape: t.shape, values: t.values });
  for (const [k, t] of m.stats) out.push({ name: `${net}.stats/${k}`, shape: t.shape, values: t.values });
  return out;
}

function firstKeys(sd: StateDict): string {
  return [...sd.keys()].slice(0, 3).join(', ');
}

function importTorch(req: ImportRequest, g: Extract<ImportSource, { kind: 'torch' }>): ImportedModel {
  if (req.discriminator && req.discriminator.kind !== 'torch')
    throw new Error('The generator is a PyTorch file: the discriminator must be one too');
  const gsd = stripModule(readTorchStateDict(g.bytes, g.name));
  const d = req.discriminator as Extract<ImportSource, { kind: 'torch' }> | undefined;
  const dsd = d ? stripModule(readTorchStateDict(d.bytes, d.name)) : null;
  const arch = req.arch ?? 'auto';
  let family: TorchFamily;
  if (arch === 'auto') family = detectTorchFamily(gsd, g.name);
  else {
    const id = ALIASES[arch];
    if (!id) throw new Error(`--arch must be one of ${IMPORT_ARCHS.join(', ')}, got '${arch}'`);
    family = TORCH_FAMILIES[id];
    if (!family.isGenerator(gsd)) throw new Error(`${g.name} is not a ${family.label} generator (its keys begin ${firstKeys(gsd)})`);
  }
  if (dsd && d && !family.isDiscriminator(dsd))
    throw new Error(`${d.name} is not a ${family.label} discriminator (its keys begin ${firstKeys(dsd)})`);
  const cfg = family.infer(gsd, dsd, g.name);
  if (req.zDim !== undefined && req.zDim !== cfg.zDim) throw new Error(`${g.name} takes z of length ${cfg.zDim}, not ${req.zDim}`);
  const sampling = req.sampling ?? family.sampling;
  const model: ModelConfig = { ...cfg, arch: { ...architectureFor(BUILDER[family.id], cfg), family: family.id, sampling } };
  validateModelConfig(model);
  const G = mapStateDict(gsd, model.arch!.generator, family.generatorKeys(model), `${g.name} (${family.label} generator)`);
  const D =
    dsd && d
      ? mapStateDict(dsd, model.arch!.discriminator, family.discriminatorKeys(model), `${d.name} (${family.label} discriminator)`)
      : null;
  const notes = D ? [] : ['No discriminator was given: D starts from fresh weights, so train it a while before trusting D-based views.'];
  return {
    family: family.id,
    label: family.label,
    model,
    sampling,
    tensors: [...records('G', G), ...(D ? records('D', D) : [])],
    hasDiscriminator: D !== null,
    train: { ...TRAIN[family.id] },
    notes,
  };
}

function importTfjs(req: ImportRequest, g: Extract<ImportSource, { kind: 'tfjs' }>): ImportedModel {
  if (req.discriminator && req.discriminator.kind !== 'tfjs')
    throw new Error('The generator is a TF.js model: the discriminator must be one too');
  if (req.arch && req.arch !== 'auto') throw new Error(`--arch names a PyTorch family; ${g.name} is a TF.js model`);
  const G = tfjsGenerator(readTfjsModel(g.modelJson, g.shards, g.name), g.name);
  if (req.zDim !== undefined && req.zDim !== G.zDim) throw new Error(`${g.name} takes z of length ${G.zDim}, not ${req.zDim}`);
  const out = G.layers.at(-1)!;
  const channels = out.outChannels;
  if (channels !== 1 && channels !== 3) throw new Error(`${g.name} makes images with ${channels} channels; Ganvas handles 1 or 3`);
  if (![28, 32, 64, 128].includes(out.outSize))
    throw new Error(`${g.name} makes ${out.outSize}x${out.outSize} images; Ganvas handles 28, 32, 64 and 128`);
  const size = out.outSize as ModelConfig['size'];
  const unit = out.unitPixels === true;
  const dsrc = req.discriminator as Extract<ImportSource, { kind: 'tfjs' }> | undefined;
  const D = dsrc ? tfjsDiscriminator(readTfjsModel(dsrc.modelJson, dsrc.shards, dsrc.name), dsrc.name, G.numClasses, unit) : null;
  const sampling = req.sampling ?? 'eval';
  const base = defaultModelConfig({
    size,
    channels: channels as 1 | 3,
    zDim: G.zDim,
    numClasses: G.numClasses,
    ngf: G.layers.at(-2)?.outChannels ?? 1,
  });
  // An AC-GAN (label via an embedding) samples z ~ U(-1, 1), as mnist-acgan does.
  const latent = G.numClasses > 0 && G.layers[0].condition?.kind === 'embed-multiply' ? 'uniform' : 'normal';
  // Without an imported D, a fresh one of the paper's shape (label maps unless G embeds labels).
  const fresh = architectureFor('paper', { ...base, numClasses: latent === 'uniform' ? 0 : G.numClasses }).discriminator;
  if (latent === 'uniform' && G.numClasses > 0) fresh[0] = { ...fresh[0], condition: { kind: 'none' } };
  const discriminator = D?.layers ?? fresh;
  const model: ModelConfig = {
    ...base,
    latent,
    ndf: discriminator[0].outChannels,
    arch: { family: 'tfjs', generator: G.layers, discriminator, sampling },
  };
  validateModelConfig(model);
  const notes = [...G.notes, ...(D?.notes ?? [])];
  if (!D)
    notes.push(
      'No discriminator was given: D starts from fresh weights (the paper net), so train it a while before trusting D-based views.',
    );
  if (latent === 'uniform') notes.push('z is drawn from U(-1, 1), as mnist-acgan samples it.');
  if (G.numClasses > 0 && discriminator[0].condition?.kind === 'none') {
    notes.push(
      'D does not see labels (an AC-GAN learns them through its class head, which Ganvas does not train): further training does not keep the classes apart.',
    );
  }
  if (G.layers.some((l) => l.batchNorm))
    notes.push("BatchNorm moving statistics continue at PyTorch's momentum 0.1 if you train further (TF.js uses 0.01).");
  return {
    family: 'tfjs',
    label: latent === 'uniform' ? 'TF.js layers model (AC-GAN generator)' : 'TF.js layers model',
    model,
    sampling,
    tensors: [...records('G', G), ...(D ? records('D', D) : [])],
    hasDiscriminator: D !== null,
    train: { ...TRAIN.tfjs },
    notes,
  };
}

/**
 * Turns imported files into a Ganvas model and its weights.
 * @throws Error (one line, naming the file and, for PyTorch files, the first key that does not fit).
 */
export function importModel(req: ImportRequest): ImportedModel {
  return req.generator.kind === 'torch' ? importTorch(req, req.generator) : importTfjs(req, req.generator);
}
