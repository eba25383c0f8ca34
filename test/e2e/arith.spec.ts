import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import omggif from 'omggif';
import { expect, test } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

const CONCEPTS = ['smiling woman', 'neutral woman', 'neutral man'];

/** Opens the arithmetic tab and waits for the gallery's fresh tiles. */
async function openArith(page: Page) {
  await page.getByTestId('tab-arith').click();
  const tiles = page.getByTestId('arith-panel').getByTestId('gallery-fresh').getByTestId('gallery-tile');
  await expect(tiles).toHaveCount(16);
  await expect(tiles.first().locator('img')).toHaveAttribute('src', /^data:image\/png;base64,/);
  return tiles;
}

/** The paper's protocol: three concepts of three samples each, every sample dragged from the gallery. */
async function buildConcepts(page: Page) {
  const tiles = await openArith(page);
  for (const [k, name] of CONCEPTS.entries()) {
    await page.getByTestId('concept-new-name').fill(name);
    await page.getByTestId('concept-add').click();
    const bucket = page.locator(`[data-testid="concept"][data-symbol="${'ABC'[k]}"]`);
    await expect(bucket.getByTestId('concept-name')).toHaveText(name);
    for (let j = 0; j < 3; j++) {
      await tiles.nth(k * 3 + j).dragTo(bucket);
      await expect(bucket).toHaveAttribute('data-count', String(j + 1));
    }
    await expect(bucket.getByTestId('concept-member').locator('img')).toHaveCount(3);
  }
}

const cellSources = (page: Page) => page.getByTestId('arith-cell').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src')));

test('should build three concepts by drag and drop and compose the 3x3 grid beside the pixel-space result', async ({ app }) => {
  const { page } = app;
  const dir = await createMnistProject(app);
  await trainSteps(page, 60); // enough for digit-like blobs in the screenshot
  await buildConcepts(page);

  await expect(page.getByTestId('expression')).toHaveValue('A - B + C');
  await expect(page.getByTestId('expression-status')).toContainText('mean(smiling woman) − mean(neutral woman) + mean(neutral man)');
  await page.getByTestId('compose').click();

  const result = page.getByTestId('arith-result');
  await expect(result).toHaveAttribute('data-expression', 'A - B + C');
  await expect(result).toHaveAttribute('data-noise', '0.25');
  await expect(page.getByTestId('arith-cell')).toHaveCount(9);
  await expect(page.getByTestId('arith-term')).toHaveCount(3);
  await expect(page.getByTestId('arith-term').first().locator('.members img')).toHaveCount(3);
  await expect(page.getByTestId('arith-pixel')).toHaveAttribute('src', /^data:image\/png;base64,/);
  // Noise around the centre: the 8 neighbours differ from G(Y) and from each other.
  const cells = await cellSources(page);
  expect(new Set(cells).size).toBe(9);

  const saved = JSON.parse(readFileSync(join(dir, 'concepts.json'), 'utf8'));
  expect(saved.concepts.map((c: { symbol: string; name: string; members: unknown[] }) => [c.symbol, c.name, c.members.length])).toEqual([
    ['A', 'smiling woman', 3],
    ['B', 'neutral woman', 3],
    ['C', 'neutral man', 3],
  ]);
  await page.getByTestId('expression-editor').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await app.screenshot('30-arith-grid');
});

test('should reseed and rescale the noise around a fixed centre', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  await buildConcepts(page);
  await page.getByTestId('compose').click();
  const result = page.getByTestId('arith-result');
  await expect(result).toHaveAttribute('data-noise-seed', '0');
  const before = await cellSources(page);

  await page.getByTestId('reseed').click();
  await expect(result).not.toHaveAttribute('data-noise-seed', '0');
  const after = await cellSources(page);
  expect(after[4]).toBe(before[4]); // G(Y) itself does not move
  expect(after.filter((src, i) => i !== 4 && src !== before[i]).length).toBe(8);

  // Noise 0 by keyboard: nine copies of G(Y).
  await page.getByTestId('noise-slider').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('noise-value')).toHaveText('±0.00');
  await expect(result).toHaveAttribute('data-noise', '0');
  expect(new Set(await cellSources(page))).toEqual(new Set([before[4]]));
});

