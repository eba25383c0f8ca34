import type {
  ActivationRank,
  FeatureMaps,
  GanvasBridge,
  InspectNet,
  InspectSource,
  TopActivating,
  TopActivatingItem,
} from '../../api-types';
import { Latest } from './request.svelte';

export interface ChannelChoice {
  net: InspectNet;
  layer: string;
  channel: number;
}

/**
 * The Feature maps view: every layer's activations for one sample (a generated tile of a seed,
 * or a dataset image for D), and the samples of a pool that excite a chosen channel most.
 */
export class FeaturesState {
  kind = $state<'generated' | 'real'>('generated');
  seed = $state(0);
  index = $state(0);
  realIndex = $state(0);
  readonly maps: Latest<FeatureMaps>;
  chosen = $state.raw<ChannelChoice | null>(null);
  /** Where D's top samples come from (G's are always generated). */
  topSource = $state<'generated' | 'real'>('real');
  rank = $state<ActivationRank>('mean');
  pool = $state(256);
  readonly top: Latest<TopActivating>;

  constructor(
    private readonly api: GanvasBridge,
    readonly dir: string,
    report: (message: string) => void,
  ) {
    this.maps = new Latest(report);
    this.top = new Latest(report);
  }

  get source(): InspectSource {
    return this.kind === 'generated' ? { kind: 'generated', seed: this.seed, index: this.index } : { kind: 'real', index: this.realIndex };
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

  /** Opens one of the top samples as the inspected sample. */
  async open(item: TopActivatingItem): Promise<void> {
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
