import { expect, test } from './fixtures';
import { openInside } from './inside-steps';

test("should show every layer's maps for a generated sample and find a channel's top samples", async ({ app }) => {
  const page = await openInside(app, 'features');
  const layers = page.getByTestId('feature-layer');
  await expect(layers).toHaveCount(5); // G g0, g1, g2 and D d1, d2
  await expect(page.getByTestId('features-sample')).toContainText('seed 0, sample 0');
  await expect(page.getByTestId('features-score')).toContainText('checkpoint step 6');

  // Pick channel 2 of G's g1 with the keyboard.
  const g1 = page.getByTestId('feature-grid-G-g1').getByRole('slider');
  await g1.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  const top = page.getByTestId('top-activating');
  await expect(top).toHaveAttribute('data-channel', '2');
  await expect(top).toHaveAttribute('data-layer', 'g1');
  await expect(page.getByTestId('top-images')).toHaveAttribute('data-count', '16');
  await expect(page.getByTestId('feature-grid-G-g1')).toHaveAttribute('data-selected', '2');
  await app.screenshot('inside-features-top');

  // Open the best sample: it becomes the inspected one.
  const best = page.getByTestId('top-images').getByRole('slider');
  await best.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('features-sample')).not.toContainText('sample 0,');
  await expect(page.getByTestId('features-sample')).toContainText(/seed 0, sample \d+/);
});

test('should show only D for a dataset image and rank dataset images for a D channel', async ({ app }) => {
  const page = await openInside(app, 'features');
  await expect(page.getByTestId('feature-layer')).toHaveCount(5);
  await page.getByTestId('features-real').check();
  await page.getByTestId('features-real-index').fill('7');
  await page.getByTestId('features-show').click();
  await expect(page.getByTestId('features-sample')).toHaveAttribute('data-kind', 'real');
  await expect(page.getByTestId('features-sample')).toContainText('Dataset image 7');
  await expect(page.getByTestId('feature-layer')).toHaveCount(2);

  // Click the first tile of D's d2 grid (channel 0).
  const d2 = page.getByTestId('feature-grid-D-d2').getByRole('slider');
  const box = (await d2.boundingBox())!;
  const grid = await page.getByTestId('feature-grid-D-d2').getAttribute('data-count');
  expect(Number(grid)).toBe(32); // d2 of the ndf-16 net
  await page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.1);
  await expect(page.getByTestId('top-activating')).toHaveAttribute('data-channel', '0');
  await expect(page.getByTestId('top-images')).toHaveAttribute('data-count', '16');
  await expect(page.getByTestId('top-activating')).toHaveAttribute('data-rank', 'mean');
  await page.getByTestId('top-rank').selectOption('max');
  await expect(page.getByTestId('top-activating')).toHaveAttribute('data-rank', 'max');
  await expect(page.getByTestId('inspect-busy')).toHaveCount(0);
  await app.screenshot('inside-features-real');
});
