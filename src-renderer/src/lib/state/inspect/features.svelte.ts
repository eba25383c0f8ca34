import type { ActivationRank, FeatureMaps, InspectNet, InspectSource, TopActivating, TopActivatingItem } from '../../api-types';
import { ProjectPart } from '../project-part';
import { ExciteState } from './excite.svelte';

export interface ChannelChoice {
  net: InspectNet;
  layer: string;
  channel: number;
}

/**
 * The Feature maps view: every layer's activations for one sample (a generated tile of a seed,
 * or a dataset image for D), and the samples of a pool that excite a chosen channel most.
 */
export class FeaturesState extends ProjectPart {
  kind = $state<'generated' | 'real'>('generated');
  seed = $state(0);
  index = $state(0);
  realIndex = $state(0);
  readonly maps = this.latest<FeatureMaps>();
  chosen = $state.raw<ChannelChoice | null>(null);
  /** Where D's top samples come from (G's are always generated). */
  topSource = $state<'generated' | 'real'>('real');
  rank = $state<ActivationRank>('mean');
  pool = $state(256);
  readonly top = this.latest<TopActivating>();
  /** The input that excites the chosen channel most, found by optimisation. */
  readonly excite = new ExciteState(this.api, this.dir, this.notify);

  get source(): InspectSource {
    return this.kind === 'generated' ? { kind: 'generated', seed: this.seed, index: this.index } : { kind: 'real', index: this.realIndex };
  }

  protected override firstLoad(): Promise<void> {
    return this.show();
  }

  async show(): Promise<void> {
    await this.maps.run(() => this.api.inspectFeatures({ dir: this.dir, source: this.source }));
  }

  /** Picks a channel and ranks the pool by it. */
  async choose(choice: ChannelChoice): Promise<void> {
    this.chosen = choice;
    await this.findTop();
  }

  async findTop(): Promise<void> {
    const c = this.chosen;
    if (!c) return;
    const source = c.net === 'G' ? 'generated' : this.topSource;
    await this.top.run(() =>
      this.api.inspectTopActivating({
        dir: this.dir,
        ...c,
        source,
        rank: this.rank,
        pool: this.pool,
        top: 16,
        seed: this.kind === 'generated' ? this.seed : 0,
      }),
    );
  }

  /** Makes one of the top samples the inspected sample. */
  async inspect(item: TopActivatingItem): Promise<void> {
    const top = this.top.value;
    if (!top) return;
    if (top.source === 'generated') {
      this.kind = 'generated';
      this.seed = top.seed;
      this.index = item.index;
    } else {
      this.kind = 'real';
      this.realIndex = item.index;
    }
    await this.show();
  }
}
