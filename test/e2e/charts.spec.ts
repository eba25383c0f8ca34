import { appendMetrics } from '../../src-main/engine/project/metrics';
import { ProjectFiles } from '../../src-main/engine/project/layout';
import { expect, test } from './fixtures';
import { longHistory } from './metric-history';
import { createMnistProject } from './steps';

// How long drawing takes is measured by `npm run bench` (renderer.chartHistory), not asserted here.
test('should draw and zoom thousands of metric rows, decimated to the plot width', async ({ app }) => {
  const { page } = app;
  const dir = await createMnistProject(app, 'Long history');
  appendMetrics(new ProjectFiles(dir).metrics, longHistory(20_000));

  await page.getByRole('button', { name: 'Ganvas — projects' }).click();
  await page.getByTestId('recent-project').click();
  const losses = page.getByTestId('chart-losses');
  await expect(losses).toHaveAttribute('data-points', '20000');
  // Decimated to the plot's pixel width: a few thousand path points at most, not 20,000.
  const pathData = await losses.locator('path').last().getAttribute('d');
  expect(pathData!.split(/[ML]/).length).toBeLessThan(4 * 1000);

  const box = (await losses.locator('svg').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -200);
  await expect(losses.getByTestId('reset-zoom')).toBeVisible();
  // Zoomed in, the line still covers the plot with no more points than pixels.
  const zoomed = await losses.locator('path').last().getAttribute('d');
  expect(zoomed).not.toBe(pathData);
  expect(zoomed!.split(/[ML]/).length).toBeLessThan(4 * 1000);
  await page.getByTestId('smoothing').fill('0.9');
  await page.getByTestId('log-scale').check();
  await expect(page.getByTestId('log-scale')).toBeChecked();
  await app.screenshot('12-long-history-zoomed');

  await losses.getByTestId('reset-zoom').click();
  await expect(losses.getByTestId('reset-zoom')).toBeHidden();
});
