import type { ApiInput, BuiltinDataset, LatentDistribution, PresetInfo } from '../api-types';

export type DatasetKind = 'mnist' | 'fashion-mnist' | 'folder';

/** The New-project wizard's fields. Training defaults are the DCGAN paper's (Radford et al. 2016). */
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

  preset = $derived(this.presets.find((preset) => preset.id === this.presetId));
  /** Advanced widths differ from the preset: its parameter counts no longer apply exactly. */
  customized = $derived(
    !!this.preset && (this.preset.model.ngf !== this.ngf || this.preset.model.ndf !== this.ndf || this.preset.model.zDim !== this.zDim),
  );

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
    };
  }
}
