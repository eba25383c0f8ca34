/**
 * Latent arithmetic benchmarks on the active backend, in this process: the time of one compose
 * (3 concepts x 3 samples: 9 members, 3 means and the 3x3 grid rendered, pixel arithmetic,
 * 15 PNGs and the grid PNG) as the app's Compose button and `ganvas arith` do it, the time of a
 * 7-frame direction preview (one strength-slider move), and expression parsing throughput.
 * Untrained weights: speed does not depend on what G learned.
 * Run: `npx tsx test/bench/arith.ts` — prints one JSON object.
 */
import { localDrawer } from '../../src-main/engine/sampling/local-drawer';
import { pathToFileURL } from 'node:url';
import { composeArith, renderDirection, type ComposeTerm } from '../../src-main/engine/arith/compose';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { seedLatent } from '../../src-main/engine/latent/endpoints';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { resolveExpression } from '../../src-main/shared/arith-expression';

const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function benchPreset(presetId: string) {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  const member = (seed: number) => ({ z: Array.from(seedLatent(model, seed)), label: null, seed });
  const terms: ComposeTerm[] = ['A', 'B', 'C'].map((symbol, k) => ({
    conceptId: symbol,
    symbol,
    name: symbol,
    weight: k === 1 ? -1 : 1,
    members: [1, 2, 3].map((j) => member(k * 3 + j)),
  }));
  const tensorsBefore = tf.memory().numTensors;
  try {
    await composeArith(localDrawer(model, gan), model, 0, { terms, noise: 0.25, noiseSeed: 0 }); // warm-up
    const compose: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      await composeArith(localDrawer(model, gan), model, 0, { terms, noise: 0.25, noiseSeed: r });
      compose.push(performance.now() - t);
    }
    const direction: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      await renderDirection(localDrawer(model, gan), model, 0, {
        a: terms[0].members,
        b: terms[1].members,
        base: member(100 + r),
        strengths: [0, 0.5, 1, 1.5, 2, 2.5, 3],
      });
      direction.push(performance.now() - t);
    }
    return {
      preset: presetId,
      composeMs: Math.round(median(compose)),
      directionPreviewMs: Math.round(median(direction)),
      leakedTensors: tf.memory().numTensors - tensorsBefore,
    };
  } finally {
    disposeGan(gan);
  }
}

/** Parses + binds a 6-term weighted expression: the editor does this on every keystroke. */
function benchParse() {
  const concepts = Array.from({ length: 8 }, (_, i) => ({ id: String(i), symbol: String.fromCharCode(65 + i), name: `concept ${i}` }));
  const text = '0.5*(A + B) - "concept 2" + 2C - D/4 + 0.25*E';
  const n = 20_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) resolveExpression(text, concepts);
  return { expressionsPerSec: Math.round(n / ((performance.now() - t) / 1000)) };
}

export async function benchArith() {
  const backend = await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  const mnist = await benchPreset('mnist');
  const paper64 = await benchPreset('paper64');
  return { backend: backend.active, mnist, paper64, parse: benchParse() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchArith().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
