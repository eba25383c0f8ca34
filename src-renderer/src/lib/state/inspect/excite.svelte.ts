import type { ExciteView, GanvasBridge } from '../../api-types';
import { AnalysisJob } from '../analysis-job.svelte';
import type { Notify } from '../notify';

/** The feature map asked about (Inside's channel choice). */
export interface ExciteChannel {
  layer: string;
  channel: number;
}

/**
 * Feature visualisation by optimisation (Inside > Feature maps): the input that excites the
 * chosen channel most, shown beside the samples that excite it most. One run at a time, with
 * progress and cancel; the answer belongs to the channel it was asked for.
 */
export class ExciteState {
  steps = $state(200);
  restarts = $state(4);
  result = $state.raw<ExciteView | null>(null);
  readonly job: AnalysisJob<ExciteView>;

  constructor(
    private readonly api: GanvasBridge,
    private readonly dir: string,
    notify: Notify,
  ) {
    this.job = new AnalysisJob(api, notify, 'Feature optimisation cancelled.');
  }

  /** The result when it is for `choice`. */
  resultFor(choice: ExciteChannel | null): ExciteView | null {
    const r = this.result;
    return r && choice && r.layer === choice.layer && r.channel === choice.channel ? r : null;
  }

  async run(choice: ExciteChannel): Promise<void> {
    const { steps, restarts } = this;
    const result = await this.job.run((id) =>
      this.api.inspectExcite({ dir: this.dir, layer: choice.layer, channel: choice.channel, steps, restarts, id }),
    );
    if (result) this.result = result;
  }

  dispose(): void {
    this.job.dispose();
  }
}
