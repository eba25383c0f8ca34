import { expect, test } from './fixtures';
import { openInside } from './inside-steps';
import { expectState } from './steps';

test("should show each layer's kernels and explore them with the keyboard", async ({ app }) => {
  const page = await openInside(app, 'filters');
  const image = page.getByTestId('filters-image');
  await expect(image).toHaveAttribute('data-layer', 'd1');
  await expect(image).toHaveAttribute('data-mode', 'grey');
  await expect(image).toHaveAttribute('data-step', '6');
  await app.screenshot('inside-filters-d1');

  await page.getByTestId('filters-layer').selectOption('d2');
  await expect(image).toHaveAttribute('data-layer', 'd2');
  await expect(image).toHaveAttribute('data-mode', 'matrix');
  const perKernel = await image.locator('img').getAttribute('src');
  await page.getByTestId('filters-norm-layer').check();
  await expect.poll(() => image.locator('img').getAttribute('src')).not.toBe(perKernel);

  const grid = image.getByRole('slider');
  await grid.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await expect(grid).toHaveAttribute('aria-valuetext', 'output 1 ← input 1');
  await app.screenshot('inside-filters-d2-matrix');

  await page.getByTestId('filters-layer').selectOption('g2');
  await expect(image).toHaveAttribute('data-mode', 'grey');
});

test('should re-read the kernels when training writes a checkpoint while the view is open', async ({ app }) => {
  const page = await openInside(app, 'filters');
  const image = page.getByTestId('filters-image');
  await expect(image).toHaveAttribute('data-step', '6');
  const before = await image.locator('img').getAttribute('src');

  // Start a 10-step run, then watch the Filters view: the run's final checkpoint (step 16) must show up there.
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-unit').selectOption('steps');
  await page.getByTestId('train-amount').fill('10');
  await page.getByTestId('start').click();
  await page.getByTestId('tab-inside').click();
  await expect(image).toHaveAttribute('data-step', '16');
  expect(await image.locator('img').getAttribute('src')).not.toBe(before);
  await expect(page.getByTestId('filters-step')).toContainText('checkpoint step 16');
  await page.getByTestId('tab-training').click();
  await expectState(page, 'finished');
});
