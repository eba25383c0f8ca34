import type { GuidedBackprop } from '../../api-types';
import { ProjectPart } from '../project-part';

/** The Guided backprop view: one channel of D's last conv layer, trained D beside its random initialisation. */
export class GuidedState extends ProjectPart {
  channel = $state(0);
  /** Channels of D's last conv layer (0 until the layers are known). */
  channels = $state(0);
  layer = $state('');
  pool = $state(256);
  top = $state(8);
  readonly result = this.latest<GuidedBackprop>();

  /** Finds D's last conv layer and shows its channel 0. */
  protected override async firstLoad(): Promise<void> {
    await this.load();
    await this.run(0);
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
