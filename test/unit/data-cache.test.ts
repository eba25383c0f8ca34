import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatasetCache, writeDatasetCache } from '../../src-main/engine/data/cache';
import { createDatasetCacheWriter } from '../../src-main/engine/data/cache-writer';
import { tempDir } from '../fixtures/data-images';

/** Image i of a 4×4×C cache: byte k = (i*7 + k*13) mod 256, so every image and position differs. */
function pattern(i: number, bytes: number): Uint8Array {
  return Uint8Array.from({ length: bytes }, (_, k) => (i * 7 + k * 13) % 256);
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

async function writeSample(file: string, count = 10, channels: 1 | 3 = 3, classes = ['a', 'b', 'c']): Promise<void> {
  const bytes = 4 * 4 * channels;
  const samples = Array.from({ length: count }, (_, i) => ({ image: pattern(i, bytes), label: classes.length ? i % classes.length : 0 }));
  await writeDatasetCache(file, { size: 4, channels, classes }, samples);
}

describe('dataset cache', () => {
  for (const inMemoryLimitBytes of [0, Infinity]) {
    const mode = inMemoryLimitBytes === 0 ? 'streamed from disk' : 'held in memory';
    it(`round-trips exact bytes, labels and [-1,1] scaling (${mode})`, async () => {
      const file = tmp.path('dataset.bin');
      await writeSample(file, 10);
      const cache = openDatasetCache(file, { inMemoryLimitBytes });
      expect(cache.inMemory).toBe(inMemoryLimitBytes !== 0);
      expect([cache.count, cache.size, cache.channels, cache.classes]).toEqual([10, 4, 3, ['a', 'b', 'c']]);
      for (let i = 0; i < 10; i += 1) expect(Array.from(cache.readUint8(i))).toEqual(Array.from(pattern(i, 48)));
      expect(Array.from(cache.readUint8(3, 2))).toEqual([...pattern(3, 48), ...pattern(4, 48)]);
      expect(Array.from(cache.readLabels())).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);

      // Random order, a duplicate and a consecutive run (coalesced into one read) all keep their order.
      const indices = [7, 2, 3, 4, 9, 2, 0];
      const batch = cache.readBatch(indices);
      expect(batch.images).toBeInstanceOf(Float32Array);
      expect(batch.images.length).toBe(indices.length * 48);
      expect(Array.from(batch.labels)).toEqual(indices.map((i) => i % 3));
      indices.forEach((idx, j) => {
        const want = Array.from(pattern(idx, 48), (b) => b / 127.5 - 1);
        const got = Array.from(batch.images.subarray(j * 48, (j + 1) * 48));
        got.forEach((v, k) => expect(v).toBeCloseTo(want[k], 6));
      });
      cache.close();
      expect(() => cache.readUint8(0)).toThrow(/closed/);
    });
  }

  it('maps 0 to exactly -1 and 255 to exactly 1', async () => {
    const file = tmp.path('dataset.bin');
    await writeDatasetCache(file, { size: 1, channels: 1, classes: [] }, [
      { image: Uint8Array.of(0) },
      { image: Uint8Array.of(255) },
      { image: Uint8Array.of(128) },
    ]);
    const cache = openDatasetCache(file);
    const { images, labels } = cache.readBatch([0, 1, 2]);
    expect(Array.from(images.subarray(0, 2))).toEqual([-1, 1]);
    expect(images[2]).toBeCloseTo(128 / 127.5 - 1, 6);
    expect(Array.from(labels)).toEqual([0, 0, 0]);
    expect(cache.classes).toEqual([]);
    cache.close();
  });

  it('rejects out-of-range indices', async () => {
    const file = tmp.path('dataset.bin');
    await writeSample(file, 3);
    const cache = openDatasetCache(file);
    expect(() => cache.readBatch([0, 3])).toThrow(RangeError);
    expect(() => cache.readUint8(-1)).toThrow(RangeError);
    expect(() => cache.readUint8(2, 2)).toThrow(/images 2\.\.3 out of range 0\.\.2/);
    cache.close();
  });

  it('stores more than 256 classes as uint16 labels', async () => {
    const file = tmp.path('dataset.bin');
    const classes = Array.from({ length: 300 }, (_, i) => `c${i}`);
    await writeDatasetCache(file, { size: 1, channels: 1, classes }, [299, 0, 256].map((label) => ({ image: Uint8Array.of(label % 256), label })));
    const cache = openDatasetCache(file, { inMemoryLimitBytes: 0 });
    expect(Array.from(cache.readBatch([0, 1, 2]).labels)).toEqual([299, 0, 256]);
    expect(cache.classes).toHaveLength(300);
    cache.close();
  });

  it('streams many appends and lays the file out as documented', async () => {
    const file = tmp.path('dataset.bin');
    const writer = await createDatasetCacheWriter(file, { size: 8, channels: 3, classes: ['x', 'y'] });
    // 25,000 × 192 B = 4.8 MB: crosses the writer's 4 MB chunk boundary.
    for (let i = 0; i < 25_000; i += 1) await writer.append(pattern(i, 192), i & 1);
    expect(existsSync(file)).toBe(false); // nothing visible until finish
    expect(await writer.finish()).toBe(25_000);
    const bytes = readFileSync(file);
    expect(bytes.toString('latin1', 0, 8)).toBe('GNVSDATA');
    const headerBytes = bytes.readUInt32LE(12);
    expect(bytes.readUInt32LE(16)).toBe(25_000);
    expect(bytes.length).toBe(headerBytes + 25_000 * 192 + 25_000);
    expect(Array.from(bytes.subarray(headerBytes + 24_999 * 192, headerBytes + 25_000 * 192))).toEqual(Array.from(pattern(24_999, 192)));
    expect(Array.from(bytes.subarray(bytes.length - 2))).toEqual([0, 1]); // labels of images 24,998 and 24,999
  });

  it('writes images larger than its 4 MB write chunk', async () => {
    const file = tmp.path('big.bin');
    const bytes = 1200 * 1200 * 3;
    await writeDatasetCache(file, { size: 1200, channels: 3, classes: [] }, [{ image: pattern(1, bytes) }, { image: pattern(2, bytes) }]);
    const cache = openDatasetCache(file, { inMemoryLimitBytes: 0 });
    expect(Buffer.from(cache.readUint8(1)).equals(Buffer.from(pattern(2, bytes)))).toBe(true);
    cache.close();
  });

  it('validates appended images and labels', async () => {
    const writer = await createDatasetCacheWriter(tmp.path('d.bin'), { size: 2, channels: 1, classes: ['a', 'b'] });
    await expect(writer.append(new Uint8Array(3), 0)).rejects.toThrow(/3 bytes, expected 4/);
    await expect(writer.append(new Uint8Array(4), 2)).rejects.toThrow(/label 2 out of range 0\.\.1/);
    await writer.abort();
    const unlabelled = await createDatasetCacheWriter(tmp.path('u.bin'), { size: 2, channels: 1, classes: [] });
    await expect(unlabelled.append(new Uint8Array(4), 1)).rejects.toThrow(/out of range 0\.\.0/);
    await unlabelled.abort();
    await expect(createDatasetCacheWriter(tmp.path('c.bin'), { size: 2, channels: 2 as 1, classes: [] })).rejects.toThrow(/channel/);
  });

  it('writes atomically: an aborted or failed write leaves the previous cache intact and no temp files', async () => {
    const file = tmp.path('dataset.bin');
    await writeSample(file, 5);
    const before = readFileSync(file);
    const writer = await createDatasetCacheWriter(file, { size: 4, channels: 3, classes: [] });
    await writer.append(pattern(0, 48));
    await writer.abort();
    async function* failing() {
      yield { image: pattern(0, 48) };
      throw new Error('source broke');
    }
    await expect(writeDatasetCache(file, { size: 4, channels: 3, classes: [] }, failing())).rejects.toThrow('source broke');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual(['dataset.bin']);
  });
});

