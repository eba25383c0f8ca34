import type { GanvasBridge } from '../../api-types';
import { CHECKPOINT_METHODS } from '$shared/checkpoint-methods';

export type ExploreChoice = 'best' | 'newest';

const drawing: ReadonlySet<string> = new Set(CHECKPOINT_METHODS);

/**
 * Which generator the exploring tabs (walks, arithmetic) draw with: run health's best checkpoint
 * (the default, as issue "Is my run working?" asks: a late collapse should not spoil the walks) or
 * the newest one. Until health has scored a checkpoint, 'best' is the newest (the engine's rule).
 */
export class ExploreCheckpoint {
  choice = $state<ExploreChoice>('best');

  set(choice: ExploreChoice): void {
    this.choice = choice;
  }

  /**
   * The bridge as the exploring states see it: calls that draw from a checkpoint get
   * `checkpoint: 'best'` while that is the choice; everything else passes through.
   */
  wrap(api: GanvasBridge): GanvasBridge {
    return new Proxy(api, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver);
        if (typeof name !== 'string' || !drawing.has(name) || typeof value !== 'function') return value;
        return (payload: Record<string, unknown>) =>
          (value as (p: unknown) => unknown).call(
            target,
            this.choice === 'best' && payload.checkpoint === undefined ? { ...payload, checkpoint: 'best' } : payload,
          );
      },
    });
  }
}