test('should validate a typed expression and compose weighted concepts', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  await buildConcepts(page);
  const input = page.getByTestId('expression');
  const status = page.getByTestId('expression-status');

  await input.fill('A * B');
  await expect(status).toContainText('two concepts cannot be multiplied');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('compose')).toBeDisabled();
  await input.fill('A - D');
  await expect(status).toContainText("no concept called 'D'");

  // Keyboard only: type, then Enter composes. Names work as well as letters.
  await input.fill('');
  await input.pressSequentially('0.5*A + 0.5*"neutral man"');
  await expect(status).toContainText('0.5·mean(smiling woman) + 0.5·mean(neutral man)');
  await expect(page.locator('[data-testid="concept"][data-symbol="B"]').getByTestId('concept-weight')).toHaveCount(0);
  await input.press('Enter');
  await expect(page.getByTestId('arith-result')).toHaveAttribute('data-expression', '0.5*A + 0.5*C');
  await expect(page.getByTestId('arith-term')).toHaveCount(2);
});

test('should apply a direction to a sample with a strength and export the walk as a GIF', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  await buildConcepts(page);
  const tiles = page.getByTestId('arith-panel').getByTestId('gallery-fresh').getByTestId('gallery-tile');

  // Defaults: towards A, away from B; the base is dropped from the gallery.
  await expect(page.getByTestId('direction-a')).toHaveValue(/.+/);
  await tiles.nth(12).dragTo(page.getByTestId('direction-base'));
  await expect(page.getByTestId('direction-base')).toHaveAttribute('data-has-base', 'true');
  const frames = page.getByTestId('direction-frame');
  await expect(frames).toHaveCount(7);
  await expect(frames.first()).toHaveAttribute('alt', 'strength 0');
  await expect(frames.last()).toHaveAttribute('alt', 'strength 1.5');
  await expect(page.getByTestId('direction-norm')).toContainText('|d| =');

  await page.getByTestId('strength-slider').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('strength-value')).toHaveText('3.0');
  await expect(frames.last()).toHaveAttribute('alt', 'strength 3');
  await app.screenshot('31-arith-direction');

  const out = join(app.workDir, 'turn.gif');
  await app.answerSaveDialog(out);
  await page.getByTestId('direction-export-gif').click();
  await expect(page.getByTestId('direction-export-gif')).toBeVisible(); // export finished
  await expect.poll(() => existsSync(out)).toBe(true);
  const gif = new omggif.GifReader(new Uint8Array(readFileSync(out)));
  // 25 frames base -> base + 3d, played back without repeating the ends: 48 frames, 28px x4.
  expect([gif.numFrames(), gif.width, gif.height]).toEqual([48, 112, 112]);
});

test('should keep concepts across a restart, and rename, edit and delete them', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app, 'Arith restart');
  await buildConcepts(page);

  await app.restart();
  await app.page.getByTestId('recent-project').first().click();
  const tiles = await openArith(app.page);
  const p = app.page;
  const buckets = p.getByTestId('concept');
  await expect(buckets).toHaveCount(3);
  await expect(buckets.nth(2).getByTestId('concept-member').locator('img')).toHaveCount(3);

  await buckets.nth(0).getByTestId('concept-name').click();
  await p.getByTestId('concept-name-input').fill('smiling');
  await p.keyboard.press('Enter');
  await expect(buckets.nth(0).getByTestId('concept-name')).toHaveText('smiling');

  await buckets.nth(0).getByTestId('concept-member-remove').first().click();
  await expect(buckets.nth(0)).toHaveAttribute('data-count', '2');
  // Keyboard path: "add picks" makes gallery clicks (or Enter on a tile) add to the concept.
  await buckets.nth(0).getByTestId('concept-target').click();
  await tiles.nth(15).getByTestId('gallery-pick').focus();
  await p.keyboard.press('Enter');
  await expect(buckets.nth(0)).toHaveAttribute('data-count', '3');
  await expect(tiles.nth(15).getByTestId('pick-badge')).toHaveText('3');

  await buckets.nth(1).getByTestId('concept-delete').click();
  await p.locator('dialog[open]').getByTestId('confirm').click();
  await expect(buckets).toHaveCount(2);
  await expect(p.getByTestId('expression-status')).toContainText("no concept called 'B'");
});
