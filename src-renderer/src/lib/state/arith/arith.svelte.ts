import { ExprError, resolveExpression, type ResolvedTerm } from '$shared/arith-expression';
import { readableMessage } from '$shared/errors';
import { DEFAULT_ARITH_NOISE, MAX_CONCEPT_MEMBERS } from '$shared/limits';
import type { ArithResult, Concept, ConceptMember, LatentPoint } from '../../api-types';
import { ImageExport } from '../image-export.svelte';
import { attempt } from '../notify';
import { ProjectPart } from '../project-part';
import { renderBatches } from '../render-batches';

/** The paper's Fig. 7 expression; letters are the concepts' symbols. */
export const DEFAULT_EXPRESSION = 'A - B + C';

/** A sample that can join a concept: a gallery item or anything with z and class. */
export interface MemberSource extends LatentPoint {
  /** A saved gallery sample's id (fresh tiles have none). */
  sampleId?: string;
  /** Where a fresh tile came from: tile `index` of `generate({ seed })`. */
  source?: { seed: number; index: number } | null;
}

export type ParsedExpression = { terms: ResolvedTerm<Concept>[]; error: null } | { terms: null; error: { message: string; at: number } };

const memberKey = (m: { z: number[]; label?: number | null }) => `${m.label ?? ''}|${m.z.join(',')}`;

/**
 * Latent vector arithmetic for one project: the saved concepts (concepts.json), the expression
 * being edited, and its last result (the paper's 3x3 grid beside the pixel-space version).
 * Components read it and call its methods; every failure becomes a toast.
 */
export class ArithState extends ProjectPart {
  concepts = $state.raw<Concept[]>([]);
  /** PNG data URLs of member images, by z (and class); replaced wholesale, never mutated. */
  thumbs = $state.raw<Record<string, string>>({});
  expression = $state(DEFAULT_EXPRESSION);
  noise = $state(DEFAULT_ARITH_NOISE);
  noiseSeed = $state(0);
  loaded = $state(false);
  readonly #compose = this.latest<ArithResult>();
  /** Saving the result's 3x3 grid as a PNG (Save grid PNG…). */
  readonly exporter = new ImageExport(this.api, this.notify);
  #noiseTimer: ReturnType<typeof setTimeout> | undefined;

  get result(): ArithResult | null {
    return this.#compose.value;
  }

  get composing(): boolean {
    return this.#compose.busy;
  }

  /** The expression bound to the concepts, or why it cannot be (with the character it points at). */
  get parsed(): ParsedExpression {
    try {
      return { terms: resolveExpression(this.expression, this.concepts), error: null };
    } catch (error) {
      return { terms: null, error: { message: readableMessage(error), at: error instanceof ExprError ? error.at : 0 } };
    }
  }

  thumb(member: ConceptMember): string | undefined {
    return this.thumbs[memberKey(member)];
  }

  /** The saved concepts and their samples' images. */
  protected override firstLoad(): Promise<void> {
    return attempt(this.notify, async () => {
      this.concepts = await this.api.conceptList({ dir: this.dir });
      this.loaded = true;
      await this.#renderThumbs(this.concepts.flatMap((c) => c.members));
    });
  }

  async create(name: string, first?: MemberSource): Promise<Concept | undefined> {
    let made: Concept | undefined;
    await attempt(this.notify, async () => {
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

  remove(id: string): Promise<void> {
    return attempt(this.notify, async () => {
      this.concepts = await this.api.conceptDelete({ dir: this.dir, id });
    });
  }

  /** Adds a sample to a concept; the same z twice would only weigh it double, so it is refused. */
  async addMember(id: string, sample: MemberSource): Promise<void> {
    const concept = this.concepts.find((c) => c.id === id);
    if (!concept) return;
    const member = toMember(sample);
    if (concept.members.some((m) => memberKey(m) === memberKey(member)))
      return this.notify.error(`That sample is already in ${concept.name}`);
    if (concept.members.length >= MAX_CONCEPT_MEMBERS) return this.notify.error(`${concept.name} is full (${MAX_CONCEPT_MEMBERS} samples)`);
    await this.#update(id, { members: [...concept.members, member] });
    await attempt(this.notify, () => this.#renderThumbs([member]));
  }

  removeMember(id: string, index: number): Promise<void> {
    const concept = this.concepts.find((c) => c.id === id);
    if (!concept) return Promise.resolve();
    return this.#update(id, { members: concept.members.filter((_, i) => i !== index) });
  }

  /** Evaluates the expression; a newer request wins over a slower older one. */
  async compose(): Promise<void> {
    const { error } = this.parsed;
    if (error) return this.notify.error(`Expression: ${error.message}`);
    const request = { dir: this.dir, expression: this.expression, noise: this.noise, noiseSeed: this.noiseSeed };
    await this.#compose.run(() => this.api.arithCompose(request));
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

  #update(id: string, patch: { name?: string; members?: ConceptMember[] }): Promise<void> {
    return attempt(this.notify, async () => {
      const updated = await this.api.conceptUpdate({ dir: this.dir, id, ...patch });
      this.concepts = this.concepts.map((c) => (c.id === id ? updated : c));
    });
  }

  async #renderThumbs(members: ConceptMember[]): Promise<void> {
    const missing: Record<string, ConceptMember> = Object.fromEntries(
      members.filter((m) => !(memberKey(m) in this.thumbs)).map((m) => [memberKey(m), m]),
    );
    const todo = Object.values(missing);
    const rows = todo.map((m) => ({ z: m.z, label: m.label ?? null }));
    for await (const { start, urls } of renderBatches(this.api, this.dir, rows)) {
      this.thumbs = { ...this.thumbs, ...Object.fromEntries(urls.map((url, i) => [memberKey(todo[start + i]), url])) };
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
