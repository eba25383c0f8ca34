import type { GanvasBridge, GuidedBackprop } from '../../api-types';
import { Latest } from './request.svelte';

/** The Guided backprop view: one channel of D's last conv layer, trained D beside its random initialisation. */
export class GuidedState {
  channel = $state(0);
  /** Channels of D's last conv layer (0 until the layers are known). */
  channels = $state(0);
  layer = $state('');
  pool = $state(256);
  top = $state(8);
  readonly result: Latest<GuidedBackprop>;

  constructor(
    private readonly api: GanvasBridge,
    readonly dir: string,
    report: (message: string) => void,
  ) {
    this.result = new Latest(report);
  }

  async load(): Promise<void> {
    const layers = await this.api.inspectLayers({ dir: this.dir }).catch(() => null);
    const last = layers?.D.at(-2);
    if (last) {
      this.layer = last.name;
      this.channels = last.outChannels;
    }
  }

  async run(channel = this.channel): Promise<void> {
    this.channel = Math.max(0, Math.min(Math.max(0, this.channels - 1), channel));
    await this.result.run(() => this.api.inspectGuided({ dir: this.dir, channel: this.channel, pool: this.pool, top: this.top }));
  }
}
