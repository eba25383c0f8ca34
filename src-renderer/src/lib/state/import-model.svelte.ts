import { readableMessage } from '$shared/errors';
import type { ApiEvents, ApiInput, GanvasBridge, ImportArchChoice, ProjectSummary, SamplingMode } from '../api-types';

export type ImportDataset = 'none' | 'mnist' | 'fashion-mnist' | 'folder';

/** What Browse… offers for a model file: PyTorch state dicts and TF.js layers models. */
export const MODEL_FILE_FILTERS = [
  { name: 'PyTorch state dict or TF.js model', extensions: ['pth', 'pt', 'json'] },
  { name: 'All files', extensions: ['*'] },
];

/** The PyTorch families the import knows (`--arch`), as the wizard names them. */
export const IMPORT_FAMILIES: { id: ImportArchChoice; label: string }[] = [
  { id: 'auto', label: 'Detect from the file' },
  { id: 'dcgan64', label: 'pytorch/examples dcgan (netG/netD)' },
  { id: 'pytorch-gan', label: 'PyTorch-GAN dcgan.py' },
  { id: 'montage128', label: 'Make Your First GAN (128×128 montage)' },
];

/**
 * "Import a model…": a generator (and optionally its discriminator) trained in PyTorch or TF.js
 * becomes a new project whose step 0 holds its weights. The family is read from the file (or
 * named), the sampling mode is asked (the source's own by default) and remembered; a dataset
 * is optional (without one the project is for exploring: walks, arithmetic, filters, features).
 */
export class ImportModelForm {
  dir = $state('');
  name = $state('');
  generator = $state('');
  discriminator = $state('');
  arch = $state<ImportArchChoice>('auto');
  /** Empty: read z's length from the file. */
  zDim = $state<number | null>(null);
  /** 'source': as the source samples (PyTorch families: batch statistics; TF.js: running ones). */
  sampling = $state<SamplingMode | 'source'>('source');
  /** Training images for further training; 'none': the project is for exploring. */
  training = $state<ImportDataset>('none');
  imagesFolder = $state('');
  /** Training batch; empty: the source's (the book: 1) or 64. */
  batchSize = $state<number | null>(null);

  importing = $state(false);
  /** Why the last attempt failed, shown next to the button. */
  error = $state('');
  /** The stage being worked on ("Reading netG.pth", "Converting the weights"). */
  stage = $state('');
  /** The project made: shown (family, sampling, notes) before opening it. */
  created = $state.raw<ProjectSummary | null>(null);
  #unsubscribe: () => void;

  constructor(private readonly api: GanvasBridge) {
    this.#unsubscribe = api.on('import.progress', (event: ApiEvents['import.progress']) => {
      if (this.importing && event.stage) this.stage = event.stage;
    });
  }

  get ready(): boolean {
    return !!this.dir.trim() && !!this.generator.trim() && !this.importing;
  }

  /** Imports; resolves to the new project's summary, or undefined when it failed (see `error`). */
  async submit(): Promise<ProjectSummary | undefined> {
    this.importing = true;
    this.error = '';
    this.stage = '';
    try {
      this.created = await this.api.importModel(this.toRequest());
      return this.created;
    } catch (error) {
      this.error = readableMessage(error);
      return undefined;
    } finally {
      this.importing = false;
    }
  }

  toRequest(): ApiInput<'importModel'> {
    const discriminator = this.discriminator.trim();
    const dataset =
      this.training === 'none'
        ? undefined
        : this.training === 'folder'
          ? { kind: 'folder' as const, path: this.imagesFolder.trim() }
          : { kind: this.training };
    return {
      dir: this.dir.trim(),
      ...(this.name.trim() && { name: this.name.trim() }),
      generator: this.generator.trim(),
      ...(discriminator && { discriminator }),
      arch: this.arch,
      ...(typeof this.zDim === 'number' && Number.isFinite(this.zDim) && { zDim: this.zDim }),
      ...(this.sampling !== 'source' && { sampling: this.sampling }),
      ...(dataset && { dataset }),
      ...(dataset && typeof this.batchSize === 'number' && Number.isFinite(this.batchSize) && { batchSize: this.batchSize }),
    };
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
