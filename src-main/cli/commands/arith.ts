/**
 * `ganvas arith`: latent vector arithmetic from the shell, the paper's Fig. 7 protocol. Each of
 * A, B, C is a concept given as sample seeds (the z of `ganvas sample --seed N --count 1`) or a
 * z file; the expression (default A - B + C) may also name concepts saved in the project.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ARITH_NOISE, MAX_CONCEPT_MEMBERS } from '../../shared/contract/arith';
import { ExprError, resolveExpression } from '../../shared/arith-expression';
import type { ConceptMember, ModelConfig } from '../../shared/types';
import { composeArith } from '../../engine/arith/compose';
import { readConcepts } from '../../engine/arith/concepts';
import { selectBackend } from '../../engine/backend/select';
import { seedLatent } from '../../engine/latent/endpoints';
import { buildGan, disposeGan } from '../../engine/models/gan';
import { checkpointSteps, readCheckpoint } from '../../engine/project/checkpoints';
import { loadProjectConfig } from '../../engine/project/project';
import { restoreGan } from '../../engine/train/state';
import { intOption, numberOption, parse, UsageError } from '../args';

export const arithUsage =
  "arith <dir> --a 1,2,3 --b 4,5,6 --c 7,8,9 --out grid.png [--expr 'A - B + C'] [--a-z a.json ...] [--noise 0.25] [--noise-seed 0] [--class K] [--scale N] [--pixel-out p.png] [--z-out y.json]";

const LETTERS = ['a', 'b', 'c'] as const;

/** "1,2, 3" -> [1, 2, 3]: sample seeds. */
export function parseSeedList(name: string, raw: string): number[] {
  const seeds = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff)) {
    throw new UsageError(`--${name} must be comma-separated sample seeds (integers >= 0), got '${raw}'`);
  }
  if (seeds.length > MAX_CONCEPT_MEMBERS) throw new UsageError(`--${name}: at most ${MAX_CONCEPT_MEMBERS} seeds`);
  return seeds;
}

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

export async function arithCommand(argv: string[]): Promise<void> {
  const options = {
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
  } as const;
  const { values: v, positionals } = parse(argv, options as Record<string, { type: 'string' }>, ['dir']);
  const values = v as Record<string, string | undefined>;
  if (!values.out) throw new UsageError('--out is required (the PNG of the 3x3 grid)');
  const noise = numberOption('noise', values.noise, 0, 4) ?? DEFAULT_ARITH_NOISE;
  const noiseSeed = intOption('noise-seed', values['noise-seed'], 0, 0xffffffff) ?? 0;
  const classIndex = intOption('class', values.class, 0);
  const scale = intOption('scale', values.scale, 1, 16);
  const dir = path.resolve(positionals[0]);
  const config = loadProjectConfig(dir);
  const { model } = config;
  if (classIndex !== undefined && model.numClasses === 0) throw new UsageError('--class needs a conditional project');
  if (classIndex !== undefined && classIndex >= model.numClasses) throw new UsageError(`--class must be 0..${model.numClasses - 1}`);

  // Concepts given on the command line shadow saved ones with the same symbol.
  const given = LETTERS.flatMap((l) => {
    const seeds = values[l];
    const zFile = values[`${l}-z`];
    if (seeds && zFile) throw new UsageError(`give --${l} or --${l}-z, not both`);
    if (!seeds && !zFile) return [];
    const members: ConceptMember[] = seeds
      ? parseSeedList(l, seeds).map((seed) => ({
          z: Array.from(seedLatent(model, seed)),
          label: model.numClasses > 0 ? (classIndex ?? 0) : null,
          seed,
        }))
      : readZFile(path.resolve(zFile!), model, classIndex);
    const symbol = l.toUpperCase();
    return [{ id: `cli-${l}`, symbol, name: seeds ? `seeds ${seeds}` : path.basename(zFile!), members }];
  });
  const saved = readConcepts(dir).filter((c) => !given.some((g) => g.symbol === c.symbol));
  const expression = values.expr ?? 'A - B + C';
  let terms;
  try {
    terms = resolveExpression(expression, [...given, ...saved]);
  } catch (err) {
    if (err instanceof ExprError) throw new UsageError(`--expr: ${err.message}`);
    throw err;
  }

  await selectBackend('auto');
  const gan = buildGan(model, config.train);
  try {
    const step = checkpointSteps(dir).at(-1) ?? 0;
    if (step > 0) restoreGan(gan, readCheckpoint(dir, step));
    else process.stderr.write('Warning: this project has no checkpoint yet; using the untrained generator\n');
    const result = await composeArith(gan.G, model, step, {
      terms: terms.map(({ concept, weight }) => ({
        conceptId: concept.id,
        symbol: concept.symbol,
        name: concept.name,
        weight,
        members: concept.members,
      })),
      noise,
      noiseSeed,
      gridScale: scale,
    });
    fs.writeFileSync(path.resolve(values.out), Buffer.from(result.gridPng, 'base64'));
    if (values['pixel-out']) fs.writeFileSync(path.resolve(values['pixel-out']), Buffer.from(result.pixelPng, 'base64'));
    if (values['z-out']) {
      const { expression: expr, z, label, gridZ } = result;
      fs.writeFileSync(path.resolve(values['z-out']), JSON.stringify({ expression: expr, step, noise, noiseSeed, z, label, gridZ }));
    }
    const described = result.terms.map((t) => `${t.symbol} = ${t.name} (${t.memberPngs.length})`).join(', ');
    process.stderr.write(
      `${result.expression} with ${described}: wrote the 3x3 grid (noise ${noise}) from step ${step} to ${values.out}\n`,
    );
  } finally {
    disposeGan(gan);
  }
}
