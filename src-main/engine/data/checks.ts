/**
 * Data checks before training, as a pure function over the probed images (checks-probe.ts): is
 * the set big enough for the model, which images are exact or near duplicates (listed in
 * groups), which have extreme aspect ratios (the import's centre crop cuts much away) or are
 * smaller than the training size (upscaled, so blurry), and are grey and colour images mixed.
 * The report is plain JSON, saved in the project and shown in the wizard and by `ganvas new`.
 */
import type { DataCheckReport, DataCheckSeverity, DataFinding, DuplicateGroup } from '../../shared/types/health';
import { hashWords, popcount32 } from './checks-hash';
import type { ImageProbe, ProbeResult } from './checks-probe';

/**
 * Near duplicates: pHash at most this many bits apart (of 64). Measured (docs/run-health.md):
 * re-encoding, halving, +10% brightness and light blur stay within 6-8 bits on photo-like images,
 * distinct ones are 12 or more apart; centred small objects (digits, clothes) of one kind can
 * also fall within 8, so near groups are a list to review, not an automatic removal.
 */
export const NEAR_DUPLICATE_PHASH_BITS = 8;
/** Longer side over shorter side above this: the square centre crop keeps under half of the image. */
export const EXTREME_ASPECT_RATIO = 2;
/**
 * Rule-of-thumb image counts per training size: below `minimum` a DCGAN mostly memorises or
 * collapses, below `recommended` expect visible overfitting (D learns the training images). From
 * practice, not a law: Karras et al. 2020 (StyleGAN2-ADA, Fig. 1) saw quality fall sharply below
 * tens of thousands of images at 256x256 without augmentation; smaller images need fewer.
 */
export const IMAGE_COUNT_RULES: Record<number, { minimum: number; recommended: number }> = {
  28: { minimum: 500, recommended: 5000 },
  32: { minimum: 1000, recommended: 10_000 },
  64: { minimum: 2000, recommended: 20_000 },
  128: { minimum: 5000, recommended: 30_000 },
};
/** A finding lists every file; a report of a huge folder would be huge, so lists stop here. */
export const MAX_LISTED_FILES = 1000;

export interface DataCheckTarget {
  size: number;
  channels: 1 | 3;
  /** G's width (ngf); wider models need more images (the rules are for the default 64). */
  ngf?: number;
}

/** Counts for a target: the rules for its size, scaled up for models wider than the default. */
export function imageCountRule(target: DataCheckTarget): { minimum: number; recommended: number } {
  const sizes = Object.keys(IMAGE_COUNT_RULES).map(Number);
  const size = sizes.find((s) => s >= target.size) ?? sizes[sizes.length - 1];
  const scale = Math.max(1, (target.ngf ?? 64) / 64);
  const rule = IMAGE_COUNT_RULES[size];
  return { minimum: Math.round(rule.minimum * scale), recommended: Math.round(rule.recommended * scale) };
}

/** Groups of exactly equal files, then groups of perceptually near images (one per exact group), sorted by first file. */
export function findDuplicates(probes: readonly { file: string; contentHash: string; pHash: string }[]): DuplicateGroup[] {
  const byContent = new Map<string, number[]>();
  probes.forEach((p, i) => byContent.set(p.contentHash, [...(byContent.get(p.contentHash) ?? []), i]));
  const groups: DuplicateGroup[] = [];
  const reps: number[] = [];
  for (const members of byContent.values()) {
    reps.push(members[0]);
    if (members.length > 1) groups.push({ kind: 'exact', files: members.map((i) => probes[i].file).sort(), distance: 0 });
  }
  reps.sort((a, b) => a - b);
  const ph = reps.map((i) => hashWords(probes[i].pHash));
  // Union-find over near pairs. All pairs are compared: ~10^8 per second, fine to tens of thousands of images.
  const parent = reps.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let a = 0; a < reps.length; a++) {
    const [ah, al] = ph[a];
    for (let b = a + 1; b < reps.length; b++) {
      if (popcount32(ah ^ ph[b][0]) + popcount32(al ^ ph[b][1]) <= NEAR_DUPLICATE_PHASH_BITS) parent[find(b)] = find(a);
    }
  }
  const near = new Map<number, number[]>();
  reps.forEach((_, i) => near.set(find(i), [...(near.get(find(i)) ?? []), i]));
  for (const members of near.values()) {
    if (members.length < 2) continue;
    const files = members.map((i) => probes[reps[i]]).sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : 0));
    const distance = Math.max(...files.slice(1).map((p) => hammingWords(hashWords(files[0].pHash), hashWords(p.pHash))));
    groups.push({ kind: 'near', files: files.map((p) => p.file), distance });
  }
  return groups.sort((x, y) => (x.files[0] < y.files[0] ? -1 : x.files[0] > y.files[0] ? 1 : 0));
}

const hammingWords = (a: [number, number], b: [number, number]) => popcount32(a[0] ^ b[0]) + popcount32(a[1] ^ b[1]);

const RANK: Record<DataCheckSeverity, number> = { ok: 0, info: 1, warning: 2, critical: 3 };
const list = (files: string[]) => files.slice(0, MAX_LISTED_FILES);

