import { readableMessage } from '$shared/errors';
import { DEFAULT_CADENCE } from '$shared/limits';
import type {
  ApiEvents,
  ApiInput,
  ArchitectureOptions,
  BuiltinDataset,
  GanvasBridge,
  LatentDistribution,
  PresetInfo,
  ProjectSummary,
} from '../api-types';
import { pathProblem, presetAdvice, type PresetAdvice } from '../wizard-checks';
import { FolderCheckState, type FolderCheckTarget } from './folder-check.svelte';
import { FolderPreviewState } from './folder-preview.svelte';
import { attempt, type Notify } from './notify';

export type DatasetKind = 'mnist' | 'fashion-mnist' | 'folder';
export type FakeLabels = 'real' | 'random';

/** The wizard's training defaults (the DCGAN paper's); a preset's source may bring its own (montage128: batch 1, lr 1e-4). */
const TRAIN_DEFAULTS = { batchSize: 128, learningRate: 0.0002, beta1: 0.5 };
const NO_OPTIONS: Required<ArchitectureOptions> = { convBias: false, gBatchNorm: true, dBatchNorm: true, dGlobalPool: false };

/**
 * The New-project wizard: its fields, and creating the project (import progress, a readable
 * error next to the button, the import report when files were skipped). Training defaults are
 * the DCGAN paper's (Radford et al. 2016).
 */
export class NewProjectForm {
  dir = $state('');
  name = $state('');
  datasetKind = $state<DatasetKind>('mnist');
  folderPath = $state('');
  presets = $state.raw<PresetInfo[]>([]);
  datasets = $state.raw<BuiltinDataset[]>([]);
  presetId = $state('');
  zDim = $state(100);
  ngf = $state(64);
  ndf = $state(64);
  latent = $state<LatentDistribution>('uniform');
  conditional = $state(false);
  /** Conditional models: which labels the fakes get (ours: the real batch's; the book's CGAN: random). */
  fakeLabels = $state<FakeLabels>('real');
  /** The architecture switches, starting where the chosen preset's nets have them. */
  options = $state<Required<ArchitectureOptions>>({ ...NO_OPTIONS });
  /** Folder import: cut a centred square of `cropSize` pixels before resizing (the book's crop_centre). */
  crop = $state(false);
  cropSize = $state(128);
  batchSize = $state(TRAIN_DEFAULTS.batchSize);
  learningRate = $state(TRAIN_DEFAULTS.learningRate);
  beta1 = $state(TRAIN_DEFAULTS.beta1);
  /** Samples come from a moving average of G's weights with this decay (0: off; engine/train/ema.ts). */
  emaDecay = $state(0);
  seed = $state(Math.floor(Math.random() * 1_000_000));
  /** Sample grid, checkpoint cadence and retention (see docs/security.md, "Checkpoints"). */
  sampleEvery = $state<number>(DEFAULT_CADENCE.sampleEvery);
  checkpointEvery = $state<number>(DEFAULT_CADENCE.checkpointEvery);
  checkpointMinutes = $state<number>(DEFAULT_CADENCE.checkpointMinutes);
  keepLast = $state<number>(DEFAULT_CADENCE.keepLast);
  keepEvery = $state<number>(DEFAULT_CADENCE.keepEvery);

  creating = $state(false);
  /** Why the last attempt failed, shown next to the button. */
  error = $state('');
  progress = $state.raw<ApiEvents['import.progress'] | null>(null);
  /** A project whose import skipped files: the report is shown before opening it. */
  created = $state.raw<ProjectSummary | null>(null);
  /** The data check of the chosen image folder, shown before the project is made. */
  readonly folderCheck: FolderCheckState;
  #unsubscribe: () => void;

  readonly preview: FolderPreviewState;

  preset = $derived(this.presets.find((preset) => preset.id === this.presetId));
  /** The switches the user moved away from the preset's own choice (what createProject is told). */
  changedOptions = $derived.by(() => {
    const defaults = this.preset?.options.defaults ?? NO_OPTIONS;
    const keys = (Object.keys(defaults) as (keyof ArchitectureOptions)[]).filter((key) => this.options[key] !== defaults[key]);
    return keys.length ? Object.fromEntries(keys.map((key) => [key, this.options[key]])) : undefined;
  });
  /** Advanced widths or switches differ from the preset: its parameter counts no longer apply exactly. */
  customized = $derived(
    !!this.preset &&
      (this.preset.model.ngf !== this.ngf ||
        this.preset.model.ndf !== this.ndf ||
        this.preset.model.zDim !== this.zDim ||
        !!this.changedOptions),
  );
  /** What the folder preview shows: the chosen folder cut as the preset's images will be. */
  previewRequest = $derived.by((): ApiInput<'previewFolder'> | null => {
    const path = this.folderPath.trim();
    if (this.datasetKind !== 'folder' || !path || !this.preset) return null;
    const { size, channels } = this.preset.model;
    return { path, size, channels, count: 6, ...(this.cropping && { crop: this.cropSize }) };
  });
  get cropping(): boolean {
    return this.datasetKind === 'folder' && this.crop && Number.isInteger(this.cropSize) && this.cropSize >= 8;
  }