describe('dataset cache errors', () => {
  async function corrupt(edit: (b: Buffer) => Buffer): Promise<string> {
    const file = tmp.path('dataset.bin');
    await writeSample(file, 4);
    writeFileSync(file, edit(readFileSync(file)));
    return file;
  }

  it('names a missing file', () => {
    expect(() => openDatasetCache(tmp.path('nope.bin'))).toThrow(/cannot open dataset cache .*nope\.bin: ENOENT/);
  });

  it('rejects a file that is not a cache', async () => {
    const file = await corrupt((b) => Buffer.concat([Buffer.from('PK\u0003\u0004'), b.subarray(4)]));
    expect(() => openDatasetCache(file)).toThrow(/not a Ganvas dataset cache \(bad magic\)/);
    writeFileSync(file, '');
    expect(() => openDatasetCache(file)).toThrow(/not a Ganvas dataset cache/);
  });

  it('rejects a newer format version with an upgrade hint', async () => {
    const file = await corrupt((b) => {
      b.writeUInt32LE(2, 8);
      return b;
    });
    expect(() => openDatasetCache(file)).toThrow(/newer Ganvas \(dataset cache version 2, this build reads up to 1\)/);
  });

  it('rejects a corrupt header field', async () => {
    const file = await corrupt((b) => {
      b.writeUInt32LE(2, 24); // channels = 2
      return b;
    });
    expect(() => openDatasetCache(file)).toThrow(/corrupt dataset cache \(inconsistent header\)/);
  });

  it('rejects corrupt class names', async () => {
    const file = await corrupt((b) => {
      b.write('{', 36, 'latin1'); // class-names JSON starts at byte 36
      return b;
    });
    expect(() => openDatasetCache(file)).toThrow(/corrupt dataset cache \(bad class names\)/);
  });

  it('rejects a truncated file and trailing garbage', async () => {
    const file = await corrupt((b) => b.subarray(0, b.length - 10));
    expect(() => openDatasetCache(file)).toThrow(/truncated \(\d+ of \d+ bytes\)/);
    const cut = await corrupt((b) => b.subarray(0, 40)); // inside the class-names JSON
    expect(() => openDatasetCache(cut)).toThrow(/truncated \(header cut short\)/);
    const longer = await corrupt((b) => Buffer.concat([b, Buffer.alloc(3)]));
    expect(() => openDatasetCache(longer)).toThrow(/3 unexpected trailing bytes/);
  });

  it('rejects a label outside the class list', async () => {
    const file = await corrupt((b) => {
      b[b.length - 1] = 9;
      return b;
    });
    expect(() => openDatasetCache(file)).toThrow(/label 9 at image 3, only 3 classes/);
  });
});
