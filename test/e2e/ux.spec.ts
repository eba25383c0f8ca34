import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { createMnistProject, expectState, trainSteps } from './steps';

/** The image's drawn size is its own size times a whole number (nearest-neighbour, no blur). */
async function expectIntegerScale(image: Locator): Promise<number> {
  await expect(image).toHaveAttribute('data-scale', /^\d+$/);
  const [natural, drawn] = await image.evaluate((el) => [
    (el as unknown as { naturalWidth: number }).naturalWidth,
    el.getBoundingClientRect().width,
  ]);
  const scale = Number(await image.getAttribute('data-scale'));
  expect(scale).toBeGreaterThanOrEqual(1);
  expect(drawn).toBeCloseTo(natural * scale, 0);
  return scale;
}

/** `inner` lies wholly inside `outer` on screen (nothing cropped). */
async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const a = (await inner.boundingBox())!;
  const b = (await outer.boundingBox())!;
  expect(a.x).toBeGreaterThanOrEqual(b.x - 0.5);
  expect(a.y).toBeGreaterThanOrEqual(b.y - 0.5);
  expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width + 0.5);
  expect(a.y + a.height).toBeLessThanOrEqual(b.y + b.height + 0.5);
}

test('should put images first and large, explain the charts, summarise the last run and keep no stale messages', async ({ app }) => {
  const { page } = app;
  await page.setViewportSize({ width: 1440, height: 900 });
  await createMnistProject(app, 'Looks');
  const losses = page.getByTestId('chart-losses');
  const outputs = page.getByTestId('chart-outputs');

  await test.step('one logged point shows as dots on titled axes, and the idle panel summarises the run', async () => {
    await expect(page.getByTestId('run-summary')).toContainText('Not trained yet');
    await trainSteps(page, 5); // logEvery is 5: one metric row
    await expect(losses).toHaveAttribute('data-points', '1');
    await expect(losses.locator('circle')).toHaveCount(2);
    await expect(losses.locator('text.axis-title')).toHaveText(['loss', 'training step']);
    await expect(outputs.locator('text.axis-title')).toHaveText(["D's probability", 'training step']);
    await expect(page.getByTestId('run-summary')).toHaveText(/finished · checkpoint at step 5/);
  });

  await test.step('after Stop the panel says stopped and where the checkpoint is', async () => {
    await page.getByTestId('train-unit').selectOption('forever');
    await page.getByTestId('start').click();
    await expect.poll(async () => Number(await page.getByTestId('progress').getAttribute('data-step'))).toBeGreaterThan(20);
    await page.getByTestId('stop').click();
    await expectState(page, 'idle');
    await expect(page.getByTestId('training-state')).toHaveText('Stopped');
    const step = await page.getByTestId('progress').getAttribute('data-step');
    await expect(page.getByTestId('run-summary')).toHaveText(`stopped · checkpoint at step ${step}`);
    await page.getByTestId('train-unit').selectOption('steps');
    await expect(losses.locator('circle')).toHaveCount(0);
  });

  await test.step('the tooltip shows smoothed and raw values; log ticks are 1-2-5; the charts zoom together', async () => {
    const plot = (await losses.locator('svg').boundingBox())!;
    await page.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2);
    const readout = losses.getByRole('status');
    await expect(readout).toContainText('smoothed (raw)');
    await expect(readout).toContainText(/D loss \d\.\d+ \(\d\.\d+\)/);
    await page.getByTestId('log-scale').check();
    const yTicks = await losses.locator('g.axis.y text.tick').allTextContents();
    const leading = new Set(yTicks.map((t) => t.replace(/[^1-9]/g, '')[0]));
    expect([...leading].sort()).toEqual(['1', '2', '5']);
    await page.getByTestId('log-scale').uncheck();
    await page.mouse.move(plot.x + plot.width / 2, plot.y + plot.height / 2);
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -200);
    await expect(losses.getByTestId('reset-zoom')).toBeVisible();
    await expect(outputs.getByTestId('reset-zoom')).toBeVisible();
    await outputs.getByTestId('reset-zoom').click();
    await expect(losses.getByTestId('reset-zoom')).toBeHidden();
    await app.screenshot('ux-training-1440');
  });

  await test.step('the sample grid is drawn at a whole-number scale and enlarges on click', async () => {
    const image = page.getByTestId('sample-grid-image');
    await expectIntegerScale(image);
    // In a 1024×700 window the grid's column still gives it 1x (ux2.spec); the lightbox shows it at least as large.
    await page.setViewportSize({ width: 1024, height: 700 });
    await expectIntegerScale(image);
    await app.screenshot('ux-training-1024');
    const small = (await image.boundingBox())!.width;
    await image.click();
    const big = page.getByTestId('lightbox-image');
    await expect(big).toBeVisible();
    await expectIntegerScale(big);
    expect((await big.boundingBox())!.width).toBeGreaterThanOrEqual(small);
    await app.screenshot('ux-sample-lightbox');
    await page.keyboard.press('Escape');
    await expect(big).toBeHidden();
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await test.step('the walk player sits at the top of its column and shows whole frames', async () => {
    await page.getByTestId('tab-latent').click();
    const tiles = page.getByTestId('gallery-fresh').getByTestId('gallery-tile');
    await tiles.nth(0).getByTestId('gallery-pick').click();
    await tiles.nth(3).getByTestId('gallery-pick').click();
    await page.getByTestId('walk-frames').fill('4');
    await page.getByTestId('walk-build').click();
    const frame = page.getByTestId('walk-frame');
    await expect(frame).toBeVisible();
    await expectIntegerScale(frame);
    await expectInside(frame, page.getByTestId('walk-player'));
    const player = (await page.getByTestId('walk-player').boundingBox())!;
    const build = (await page.getByTestId('walk-build').boundingBox())!;
    expect(player.y).toBeLessThan(build.y);
    await app.screenshot('ux-latent-1440');
  });

  await test.step("Arithmetic's parse error waits until the user edits the expression", async () => {
    await page.getByTestId('tab-arith').click();
    const status = page.getByTestId('expression-status');
    await expect(status).toBeVisible();
    await expect(status).not.toHaveClass(/error/);
    await expect(page.getByTestId('expression')).toHaveAttribute('aria-invalid', 'false');
    await page.getByTestId('expression').fill('A +');
    await expect(status).toHaveClass(/error/);
  });

  await test.step('Filters fill the card, enlarge, and keep the cursor inside a smaller layer', async () => {
    await page.getByTestId('tab-inside').click();
    await page.getByTestId('filters-layer').selectOption('d2');
    await expect(page.getByTestId('filters-image')).toHaveAttribute('data-layer', 'd2');
    const grid = page.getByTestId('filters-grid');
    const slider = grid.getByRole('slider');
    await slider.focus();
    await page.keyboard.press('End'); // the last kernel of d2's 32×16
    const before = Number(await slider.getAttribute('aria-valuenow'));
    expect(before).toBeGreaterThan(16);
    const lastG = await page.locator('[data-testid="filters-layer"] optgroup[label="Generator"] option').last().getAttribute('value');
    await page.getByTestId('filters-layer').selectOption(lastG!);
    await expect(page.getByTestId('filters-image')).toHaveAttribute('data-layer', lastG!);
    const count = Number(await grid.getAttribute('data-count'));
    await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow'))).toBeLessThan(count);
    await expect(slider).not.toHaveAttribute('aria-valuetext', new RegExp(`feature map ${before}\\b`));
    const card = (await page.getByTestId('filters-view').boundingBox())!;
    expect((await slider.boundingBox())!.width).toBeGreaterThan(card.width / 3);
    await grid.getByTestId('enlarge').click();
    await expect(page.getByTestId('lightbox-image')).toBeVisible();
    await page.getByTestId('lightbox-close').click();
    await expect(page.getByTestId('lightbox-image')).toBeHidden();
    await app.screenshot('ux-filters-1440');
  });

  await test.step('Forgetting drops only the few heaviest maps by default, with a legend', async () => {
    await page.getByTestId('inside-tab-forget').click();
    const tiles = page.getByTestId('forget-tile');
    await expect(tiles).toHaveCount(16);
    await expect(page.getByTestId('forget-legend')).toContainText('dropped');
    const first = (await tiles.nth(0).boundingBox())!;
    await page.mouse.move(first.x + 2, first.y + 2);
    await page.mouse.down();
    await page.mouse.move(first.x + first.width * 0.5, first.y + first.height - 2, { steps: 6 });
    await page.mouse.up();
    await expect(tiles.nth(0)).toHaveAttribute('data-boxes', '1');
    await page.getByTestId('forget-fit').click();
    await expect(page.getByTestId('forget-fit-summary')).toContainText('the 3 heaviest');
    const result = page.getByTestId('forget-result');
    await expect(result).not.toHaveAttribute('data-dropped', '');
    const dropped = (await result.getAttribute('data-dropped'))!.split(',');
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(dropped.length).toBeLessThanOrEqual(3);
    await app.screenshot('ux-forget-1440');
  });

  await test.step('a running classification shows elapsed time, and no "not run yet" text', async () => {
    await page.getByTestId('tab-evaluate').click();
    await expect(page.getByTestId('eval-features-empty')).toBeVisible();
    await page.getByTestId('eval-features-run').click();
    await expect(page.getByTestId('eval-progress')).toBeVisible();
    await expect(page.getByTestId('eval-time')).toContainText('elapsed');
    await expect(page.getByTestId('eval-features-empty')).toBeHidden();
    await page.getByTestId('eval-cancel').click();
    await expect(page.getByTestId('eval-progress')).toBeHidden();
  });
});
