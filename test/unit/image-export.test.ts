/**
 * saveImage and "Show in folder" through the same dispatch and path grants the desktop uses:
 * a PNG lands only where a save dialog answered, enlarged crisply; the file manager is shown
 * only a file this window wrote.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, PathGrants, type EngineHost } from '../../src-main/engine/api/engine-api';
import { autoScale } from '../../src-main/engine/latent/export/image-export';
import { fromWire } from '../../src-main/shared/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-image-export-'));
let engine: EngineHost;
const shown: string[] = [];
/** The shell's stand-in: a save dialog answering `saveAnswer`, a file manager recording what it shows. */
let saveAnswer: string | null = null;
const shell = async (name: string, args: unknown) => {
  if (name === 'chooseSaveFile') return saveAnswer;
  if (name === 'showInFolder') return shown.push((args as { path: string }).path) > 0;
  return null;
};
const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => fromWire(e));

/** A 3x2 grey PNG: a bright pixel at (0,0), the rest dark. */
async function tinyPng(): Promise<string> {
  const data = Buffer.from([250, 10, 10, 10, 10, 10]);
  return (await sharp(data, { raw: { width: 3, height: 2, channels: 1 } }).png().toBuffer()).toString('base64');
}

async function saveTo(out: string, extra: Record<string, unknown> = {}) {
  saveAnswer = out;
  await engine.call('chooseSaveFile', { defaultName: path.basename(out) }, shell);
  return engine.call('saveImage', { png: await tinyPng(), out, ...extra });
}

beforeAll(() => {
  engine = createEngine({ stateDir: path.join(root, 'state'), channel: 'in-process', guard: new PathGrants({ confirm: async () => false }) });
});

afterAll(async () => {
  await engine.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('saveImage', () => {
  it('should pick the smallest whole-number scale that reaches 512 px, from 1 to 8', () => {
    expect(autoScale(242, 242)).toBe(3);
    expect(autoScale(28, 28)).toBe(8);
    expect(autoScale(600, 300)).toBe(1);
    expect(autoScale(512, 100)).toBe(1);
  });

  it('should write the PNG where the save dialog answered, enlarged with square pixels', async () => {
    const out = path.join(root, 'grid.png');
    const result = await saveTo(out, { scale: 4 });
    expect(result).toMatchObject({ file: out, width: 12, height: 8, scale: 4 });
    const { data, info } = await sharp(fs.readFileSync(out)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([12, 8]);
    const at = (x: number, y: number) => data[(y * info.width + x) * info.channels];
    // The bright pixel became a 4x4 block; its neighbour is still dark (nearest neighbour, no blur).
    expect([at(0, 0), at(3, 3), at(4, 0), at(0, 4)]).toEqual([250, 250, 10, 10]);
  });

  it('should enlarge by autoScale when no scale is given', async () => {
    expect(await saveTo(path.join(root, 'auto.png'))).toMatchObject({ width: 24, height: 16, scale: 8 });
  });

  it('should refuse bytes that are not a PNG, and a file no save dialog answered', async () => {
    const out = path.join(root, 'bad.png');
    saveAnswer = out;
    await engine.call('chooseSaveFile', {}, shell);
    const notPng = await failure(engine.call('saveImage', { png: Buffer.from('GIF89a fake').toString('base64'), out }));
    expect(notPng).toMatchObject({ code: 'invalid', message: 'The image to save is not a PNG' });
    expect(fs.existsSync(out)).toBe(false);
    const unasked = await failure(engine.call('saveImage', { png: await tinyPng(), out: path.join(root, 'unasked.png') }));
    expect(unasked?.code).toBe('refused');
    expect(fs.existsSync(path.join(root, 'unasked.png'))).toBe(false);
  });
});

describe('showInFolder', () => {
  it('should show a file this window saved', async () => {
    const out = path.join(root, 'shown.png');
    await saveTo(out);
    await expect(engine.call('showInFolder', { path: out }, shell)).resolves.toBe(true);
    expect(shown).toContain(out);
  });

  it('should refuse any other path, without reaching the shell', async () => {
    const before = shown.length;
    for (const p of [path.join(os.homedir(), '.ssh'), path.join(root, 'never-saved.png'), 'relative.png']) {
      expect((await failure(engine.call('showInFolder', { path: p }, shell)))?.code).toBe('refused');
    }
    expect(shown).toHaveLength(before);
  });
});
