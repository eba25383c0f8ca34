import { readableMessage } from '$shared/errors';
import { DEFAULT_CADENCE } from '$shared/limits';
import type { ApiEvents, ApiInput, BuiltinDataset, GanvasBridge, LatentDistribution, PresetInfo, ProjectSummary } from '../api-types';
import { FolderCheckState, type FolderCheckTarget } from './folder-check.svelte';
import { attempt, type Notify } from './notify';

export type DatasetKind = 'mnist' | 'fashion-mnist' | 'folder';

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
  batchSize = $state(128);
  learningRate = $state(0.0002);
  beta1 = $state(0.5);
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

  preset = $derived(this.presets.find((preset) => preset.id === this.presetId));
  /** Advanced widths differ from the preset: its parameter counts no longer apply exactly. */
  customized = $derived(
    !!this.preset && (this.preset.model.ngf !== this.ngf || this.preset.model.ndf !== this.ndf || this.preset.model.zDim !== this.zDim),
  );

  constructor(
    private readonly api: GanvasBridge,
    private readonly notify: Notify,
  ) {
    this.#unsubscribe = api.on('import.progress', (event) => (this.progress = event));
    this.folderCheck = new FolderCheckState(api, notify);
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
  }

  toRequest(): ApiInput<'createProject'> {
    const dataset = this.datasetKind === 'folder' ? { kind: 'folder' as const, path: this.folderPath.trim() } : { kind: this.datasetKind };
    return {
      dir: this.dir.trim(),
      name: this.name.trim() || undefined,
      dataset,
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
      seed: this.seed,
      sampleEvery: this.sampleEvery,
      checkpointEvery: this.checkpointEvery,
      checkpointMinutes: this.checkpointMinutes,
      keepLast: this.keepLast,
      keepEvery: this.keepEvery,
    };
  }
}
