/**
 * Latent vector arithmetic (paper Sec. 6.3): concepts, expressions and direction vectors.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */
/** One exemplar of a concept: a z the user picked (from the gallery, a seed, or pasted). */
export interface ConceptMember {
  z: number[];
  /** Class index for conditional models; null/absent otherwise. */
  label?: number | null;
  /** The gallery sample it was dragged from, when it came from gallery.json. */
  sampleId?: string;
  /** The sample seed it came from (z = tile 0 of `generate({ seed })`). */
  seed?: number;
}

/**
 * A named set of exemplars whose mean z stands for an idea ("smiling woman"). The paper
 * (Sec. 6.3, Fig. 7) found one exemplar unstable and the mean of three stable.
 */
export interface Concept {
  id: string;
  name: string;
  /** Short stable name used in expressions: A, B, C... (kept when other concepts are deleted). */
  symbol: string;
  members: ConceptMember[];
  createdAt: string;
  updatedAt: string;
}

/** One concept of an expression as rendered: its exemplars, G(mean z) and the mean of their images. */
export interface ArithTermView {
  conceptId: string;
  symbol: string;
  name: string;
  weight: number;
  /** G(z) of each member, PNG base64. */
  memberPngs: string[];
  /** G(mean z): what the concept looks like in latent space. */
  meanZPng: string;
  /** The mean of the members' images: the same average done on pixels. */
  meanPixelPng: string;
}

export interface ArithResult {
  /** The expression in canonical form, with symbols: "A - B + C". */
  expression: string;
  terms: ArithTermView[];
  /** Y = sum of weight * mean z. */
  z: number[];
  /** The same combination of the members' one-hot labels, clipped and renormalised; null when unconditional. */
  label: number[] | null;
  noise: number;
  noiseSeed: number;
  /** The paper's 3x3 grid, row-major: [4] is G(Y), the others G(Y + U(-noise, noise)). PNG base64 each. */
  grid: string[];
  gridZ: number[][];
  /** The 3x3 grid as one PNG (what the CLI writes). */
  gridPng: string;
  /** The same expression on pixels: sum of weight * mean member image, clipped to [-1, 1]. */
  pixelPng: string;
  /** Checkpoint step the images come from. */
  step: number;
}

export interface DirectionFrame {
  strength: number;
  z: number[];
  pngBase64: string;
}

/** A direction d = mean(A) - mean(B) (e.g. the paper's Fig. 8 "turn" vector) applied to a base z. */
export interface DirectionResult {
  direction: number[];
  /** |d|, and |d| relative to the typical |z| of the prior (sqrt(zDim) for N(0,1)). */
  norm: number;
  relativeNorm: number;
  /** The base's label, kept for every frame. */
  label: number | null;
  frames: DirectionFrame[];
  step: number;
}