/** The data-check report for probed images trained at `target`. */
export function checkDataset(results: readonly ProbeResult[], target: DataCheckTarget): DataCheckReport {
  const probes = results.flatMap((r) => (r.ok ? [r.probe] : []));
  const unreadable = results.flatMap((r) => (r.ok ? [] : [`${r.file}: ${r.reason}`]));
  const groups = findDuplicates(probes);
  const extraCopies = groups.reduce((a, g) => a + g.files.length - 1, 0);
  const distinct = probes.length - extraCopies;
  const rule = imageCountRule(target);
  const findings: DataFinding[] = [];
  const add = (f: DataFinding) => findings.push({ ...f, files: list(f.files) });

  if (distinct < rule.recommended) {
    const critical = distinct < rule.minimum;
    add({
      kind: 'count',
      severity: critical ? 'critical' : 'warning',
      title: `${distinct} distinct images: ${critical ? 'too few' : 'few'} for ${target.size}×${target.size} (${rule.recommended.toLocaleString('en')} or more recommended)`,
      advice: critical
        ? 'With this few images the discriminator memorises them and the generator collapses or copies. Add images, or train a smaller image size.'
        : 'Training will work, but expect the discriminator to start memorising the images after a while: watch the run-health notices and keep the best checkpoint.',
      files: [],
    });
  }
  if (groups.length > 0) {
    add({
      kind: 'duplicates',
      severity: extraCopies > 0.1 * probes.length ? 'critical' : 'warning',
      title: `${extraCopies} extra ${extraCopies === 1 ? 'copy' : 'copies'} in ${groups.length} group${groups.length === 1 ? '' : 's'} of duplicate images`,
      advice:
        'Duplicates count several times in every epoch, so the generator learns them harder (and may copy them). Keep one image of each group.',
      files: groups.flatMap((g) => g.files.slice(1)),
    });
  }
  const wide = probes.filter((p) => Math.max(p.width, p.height) / Math.min(p.width, p.height) > EXTREME_ASPECT_RATIO);
  if (wide.length > 0) {
    add({
      kind: 'aspect',
      severity: 'warning',
      title: `${wide.length} image${wide.length === 1 ? ' is' : 's are'} more than ${EXTREME_ASPECT_RATIO}× longer than wide (or wider than long)`,
      advice: 'Images are centre-cropped to a square, so these lose more than half of their area. Crop them by hand to what matters.',
      files: wide.map((p) => `${p.file} (${p.width}×${p.height})`),
    });
  }
  const small = probes.filter((p) => Math.min(p.width, p.height) < target.size);
  if (small.length > 0) {
    add({
      kind: 'small',
      severity: small.length > probes.length / 2 ? 'critical' : 'warning',
      title: `${small.length} image${small.length === 1 ? ' is' : 's are'} smaller than ${target.size}×${target.size} and will be upscaled`,
      advice: 'Upscaled images are blurry, and the generator learns the blur. Use larger originals, or a smaller training size.',
      files: small.map((p) => `${p.file} (${p.width}×${p.height})`),
    });
  }
  const grey = probes.filter((p) => p.grey);
  const colour = probes.filter((p) => !p.grey);
  if (target.channels === 3 && grey.length > 0 && colour.length > 0) {
    const [minority, kind] = grey.length <= colour.length ? [grey, 'greyscale'] : [colour, 'colour'];
    add({
      kind: 'colour',
      severity: 'warning',
      title: `${minority.length} ${kind} image${minority.length === 1 ? '' : 's'} among ${probes.length}`,
      advice:
        'The generator will learn to make some images grey and some in colour. Remove the odd ones out unless that mix is what you want.',
      files: minority.map((p) => p.file),
    });
  } else if (target.channels === 3 && probes.length > 0 && colour.length === 0) {
    add({
      kind: 'colour',
      severity: 'info',
      title: 'Every image is greyscale',
      advice: 'Train with 1 channel: the same result with a third of the pixels to learn.',
      files: [],
    });
  }
  if (unreadable.length > 0) {
    add({
      kind: 'unreadable',
      severity: 'warning',
      title: `${unreadable.length} file${unreadable.length === 1 ? '' : 's'} could not be read and will be skipped`,
      advice: 'Check or remove these files.',
      files: unreadable,
    });
  }
  const severity = findings.reduce<DataCheckSeverity>((a, f) => (RANK[f.severity] > RANK[a] ? f.severity : a), 'ok');
  return {
    version: 1,
    target: { size: target.size, channels: target.channels },
    files: results.length,
    images: probes.length,
    distinctImages: distinct,
    recommendedImages: rule.recommended,
    minimumImages: rule.minimum,
    duplicateGroups: groups,
    grey: grey.length,
    colour: colour.length,
    ...(probes.length > 0 && { shortSide: medianShortSide(probes) }),
    findings,
    severity,
  };
}

/** The median of the images' short sides (the lower middle one for an even count). */
function medianShortSide(probes: readonly ImageProbe[]): number {
  const sides = probes.map((p) => Math.min(p.width, p.height)).sort((a, b) => a - b);
  return sides[(sides.length - 1) >> 1];
}
