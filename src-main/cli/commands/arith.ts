/**
 * `ganvas arith`: latent vector arithmetic from the shell, the paper's Fig. 7 protocol. Each of
 * A, B, C is a concept given as sample seeds (the z of `ganvas sample --seed N --count 1`) or a
 * z file; the expression (default A - B + C) may also name concepts saved in the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ARITH_NOISE, MAX_CONCEPT_MEMBERS } from '../../shared/contract/arith';
import type { ApiInput } from '../../shared/contract';
import type { ConceptMember, ModelConfig } from '../../shared/types';
import { num, required, str, UsageError } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';

const LETTERS = ['a', 'b', 'c'] as const;

/** "1,2, 3" -> [1, 2, 3]: sample seeds (the contract checks their range). */
function seedList(name: string, raw: string): number[] {
  const seeds = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new UsageError(`--${name} must be comma-separated sample seeds (integers >= 0), got '${raw}'`);
  }
  return seeds;
}
type InlineConcept = NonNullable<ApiInput<'arithCompose'>['concepts']>[number];

/**
 * Members from a z file: `ganvas sample --z-out` output ({z: [[...]], labels?}), a bare list of
 * z rows, one z row, or a saved concept ({members: [{z, label}]}).
 */
export function readZFile(file: string, model: Pick<ModelConfig, 'zDim' | 'numClasses'>, classIndex: number | undefined): ConceptMember[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read z file ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const isRow = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  const obj = raw as { z?: unknown; labels?: unknown; members?: unknown };
  let members: ConceptMember[] | null = null;
  if (isRow(raw)) members = [{ z: raw }];
  else if (Array.isArray(raw) && raw.every(isRow)) members = raw.map((z) => ({ z }));
  else if (obj && Array.isArray(obj.z) && obj.z.every(isRow)) {
    const labels = Array.isArray(obj.labels) ? (obj.labels as number[]) : null;
    members = (obj.z as number[][]).map((z, i) => ({ z, label: labels?.[i] ?? null }));
  } else if (obj && Array.isArray(obj.members) && obj.members.every((m) => m && isRow((m as ConceptMember).z))) {
    members = (obj.members as ConceptMember[]).map((m) => ({ z: m.z, label: m.label ?? null }));
  }
  if (!members || members.length === 0) throw new Error(`${file} holds no z rows (expected {"z": [[...], ...]} or a list of rows)`);
  if (members.length > MAX_CONCEPT_MEMBERS)
    throw new Error(`${file} holds ${members.length} rows; a concept takes at most ${MAX_CONCEPT_MEMBERS}`);
  return members.map((m, i) => {
    if (m.z.length !== model.zDim) throw new Error(`${file}: row ${i} has ${m.z.length} numbers; this project's z has ${model.zDim}`);
    const label = model.numClasses === 0 ? null : (classIndex ?? m.label ?? 0);
    if (label !== null && label >= model.numClasses) throw new Error(`${file}: class ${label} does not exist (0..${model.numClasses - 1})`);
    return { z: m.z, label };
  });
}

export const arithCommand: CliCommand = {
  name: 'arith',
  summary: 'latent vector arithmetic on averaged z (paper Fig. 7): the 3x3 grid, G(Y) in the centre',
  usage:
    "arith <dir> --a 1,2,3 --b 4,5,6 --c 7,8,9 --out grid.png [--expr 'A - B + C'] [--a-z a.json ...] [--noise 0.25] [--noise-seed 0] [--class K] [--scale N] [--pixel-out p.png] [--z-out y.json]",
  positionals: ['dir'],
  options: {
    out: { type: 'string' },
    expr: { type: 'string' },
    noise: { type: 'string' },
    'noise-seed': { type: 'string' },
    class: { type: 'string' },
    scale: { type: 'string' },
    'pixel-out': { type: 'string' },
    'z-out': { type: 'string' },
    ...Object.fromEntries(
      LETTERS.flatMap((l) => [
        [l, { type: 'string' }],
        [`${l}-z`, { type: 'string' }],
      ]),
    ),
  },
  async run({ values: v, positionals }, session) {
    const out = required('out', str(v.out), 'the PNG of the 3x3 grid');
    const summary = await session.call('openProject', { dir: positionals[0] });
    const { model } = summary.config;
    const classIndex = num('class', v.class);
    if (classIndex !== undefined && model.numClasses === 0) throw new UsageError('--class needs a conditional project');
    if (classIndex !== undefined && classIndex >= model.numClasses) throw new UsageError(`--class must be 0..${model.numClasses - 1}`);
    if (summary.checkpoints.length === 0) note('Warning: this project has no checkpoint yet; using the untrained generator');
    // Concepts given on the command line shadow saved ones with the same symbol.
    const concepts: InlineConcept[] = LETTERS.flatMap((l) => {
      const seeds = str(v[l]);
      const zFile = str(v[`${l}-z`]);
      if (seeds && zFile) throw new UsageError(`give --${l} or --${l}-z, not both`);
      if (!seeds && !zFile) return [];
      const list = seeds ? seedList(l, seeds) : [];
      if (list.length > MAX_CONCEPT_MEMBERS) throw new UsageError(`--${l}: at most ${MAX_CONCEPT_MEMBERS} seeds`);
      const members = seeds
        ? list.map((seed) => ({ seed, label: classIndex ?? null }))
        : readZFile(path.resolve(zFile!), model, classIndex);
      return [{ symbol: l.toUpperCase(), name: seeds ? `seeds ${seeds}` : path.basename(zFile!), members }];
    });
    const noise = num('noise', v.noise) ?? DEFAULT_ARITH_NOISE;
    const noiseSeed = num('noise-seed', v['noise-seed']) ?? 0;
    const result = await session.call(
      'arithCompose',
      { dir: summary.dir, expression: str(v.expr) ?? 'A - B + C', noise, noiseSeed, concepts, gridScale: num('scale', v.scale) },
      {
        expression: 'expr',
        noise: 'noise',
        noiseSeed: 'noise-seed',
        gridScale: 'scale',
        ...Object.fromEntries(concepts.map((c, i) => [`concepts.${i}`, c.symbol.toLowerCase()])),
      },
    );
    await session.writeBase64(out, result.gridPng);
    const pixelOut = str(v['pixel-out']);
    if (pixelOut) await session.writeBase64(pixelOut, result.pixelPng);
    const zOut = str(v['z-out']);
    if (zOut) {
      const { expression, z, label, gridZ, step } = result;
      await session.write(zOut, JSON.stringify({ expression, step, noise, noiseSeed, z, label, gridZ }));
    }
    const described = result.terms.map((t) => `${t.symbol} = ${t.name} (${t.memberPngs.length})`).join(', ');
    note(`${result.expression} with ${described}: wrote the 3x3 grid (noise ${noise}) from step ${result.step} to ${out}`);
  },
};
