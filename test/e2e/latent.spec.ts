import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import omggif from 'omggif';
import type { GanvasBridge } from '../../src-main/shared/contract';
import { expect, test } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

test('should pick two gallery samples, play the walk between them and export it as a GIF', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  await trainSteps(page, 10);
  await page.getByTestId('tab-latent').click();

  const tiles = page.getByTestId('gallery-fresh').getByTestId('gallery-tile');
  await expect(tiles).toHaveCount(16);
  await expect(tiles.first().locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/);
  await expect(page.getByTestId('walk-build')).toBeDisabled();

  // Click two samples: they become endpoints 1 and 2.
  await tiles.nth(0).getByTestId('gallery-pick').click();
  await tiles.nth(5).getByTestId('gallery-pick').click();
  await expect(tiles.nth(0).getByTestId('pick-badge')).toHaveText('1');
  await expect(tiles.nth(5).getByTestId('pick-badge')).toHaveText('2');
  await expect(page.getByTestId('walk-endpoints')).toHaveAttribute('data-count', '2');

  await page.getByTestId('walk-frames').fill('8');
  await page.getByTestId('walk-build').click();
  const counter = page.getByTestId('walk-counter');
  await expect(counter).toHaveAttribute('data-total', '9');
  await expect(counter).toHaveAttribute('data-rendered', '9');

  // It plays: the shown frame changes by itself.
  const frame = page.getByTestId('walk-frame');
  await expect(page.getByTestId('walk-play')).toHaveAttribute('data-playing', 'true');
  const seen = new Set<string>();
  await expect.poll(async () => seen.add((await frame.getAttribute('data-frame')) ?? '').size, { timeout: 10_000 }).toBeGreaterThan(3);

  // Pause and scrub with the keyboard.
  await page.getByTestId('walk-play').click();
  await expect(page.getByTestId('walk-play')).toHaveAttribute('data-playing', 'false');
  await page.getByTestId('walk-scrubber').focus();
  await page.keyboard.press('End');
  await expect(frame).toHaveAttribute('data-frame', '8');
  await page.keyboard.press('Home');
  await expect(frame).toHaveAttribute('data-frame', '0');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(frame).toHaveAttribute('data-frame', '4');
  await page.getByTestId('tab-latent').evaluate((tab) => tab.scrollIntoView({ block: 'start' }));
  await app.screenshot('20-latent-walk');

  // Export through the (answered) save dialog: 9 frames, 2x scale, 12 fps, looping.
  const out = join(app.workDir, 'walk.gif');
  await app.answerSaveDialog(out);
  await page.getByTestId('export-format').selectOption('gif');
  await page.getByTestId('export-scale').selectOption('2');
  await page.getByTestId('export-walk').click();
  await expect(page.getByTestId('export-result')).toHaveAttribute('data-file', out);
  expect(existsSync(out)).toBe(true);
  const gif = new omggif.GifReader(new Uint8Array(readFileSync(out)));
  expect([gif.numFrames(), gif.width, gif.height, gif.loopCount(), gif.frameInfo(0).delay]).toEqual([9, 56, 56, 0, 8]);
  await app.screenshot('21-latent-walk-exported');
});

test('should pin, rename and delete gallery samples, kept in the project', async ({ app }) => {
  const { page } = app;
  const dir = await createMnistProject(app);
  await page.getByTestId('tab-latent').click();
  const fresh = page.getByTestId('gallery-fresh').getByTestId('gallery-tile');
  await expect(fresh).toHaveCount(16);

  await fresh.nth(2).getByTestId('gallery-pin').click();
  const saved = page.getByTestId('gallery-saved').getByTestId('gallery-tile');
  await expect(saved).toHaveCount(1);
  await expect(saved.first()).toHaveAttribute('data-pinned', 'true');
  await expect(fresh).toHaveCount(15);

  await saved.first().getByTestId('gallery-rename').click();
  await page.getByTestId('gallery-rename-input').fill('my favourite');
  await page.keyboard.press('Enter');
  await expect(saved.first()).toContainText('my favourite');
  const gallery = JSON.parse(readFileSync(join(dir, 'gallery.json'), 'utf8'));
  expect(gallery.samples.map((s: { name: string; pinned: boolean }) => [s.name, s.pinned])).toEqual([['my favourite', true]]);

  // New samples replace the fresh page; the saved one stays.
  const seedBefore = await page.getByTestId('gallery').getAttribute('data-seed');
  await page.getByTestId('gallery-regenerate').click();
  await expect(page.getByTestId('gallery')).not.toHaveAttribute('data-seed', seedBefore!);
  await expect(saved).toHaveCount(1);
  await app.screenshot('22-latent-gallery');

  await saved.first().getByTestId('gallery-delete').click();
  await expect(saved).toHaveCount(0);
});

test('should walk from seed and concept endpoints, and sweep one dimension with ping-pong', async ({ app }) => {
  const { page } = app;
  const dir = await createMnistProject(app);
  // A concept as the arithmetic tab saves it (two samples' z), made through the same API.
  await page.evaluate(async (project) => {
    const z = (s: number) => Array.from({ length: 100 }, (_, i) => Math.sin(i * s));
    const { ganvas } = globalThis as unknown as { ganvas: GanvasBridge };
    await ganvas.conceptCreate({ dir: project, name: 'wavy', members: [{ z: z(1) }, { z: z(2) }] });
  }, dir);
  await page.getByTestId('tab-latent').click();

  await page.getByTestId('walk-seed-input').fill('42');
  await page.getByTestId('walk-add-seed').click();
  await page.getByTestId('walk-concept').selectOption({ label: 'A · wavy (2)' });
  await page.getByTestId('walk-add-concept').click();
  const endpoints = page.getByTestId('walk-endpoint');
  await expect(endpoints).toHaveCount(2);
  await expect(endpoints.nth(1)).toContainText('A · wavy');
  await expect(endpoints.nth(1).locator('img')).toHaveAttribute('src', /^data:image\/png/);
  await page.getByTestId('walk-frames').fill('4');
  await page.getByTestId('walk-loop').check();
  await page.getByTestId('walk-build').click();
  await expect(page.getByTestId('walk-counter')).toHaveAttribute('data-rendered', '8');

  // Sweep z[7] of the first endpoint from -3 to 3 in 5 frames; ping-pong plays 8 positions.
  await page.getByTestId('walk-kind-sweep').click();
  await page.getByTestId('walk-dim').fill('7');
  await page.getByTestId('walk-sweep-frames').fill('5');
  await page.getByTestId('walk-build').click();
  await expect(page.getByTestId('walk-counter')).toHaveAttribute('data-rendered', '5');
  await page.getByTestId('walk-pingpong').check();
  await page.getByTestId('walk-scrubber').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('walk-frame')).toHaveAttribute('data-frame', '1');
  await expect(page.getByTestId('walk-scrubber')).toHaveAttribute('max', '7');
});
