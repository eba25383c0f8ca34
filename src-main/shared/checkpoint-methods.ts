/**
 * The contract methods that draw from a chosen checkpoint (`checkpoint: step | 'best'`): the
 * gallery, walks and their exports, and arithmetic (zod-free, for the renderer). test/unit/explore-checkpoint.test.ts keeps
 * this list equal to the contract's.
 */
export const CHECKPOINT_METHODS = ['galleryTiles', 'renderLatents', 'walkPlan', 'exportWalk', 'arithCompose', 'arithDirection'] as const;
