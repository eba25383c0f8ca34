import { ExprError, resolveExpression, type ResolvedTerm } from '$shared/arith-expression';
import { DEFAULT_ARITH_NOISE, MAX_CONCEPT_MEMBERS } from '$shared/limits';
import { readableMessage as message } from '$shared/errors';
import type { ArithResult, Concept, ConceptMember, GanvasBridge, LatentPoint } from '../api-types';

const dataUrl = (b64: string) => `data:image/png;base64,${b64}`;
/** renderLatents takes at most 64 rows a call. */
const RENDER_BATCH = 64;
/** The paper's Fig. 7 expression; letters are the concepts' symbols. */
export const DEFAULT_EXPRESSION = 'A - B + C';

/** A sample that can join a concept: a gallery item or anything with z and class. */
export interface MemberSource extends LatentPoint {
  /** A saved gallery sample's id (fresh tiles have none). */
  sampleId?: string;
  /** Where a fresh tile came from: tile `index` of `generate({ seed })`. */
  source?: { seed: number; index: number } | null;
}

const memberKey = (m: { z: number[]; label?: number | null }) => `${m.label ?? ''}|${m.z.join(',')}`;

/**
 * Latent vector arithmetic for one project: the saved concepts (concepts.json), the expression
 * being edited, and its last result (the paper's 3x3 grid beside the pixel-space version).
 * Components read it and call its methods; every failure becomes a toast.
 */
export class ArithState {
  concepts = $state.raw<Concept[]>([]);
  /** PNG data URLs of member images, by z (and class); replaced wholesale, never mutated. */
  thumbs = $state.raw<Record<string, string>>({});
  expression = $state(DEFAULT_EXPRESSION);
  noise = $state(DEFAULT_ARITH_NOISE);
  noiseSeed = $state(0);
  result = $state.raw<ArithResult | null>(null);
  composing = $state(false);
  loaded = $state(false);
  #composeRequest = 0;
  #noiseTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: GanvasBridge,
    readonly dir: string,
    private readonly reportError: (message: string) => void,
  ) {}

  /** The expression bound to the concepts, or why it cannot be (with the character it points at). */
  get parsed(): { terms: ResolvedTerm<Concept>[]; error: null } | { terms: null; error: { message: string; at: number } } {
    try {
      return { terms: resolveExpression(this.expression, this.concepts), error: null };
    } catch (error) {
      const at = error instanceof ExprError ? error.at : 0;
      return { terms: null, error: { message: message(error), at } };
    }
  }

  thumb(member: ConceptMember): string | undefined {
    return this.thumbs[memberKey(member)];
  }

  async load(): Promise<void> {
    await this.#guard(async () => {
      this.concepts = await this.api.conceptList({ dir: this.dir });
      this.loaded = true;
      await this.#renderThumbs(this.concepts.flatMap((c) => c.members));
    });
  }

  async create(name: string, first?: MemberSource): Promise<Concept | undefined> {
    let made: Concept | undefined;
    await this.#guard(async () => {
      made = await this.api.conceptCreate({ dir: this.dir, name, members: first ? [toMember(first)] : [] });
      this.concepts = [...this.concepts, made];
      await this.#renderThumbs(made.members);
    });
    return made;
  }

  rename(id: string, name: string): Promise<void> {
    if (!name.trim()) return Promise.resolve();
    return this.#update(id, { name });
  }

  async remove(id: string): Promise<void> {
    await this.#guard(async () => {
      this.concepts = await this.api.conceptDelete({ dir: this.dir, id });
    });
  }

  /** Adds a sample to a concept; the same z twice would only weigh it double, so it is refused. */
  async addMember(id: string, sample: MemberSource): Promise<void> {
    const concept = this.concepts.find((c) => c.id === id);
    if (!concept) return;
    const member = toMember(sample);
    if (concept.members.some((m) => memberKey(m) === memberKey(member))) {
      this.reportError(`That sample is already in ${concept.name}`);
      return;
    }
    if (concept.members.length >= MAX_CONCEPT_MEMBERS) {
      this.reportError(`${concept.name} is full (${MAX_CONCEPT_MEMBERS} samples)`);
      return;
    }
    await this.#update(id, { members: [...concept.members, member] });
    await this.#renderThumbs([member]);
  }

  removeMember(id: string, index: number): Promise<void> {
    const concept = this.concepts.find((c) => c.id === id);
    if (!concept) return Promise.resolve();
    return this.#update(id, { members: concept.members.filter((_, i) => i !== index) });
  }

  /** Evaluates the expression; a newer request wins over a slower older one. */
  async compose(): Promise<void> {
    if (this.parsed.error) {
      this.reportError(`Expression: ${this.parsed.error.message}`);
      return;
    }
    const request = ++this.#composeRequest;
    this.composing = true;
    try {
      const result = await this.api.arithCompose({
        dir: this.dir,
        expression: this.expression,
        noise: this.noise,
        noiseSeed: this.noiseSeed,
      });
      if (request === this.#composeRequest) this.result = result;
    } catch (error) {
      if (request === this.#composeRequest) this.reportError(message(error));
    } finally {
      if (request === this.#composeRequest) this.composing = false;
    }
  }

  /** New noise for the 8 neighbours; the centre G(Y) stays. */
  reseed(): Promise<void> {
    this.noiseSeed = (this.noiseSeed + 1 + Math.floor(Math.random() * 1_000_000)) % 0xffffffff;
    return this.compose();
  }

  /** Slider moves re-render once the hand rests (a compose is a few hundred ms on wasm). */
  setNoise(noise: number): void {
    this.noise = noise;
    clearTimeout(this.#noiseTimer);
    if (this.result) this.#noiseTimer = setTimeout(() => void this.compose(), 150);
  }

  async #update(id: string, patch: { name?: string; members?: ConceptMember[] }): Promise<void> {
    await this.#guard(async () => {
      const updated = await this.api.conceptUpdate({ dir: this.dir, id, ...patch });
      this.concepts = this.concepts.map((c) => (c.id === id ? updated : c));
    });
  }

  async #renderThumbs(members: ConceptMember[]): Promise<void> {
    const missing: Record<string, ConceptMember> = {};
    for (const m of members) if (!(memberKey(m) in this.thumbs)) missing[memberKey(m)] = m;
    const todo = Object.values(missing);
    for (let start = 0; start < todo.length; start += RENDER_BATCH) {
      const batch = todo.slice(start, start + RENDER_BATCH);
      const pngs = await this.api.renderLatents({ dir: this.dir, rows: batch.map((m) => ({ z: m.z, label: m.label ?? null })) });
      this.thumbs = { ...this.thumbs, ...Object.fromEntries(batch.map((m, i) => [memberKey(m), dataUrl(pngs[i])])) };
    }
  }

  async #guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.reportError(message(error));
    }
  }
}

/** A gallery sample as a concept member; a seed is kept only when it alone reproduces the z (tile 0). */
export function toMember(sample: MemberSource): ConceptMember {
  return {
    z: sample.z,
    label: sample.label,
    ...(sample.sampleId && { sampleId: sample.sampleId }),
    ...(sample.source?.index === 0 && { seed: sample.source.seed }),
  };
}
