/**
 * Issue 14's leftovers: one export path (save dialog, engine writes, toast with Show in folder),
 * galleries that scroll in their own panel beside the drop targets, the training grid at a
 * whole-number scale in a small window, results captioned with their settings, and the wizard's
 * data check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { writeImage } from '../fixtures/data-images';
import { expect, test, type GanvasApp } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

/** Saves through the (stand-in) save dialog, then checks the toast and its Show in folder. */
async function exportVia(app: GanvasApp, button: Locator, file: string): Promise<void> {
  await app.answerSaveDialog(file);
  await button.click();
  const toast = app.page.getByTestId('toast-info').filter({ hasText: file });
  await expect(toast).toBeVisible();
  const before = (await app.shownInFolder()).length;
  await toast.getByTestId('toast-action').click();
  await expect.poll(async () => (await app.shownInFolder()).slice(before)).toEqual([file]);
}

/** The PNG at `file`, decoded: its size and grey value at (x, y). */
async function decoded(file: string) {
  const { data, info } = await sharp(readFileSync(file)).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, at: (x: number, y: number) => data[(y * info.width + x) * info.channels] };
}

/** Neither the window nor the app's scrolling main area has scrolled. */
async function expectPageAtTop(page: Page): Promise<void> {
  const scrolled = await page.evaluate(() => {
    const g = globalThis as unknown as { scrollY: number; document: { querySelector(s: string): { scrollTop: number } } };
    return [g.scrollY, g.document.querySelector('main').scrollTop];
  });
  expect(scrolled).toEqual([0, 0]);
}

/** `target` lies wholly inside the window. */
async function expectInWindow(page: Page, target: Locator): Promise<{ x: number; y: number }> {
  const box = (await target.boundingBox())!;
  const { width, height } = page.viewportSize()!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(height);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  return { x: Math.round(box.x), y: Math.round(box.y) };
}

/** Scrolls the gallery's own panel to its last tile: the page must not move. */
async function lastTileInView(page: Page, panel: Locator): Promise<Locator> {
  const last = panel.getByTestId('gallery-fresh').getByTestId('gallery-tile').last();
  await last.scrollIntoViewIfNeeded();
  await expectPageAtTop(page);
  await expectInWindow(page, last);
  return last;
}

test('should export the sample grid and the arithmetic grid as PNG files and show them in their folder', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app, 'Exports');
  await trainSteps(page, 10);

  const gridFile = join(app.workDir, 'grid.png');
  await exportVia(app, page.getByTestId('grid-export'), gridFile);
  const grid = await decoded(gridFile);
  // The 8x8 grid of 28 px tiles is saved at 2x (484 px); the export doubles it to pass 512 px, crisply.
  expect([grid.width, grid.height]).toEqual([968, 968]);
  for (const [x, y] of [
    [10, 10],
    [100, 60],
    [400, 333],
  ])
    expect(grid.at(x + 1, y)).toBe(grid.at(x, y));
  test.info().annotations.push({ type: 'grid export', description: `${grid.width}×${grid.height}` });

  await test.step('a walk GIF ends the same way: a toast naming the file, with Show in folder', async () => {
    await page.getByTestId('tab-latent').click();
    const fresh = page.getByTestId('latent-panel').getByTestId('gallery-fresh').getByTestId('gallery-tile');
    await fresh.nth(0).getByTestId('gallery-pick').click();
    await fresh.nth(1).getByTestId('gallery-pick').click();
    await page.getByTestId('walk-frames').fill('2');
    await page.getByTestId('walk-build').click();
    await expect(page.getByTestId('walk-frame')).toBeVisible();
    await page.getByTestId('export-format').selectOption('gif');
    await exportVia(app, page.getByTestId('export-walk'), join(app.workDir, 'walk.gif'));
  });

  await page.getByTestId('tab-arith').click();
  const tiles = page.getByTestId('arith-panel').getByTestId('gallery-fresh').getByTestId('gallery-tile');
  await expect(tiles).toHaveCount(16);
  await page.getByTestId('concept-new-name').fill('one');
  await page.getByTestId('concept-add').click();
  await tiles.nth(0).dragTo(page.getByTestId('concept').first());
  await page.getByTestId('expression').fill('A');
  await page.getByTestId('compose').click();
  await expect(page.getByTestId('arith-cell')).toHaveCount(9);
  const arithFile = join(app.workDir, 'arith.png');
  await exportVia(app, page.getByTestId('arith-save-grid'), arithFile);
  const arith = await decoded(arithFile);
  expect(arith.width).toBeGreaterThanOrEqual(512);

  await test.step('a file no save dialog answered is never shown: the toast is the only way', async () => {
    const refused = await page.evaluate(
      (p) =>
        (globalThis as unknown as { ganvas: { showInFolder(i: { path: string }): Promise<boolean> } }).ganvas
          .showInFolder({ path: p })
          .then(
            () => 'shown',
            (e: Error) => e.message,
          ),
      join(app.workDir, 'state'),
    );
    expect(refused).toMatch(/Only a file this window saved/);
  });
});

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
]) {
  test(`should scroll the gallery in its own panel beside the drop targets at ${size.width}×${size.height}`, async ({ app }) => {
    const { page } = app;
    await page.setViewportSize(size);
    await createMnistProject(app, 'Panels');
    await trainSteps(page, 5);

    await page.getByTestId('tab-latent').click();
    const latent = page.getByTestId('latent-panel');
    await latent.getByTestId('gallery-count').selectOption('64');
    await expect(latent.getByTestId('gallery-fresh').getByTestId('gallery-tile')).toHaveCount(64);
    const endpoints = page.getByTestId('walk-endpoints');
    const at = await expectInWindow(page, endpoints);
    const last = await lastTileInView(page, latent);
    await last.dragTo(endpoints);
    await expect(endpoints).toHaveAttribute('data-count', '1');
    await expectPageAtTop(page);
    test.info().annotations.push({ type: `walk endpoints ${size.width}`, description: `at ${at.x},${at.y}` });

    await page.getByTestId('tab-arith').click();
    const arith = page.getByTestId('arith-panel');
    await arith.getByTestId('gallery-count').selectOption('64');
    await expect(arith.getByTestId('gallery-fresh').getByTestId('gallery-tile')).toHaveCount(64);
    await page.getByTestId('concept-new-name').fill('far');
    await page.getByTestId('concept-add').click();
    const bucket = page.getByTestId('concept').first();
    const bucketAt = await expectInWindow(page, bucket);
    const lastArith = await lastTileInView(page, arith);
    await lastArith.dragTo(bucket);
    await expect(bucket).toHaveAttribute('data-count', '1');
    await expectPageAtTop(page);
    test.info().annotations.push({ type: `arith bucket ${size.width}`, description: `at ${bucketAt.x},${bucketAt.y}` });
    await app.screenshot(`ux2-arith-panel-${size.width}`);
  });
}