  constructor(
    private readonly api: GanvasBridge,
    private readonly notify: Notify,
    /** Connected to a `ganvas serve`: a relative project folder is then one under the server's root. */
    private readonly remote: () => boolean = () => false,
  ) {
    this.#unsubscribe = api.on('import.progress', (event) => (this.progress = event));
    this.preview = new FolderPreviewState(api);
    this.folderCheck = new FolderCheckState(api, notify);
  }

  /** Why the typed project folder cannot be used (a relative path, on this computer), or null. */
  get dirProblem(): string | null {
    return this.remote() ? null : pathProblem(this.dir);
  }

  /** Why the typed image folder cannot be used, or null (it is always read on this computer). */
  get folderProblem(): string | null {
    return this.datasetKind === 'folder' ? pathProblem(this.folderPath) : null;
  }

  /** Why Create project is disabled, said next to it; null when it can be pressed. */
  get blocker(): string | null {
    if (this.creating) return null;
    if (!this.dir.trim()) return 'Choose a project folder first.';
    if (this.dirProblem) return 'The project folder needs a full path.';
    if (this.datasetKind === 'folder' && !this.folderPath.trim()) return 'Choose the folder of images first.';
    if (this.folderProblem) return 'The folder of images needs a full path.';
    return null;
  }

  /** The checked folder does not fit the preset (colour dropped, another size): what to say and offer. */
  get presetAdvice(): PresetAdvice | null {
    const check = this.folderCheck.result;
    if (this.datasetKind !== 'folder' || !check || this.folderCheck.path !== this.folderPath.trim()) return null;
    return presetAdvice(check.report, this.presets, this.preset);
  }

  /** What the folder's images will be trained at (the preset's size and colour, G's width). */
  get checkTarget(): FolderCheckTarget {
    // A width being typed (empty, out of range) falls back to the default rather than failing the check.
    const ngf = Number.isInteger(this.ngf) && this.ngf >= 4 && this.ngf <= 512 ? this.ngf : undefined;
    return { size: this.preset?.model.size, channels: this.preset?.model.channels, ngf };
  }

  /** The presets and bundled datasets to choose from. */
  loadChoices(): Promise<void> {
    return attempt(this.notify, async () => {
      const [presets, datasets] = await Promise.all([this.api.presets({}), this.api.builtinDatasets({})]);
      this.setChoices(presets, datasets);
    });
  }

  /** Creates the project; resolves to its summary, or undefined when it failed (see `error`). */
  async create(): Promise<ProjectSummary | undefined> {
    this.creating = true;
    this.error = '';
    this.progress = null;
    try {
      const summary = await this.api.createProject(this.toRequest());
      if (summary.importReport?.skipped.length) this.created = summary;
      return summary;
    } catch (error) {
      this.error = readableMessage(error);
      return undefined;
    } finally {
      this.creating = false;
    }
  }

  dispose(): void {
    this.#unsubscribe();
    this.preview.dispose();
    this.folderCheck.dispose();
  }

  setChoices(presets: PresetInfo[], datasets: BuiltinDataset[]): void {
    this.presets = presets;
    this.datasets = datasets;
    if (presets[0]) this.applyPreset(presets[0].id);
    if (!datasets.some((dataset) => dataset.kind === this.datasetKind && dataset.available)) this.datasetKind = 'folder';
  }

  applyPreset(id: string): void {
    const preset = this.presets.find((candidate) => candidate.id === id);
    if (!preset) return;
    this.presetId = id;
    this.zDim = preset.model.zDim;
    this.ngf = preset.model.ngf;
    this.ndf = preset.model.ndf;
    this.latent = preset.model.latent;
    this.options = { ...preset.options.defaults };
    // The source's own optimiser settings where it has them, the paper's otherwise.
    this.batchSize = preset.train?.batchSize ?? TRAIN_DEFAULTS.batchSize;
    this.learningRate = preset.train?.learningRate ?? TRAIN_DEFAULTS.learningRate;
    this.beta1 = preset.train?.beta1 ?? TRAIN_DEFAULTS.beta1;
  }

  toRequest(): ApiInput<'createProject'> {
    const dataset =
      this.datasetKind === 'folder'
        ? { kind: 'folder' as const, path: this.folderPath.trim(), ...(this.cropping && { crop: this.cropSize }) }
        : { kind: this.datasetKind };
    return {
      dir: this.dir.trim(),
      name: this.name.trim() || undefined,
      dataset,
      preset: this.preset?.id,
      ...(this.changedOptions && { architecture: this.changedOptions }),
      ...(this.conditional && { fakeLabels: this.fakeLabels }),
      size: this.preset?.model.size,
      channels: this.preset?.model.channels,
      zDim: this.zDim,
      ngf: this.ngf,
      ndf: this.ndf,
      latent: this.latent,
      conditional: this.conditional,
      batchSize: this.batchSize,
      learningRate: this.learningRate,
      beta1: this.beta1,
      ...(this.emaDecay > 0 && { emaDecay: this.emaDecay }),
      seed: this.seed,
      sampleEvery: this.sampleEvery,
      checkpointEvery: this.checkpointEvery,
      checkpointMinutes: this.checkpointMinutes,
      keepLast: this.keepLast,
      keepEvery: this.keepEvery,
    };
  }
}
