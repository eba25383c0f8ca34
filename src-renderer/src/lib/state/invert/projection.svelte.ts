import type { AnimationFormat, GanvasBridge, ProjectionImage, ProjectionOutcome } from '../../api-types';
import { animationDialog } from '../../export-formats';
import { pngUrl } from '../../images';
import { AnalysisJob } from '../analysis-job.svelte';
import { ExportJob } from '../export-job.svelte';
import type { GalleryState } from '../latent/gallery.svelte';
import { attempt, type Notify } from '../notify';
import { ProjectPart } from '../project-part';

/** The image chosen for projection, as the view shows it before and while it runs. */
export interface ChosenImage {
  image: ProjectionImage;
  name: string;
  /** A preview of the source (the file itself, a gallery tile); null for a dataset image until projected. */
  url: string | null;
}

/** Dropped or picked files are sent with the call: the same in the desktop app, a browser and a remote window. */
export const MAX_IMAGE_BYTES = 18 * 1024 * 1024;

async function fileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Projection (image -> z) in the app: the chosen image, how hard to search, the running job
 * (progress, ETA, live preview, cancel), the result beside the original, its animation, saving
 * it to the gallery (then it is a sample like any other: walk endpoint, concept member) and
 * exporting the optimisation like a walk.
 */
export class ProjectionState extends ProjectPart {
  chosen = $state.raw<ChosenImage | null>(null);
  steps = $state(300);
  restarts = $state(4);
  seed = $state(0);
  /** Conditional models: the class if known; null searches every class. */
  classIndex = $state<number | null>(null);
  /** Stop once the loss stops improving; off runs every step. */
  earlyStop = $state(true);
  result = $state.raw<ProjectionOutcome | null>(null);
  /** The frame of the optimisation animation shown. */
  frame = $state(0);
  savedId = $state<string | null>(null);
  readonly job: AnalysisJob<ProjectionOutcome>;
  readonly exporter: ExportJob;

  constructor(
    api: GanvasBridge,
    dir: string,
    notify: Notify,
    private readonly gallery: GalleryState,
  ) {
    super(api, dir, notify);
    this.job = new AnalysisJob(api, notify, 'Projection cancelled.');
    this.exporter = new ExportJob(api, dir, notify);
  }

  /** The live reconstruction while it runs, else the result's. */
  get shownReconstruction(): string | null {
    const live = this.job.running ? this.job.progress?.previewPng : undefined;
    if (live) return pngUrl(live);
    return this.result ? pngUrl(this.result.reconstructionPng) : null;
  }

  /** A file the person dropped or picked. */
  async chooseFile(file: File): Promise<void> {
    if (!file.type.startsWith('image/') && !/\.(png|jpe?g|webp|gif|tiff?|avif|svg)$/i.test(file.name)) {
      return this.notify.error(`${file.name} is not an image (PNG, JPEG, WebP, GIF, TIFF, AVIF or SVG)`);
    }
    if (file.size > MAX_IMAGE_BYTES)
      return this.notify.error(`${file.name} is over ${MAX_IMAGE_BYTES >> 20} MB: too big for an image to project`);
    const base64 = await fileBase64(file);
    this.choose({ image: { kind: 'bytes', name: file.name.slice(0, 255), base64 }, name: file.name, url: URL.createObjectURL(file) });
  }

  /** A gallery sample (clicked or dropped): its render at the newest checkpoint is the image. */
  chooseSample(id: string): void {
    const item = this.gallery.get(id);
    if (!item?.saved) return this.notify.error('Save the sample to the gallery first (★), then project it');
    this.choose({ image: { kind: 'sample', id: item.id }, name: item.name, url: item.url });
  }

  choose(chosen: ChosenImage): void {
    if (this.chosen?.url?.startsWith('blob:')) URL.revokeObjectURL(this.chosen.url);
    this.chosen = chosen;
    this.result = null;
    this.savedId = null;
  }

  /** Runs the projection of the chosen image; the newest result replaces the shown one. */
  async project(): Promise<void> {
    const chosen = this.chosen;
    if (!chosen) return this.notify.error('Choose an image to project first');
    const { steps, restarts, seed, earlyStop } = this;
    const settings = { steps, restarts, seed, earlyStop, ...(this.classIndex !== null && { classIndex: this.classIndex }) };
    const result = await this.job.run((id) =>
      this.api.invertImage({ dir: this.dir, image: $state.snapshot(chosen.image), ...settings, id }),
    );
    if (!result) return;
    this.result = result;
    this.savedId = null;
    this.frame = result.animation.length - 1;
  }

  /** Keeps the result in the gallery with its source image and error. */
  async save(name?: string): Promise<void> {
    const r = this.result;
    if (!r || this.savedId) return;
    await attempt(this.notify, async () => {
      const { z, label, targetPng, sourceName, pixelError, psnr, perceptualError, step } = r;
      const projection = { version: 1 as const, sourcePng: targetPng, sourceName, pixelError, psnr, perceptualError, step };
      const saved = await this.api.gallerySave({
        dir: this.dir,
        sample: { z, label, projection, ...(name?.trim() && { name: name.trim() }) },
      });
      this.savedId = saved.id;
      this.notify.info(`Saved “${saved.name}” to the gallery: use it in walks and concepts like any sample`);
      await this.gallery.refreshSaved();
    });
  }

  /** The optimisation ([original | reconstruction so far]) as a GIF or video. */
  exportAnimation(format: AnimationFormat, projectName: string, imageSize: number): Promise<void> {
    const r = this.result;
    if (!r) return Promise.resolve();
    const frames = r.animation.map((f) => f.png);
    const scale = Math.max(1, Math.round(128 / imageSize));
    return this.exporter.runWith(animationDialog('Export the projection', `${projectName}-projection`, format), (out, id) =>
      this.api.exportFrames({ frames, options: { out, format, fps: 12, scale }, id }),
    );
  }

  dispose(): void {
    this.job.dispose();
    this.exporter.dispose();
    if (this.chosen?.url?.startsWith('blob:')) URL.revokeObjectURL(this.chosen.url);
  }
}