test('should draw the training grid at a whole-number scale of at least 1 in a 1024×700 window', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 1024, height: 700 });
  await createMnistProject(app, 'Small window');
  await trainSteps(page, 5);
  const image = page.getByTestId('sample-grid-image');
  await expect(image).toHaveAttribute('data-scale', /^[1-9]\d*$/);
  const [natural, drawn] = await image.evaluate((el) => [
    (el as unknown as { naturalWidth: number }).naturalWidth,
    el.getBoundingClientRect().width,
  ]);
  const scale = Number(await image.getAttribute('data-scale'));
  expect(drawn).toBeCloseTo(natural * scale, 0);
  test.info().annotations.push({ type: 'grid scale 1024', description: `${scale}× (${natural} → ${drawn} px)` });
  await app.screenshot('ux2-training-1024');
});

test('should caption an evaluation with its settings and show them in the form after reopening', async ({ app }) => {
  // app.page: the page is a new one after the restart.
  await createMnistProject(app, 'Settings');
  await trainSteps(app.page, 5);
  const settings = '64 samples against 1,000 training images, checkpoint step 5';
  const openMemorisation = async () => {
    await app.page.getByTestId('tab-evaluate').click();
    await app.page.getByTestId('eval-tab-memorisation').click();
  };
  await openMemorisation();
  // Not the defaults (128 and 10,000): the caption and the form must say what was run.
  await app.page.getByTestId('eval-mem-samples').selectOption('64');
  await app.page.getByTestId('eval-mem-reference').selectOption('1000');
  await app.page.getByTestId('eval-mem-run').click();
  await expect(app.page.getByTestId('eval-mem-result-settings')).toHaveText(settings);
  await expect(app.page.getByTestId('eval-mem-settings')).toHaveText(`Last checked: ${settings}`);

  await app.restart();
  await app.page.getByTestId('recent-project').click();
  await openMemorisation();
  await expect(app.page.getByTestId('eval-mem-settings')).toHaveText(`Last checked: ${settings}`);
  await expect(app.page.getByTestId('eval-mem-samples')).toHaveValue('64');
  await expect(app.page.getByTestId('eval-mem-reference')).toHaveValue('1000');
});

test('should warn before a colour folder is made grey, offer the matching preset, and refuse relative paths with a reason', async ({
  app,
}) => {
  const { page } = app;
  const images = join(app.workDir, 'colour-32');
  for (let i = 0; i < 24; i++) await writeImage(join(images, `c${i}.png`), 32, 32, (x, y) => [(x * 8 + i) % 256, (y * 8) % 256, 200]);
  await page.getByTestId('new-project').click();
  await page.getByTestId('project-name').fill('Colour');

  await test.step('a relative project folder is refused under the field, and Create says why it is disabled', async () => {
    await page.getByTestId('project-dir').fill('my-projects/colour');
    await expect(page.getByTestId('project-dir-problem')).toContainText('is a relative path: type the full path');
    await expect(page.getByTestId('project-dir')).toHaveAttribute('aria-invalid', 'true');
    const create = page.getByTestId('create-project');
    await expect(create).toBeDisabled();
    await expect(page.getByTestId('create-blocker')).toHaveText('The project folder needs a full path.');
    await expect(create).toHaveAttribute('aria-describedby', 'create-blocker');
    await page.getByTestId('project-dir').fill(join(app.workDir, 'colour'));
    await expect(page.getByTestId('project-dir-problem')).toBeHidden();
  });

  await test.step('a colour folder under the grey MNIST preset is warned about, and one click picks 32×32 colour', async () => {
    await page.getByTestId('dataset-folder').check();
    await expect(page.getByTestId('create-blocker')).toHaveText('Choose the folder of images first.');
    await page.getByTestId('preset-mnist').check();
    await page.getByTestId('dataset-path').fill(images);
    await page.getByTestId('dataset-path').press('Tab');
    const advice = page.getByTestId('preset-advice');
    await expect(advice).toContainText('mostly 32×32 colour images');
    await expect(advice).toContainText('lose their colour and be downscaled from 32 px to 28 px');
    await app.screenshot('ux2-wizard-preset-advice');
    await advice.getByTestId('preset-advice-apply').click();
    await expect(page.getByTestId('preset-small32')).toBeChecked();
    // The folder is checked again for the new preset, and then nothing is left to warn about.
    await expect(page.getByTestId('folder-check-run')).toHaveText('Check again');
    await expect(advice).toBeHidden();
    await expect(page.getByTestId('create-project')).toBeEnabled();
    await expect(page.getByTestId('create-blocker')).toBeHidden();
  });
});
