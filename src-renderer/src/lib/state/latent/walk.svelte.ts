import type { GanvasBridge, WalkExportFormat } from '../../api-types';
import { ExportJob } from '../export-job.svelte';
import type { Notify } from '../notify';
import { WalkEndpoints } from './walk-endpoints.svelte';
import { WalkFrames } from './walk-frames.svelte';
import { WalkPlayer } from './walk-player.svelte';
import { WalkSettings, type ModelFacts } from './walk-settings.svelte';

const extensions: Record<WalkExportFormat, string> = {
  gif: 'gif',
  mp4: 'mp4',
  webm: 'webm',
  'png-strip': 'png',
  'png-grid': 'png',
  json: 'json',
};
const fileTypes: Record<WalkExportFormat, string> = {
  gif: 'Animated GIF',
  mp4: 'MP4 video',
  webm: 'WebM video',
  'png-strip': 'PNG image',
  'png-grid': 'PNG image',
  json: 'JSON',
};

/**
 * A latent walk (paper Fig. 4) in the app: its settings and endpoints, the frames the engine
 * plans and renders, the player, and exports. Each part is its own small state; this one
 * wires them together.
 */
export class WalkState {
  readonly settings: WalkSettings;
  readonly endpoints: WalkEndpoints;
  readonly frames: WalkFrames;
  readonly player: WalkPlayer;
  readonly exporter: ExportJob;

  constructor(
    api: GanvasBridge,
    dir: string,
    readonly model: ModelFacts,
    private readonly notify: Notify,
  ) {
    this.settings = new WalkSettings(model);
    this.endpoints = new WalkEndpoints(api, dir, notify);
    this.frames = new WalkFrames(api, dir, notify);
    this.player = new WalkPlayer(this.frames);
    this.exporter = new ExportJob(api, dir, notify);
  }

  /** Why the walk cannot be built yet, or null when it can. */
  get missing(): string | null {
    return this.settings.missing(this.endpoints.list.length);
  }

  /** Plans the walk and renders its frames in batches; playback starts with the first batch. */
  async build(): Promise<void> {
    const missing = this.missing;
    if (missing) return this.notify.error(missing);
    this.player.pause();
    this.player.position = 0;
    await this.frames.build($state.snapshot(this.settings.spec(this.endpoints.points)), () => this.player.play());
  }

  /** Exports the built walk as it plays (fps, ping-pong) where the person chooses. */
  export(format: WalkExportFormat, scale: number): Promise<void> {
    const spec = this.frames.spec;
    if (!spec) {
      this.notify.error('Build a walk first.');
      return Promise.resolve();
    }
    const ext = extensions[format];
    return this.exporter.run({
      title: 'Export latent walk',
      defaultName: `${this.model.projectName}-walk${format === 'png-grid' ? '-grid' : ''}.${ext}`,
      filters: [{ name: fileTypes[format], extensions: [ext] }],
      spec,
      options: { format, fps: this.player.fps, scale, pingPong: this.player.pingPong },
    });
  }

  dispose(): void {
    this.player.pause();
    this.frames.stop();
    this.exporter.dispose();
  }
}
