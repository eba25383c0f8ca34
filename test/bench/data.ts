/**
 * Data-layer benchmarks: folder import throughput (decode + crop + resize + cache write) and
 * training-style random batch reads from the cache.
 * Run: `npx tsx test/bench/data.ts [images]` — prints one JSON object.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { openDatasetCache, writeDatasetCache } from '../../src-main/engine/data/cache';
import { importImageFolder } from '../../src-main/engine/data/folder-import';

export interface ImportBench {
  images: number;
  size: number;
  channels: 1 | 3;
  generateSeconds: number;
  importSeconds: number;
  imagesPerSec: number;
  skipped: number;
}

/** Writes `count` small varied images (40-64 px, PNG and JPEG, some non-square) into `dir`. */
async function generate(dir: string, count: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const w = 40 + (i % 25);
      const h = 40 + ((i * 7) % 25);
      const raw = Buffer.alloc(w * h * 3);
      for (let k = 0; k < raw.length; k += 1) raw[k] = (k * (i + 3) + ((k * 2654435761) >>> 24)) & 255;
      const img = sharp(raw, { raw: { width: w, height: h, channels: 3 } });
      const ext = i % 2 ? 'jpg' : 'png';
      writeFileSync(join(dir, `${String(i).padStart(6, '0')}.${ext}`), await (ext === 'png' ? img.png() : img.jpeg()).toBuffer());
    }
  };
  await Promise.all([1, 2, 3, 4].map(worker));
}

/** Generates `count` images in a temp folder and times importImageFolder on them. */
export async function benchImport(count = 10_000, size = 32, channels: 1 | 3 = 3): Promise<ImportBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ganvas-bench-'));
  try {
    let t = performance.now();
    await generate(dir, count);
    const generateSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const report = await importImageFolder(dir, { size, channels, outFile: join(dir, 'out', 'dataset.bin') });
    const importSeconds = (performance.now() - t) / 1000;
    return {
      images: report.imported,
      size,
      channels,
      generateSeconds: +generateSeconds.toFixed(2),
      importSeconds: +importSeconds.toFixed(2),
      imagesPerSec: Math.round(report.imported / importSeconds),
      skipped: report.skipped.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Times shuffled 64-image batches from a cache, streamed from disk and held in memory. */
export async function benchReadBatch(count = 20_000, size = 32, channels: 1 | 3 = 3): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'ganvas-bench-'));
  try {
    const file = join(dir, 'dataset.bin');
    const bytes = size * size * channels;
    const samples = (function* () {
      for (let i = 0; i < count; i += 1) yield { image: new Uint8Array(bytes).fill(i & 255) };
    })();
    await writeDatasetCache(file, { size, channels, classes: [] }, samples);
    const result: Record<string, number> = {};
    for (const [mode, limit] of [['streamed', 0], ['inMemory', Infinity]] as const) {
      const cache = openDatasetCache(file, { inMemoryLimitBytes: limit });
      const order = Array.from({ length: count }, (_, i) => i).sort(() => Math.random() - 0.5);
      const t = performance.now();
      for (let s = 0; s + 64 <= count; s += 64) cache.readBatch(order.slice(s, s + 64));
      result[`${mode}ImagesPerSec`] = Math.round(count / ((performance.now() - t) / 1000));
      cache.close();
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = Number(process.argv[2] ?? 10_000);
  const importBench = await benchImport(count);
  const readBench = await benchReadBatch();
  console.log(JSON.stringify({ import: importBench, readBatch32x32x3: readBench }, null, 2));
}
