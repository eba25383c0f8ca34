import type { WalkEndpoint, WalkMode, WalkSpec } from '../../api-types';

export type WalkKind = WalkSpec['kind'];

/** What the walk views need to know about the project's model. */
export interface ModelFacts {
  zDim: number;
  numClasses: number;
  classNames: string[];
  projectName: string;
}

/** The walk's settings, as the form edits them; `spec` turns them into what the engine takes. */
export class WalkSettings {
  kind = $state<WalkKind>('path');
  mode = $state<WalkMode>('slerp');
  framesPerSegment = $state(12);
  loop = $state(false);
  steps = $state(8);
  stepSize = $state(0.3);
  walkSeed = $state(1);
  dim = $state(0);
  rangeLo = $state(-3);
  rangeHi = $state(3);
  sweepFrames = $state(24);
  /** Classes to walk through, in order (conditional models). */
  classes = $state.raw<number[]>([]);

  constructor(readonly model: ModelFacts) {}

  toggleClass(c: number): void {
    this.classes = this.classes.includes(c) ? this.classes.filter((x) => x !== c) : [...this.classes, c];
  }

  /** Why a walk through `endpoints` endpoints cannot be built yet, or null when it can. */
  missing(endpoints: number): string | null {
    if (this.kind === 'path' && endpoints < 2) return 'Pick at least two endpoints: click samples in the gallery or add seeds.';
    if (this.kind !== 'path' && endpoints < 1) return 'Pick a starting sample: click one in the gallery or add a seed.';
    if (this.kind === 'classes' && this.model.numClasses === 0) return 'Class walks need a conditional model.';
    if (this.kind === 'classes' && this.classes.length < 2) return 'Pick at least two classes to walk through.';
    return null;
  }

  /** The walk through `points` as the engine takes it (all but path walks start at the first). */
  spec(points: WalkEndpoint[]): WalkSpec {
    const start = points[0];
    const { mode, framesPerSegment } = this;
    switch (this.kind) {
      case 'path':
        return { kind: 'path', endpoints: points, mode, framesPerSegment, loop: this.loop };
      case 'random':
        return { kind: 'random', start, steps: this.steps, stepSize: this.stepSize, seed: this.walkSeed, mode, framesPerSegment };
      case 'sweep':
        return { kind: 'sweep', start, dim: this.dim, range: [this.rangeLo, this.rangeHi], frames: this.sweepFrames };
      case 'classes':
        return { kind: 'classes', start, classes: this.classes, framesPerSegment, loop: this.loop };
    }
  }
}
