import { expect, test } from './fixtures';
import { recordLongTasks } from './long-tasks';
import { createMnistProject, expectState, shownStep, trainSteps } from './steps';

test('should train a few steps and update the charts and the sample grid', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  const losses = page.getByTestId('chart-losses');
  const grid = page.getByTestId('sample-grid');

  await trainSteps(page, 10);
  await expect(losses).toHaveAttribute('data-last-step', '10');
  await expect(page.getByTestId('chart-outputs')).toHaveAttribute('data-last-step', '10');
  await expect(losses.locator('path').first()).toHaveAttribute('d', /^M.+L/);
  await expect(grid).toHaveAttribute('data-step', '10');
  const firstGrid = await grid.locator('img').getAttribute('src');

  await trainSteps(page, 10);
  await expect(losses).toHaveAttribute('data-last-step', '20');
  await expect(grid).toHaveAttribute('data-step', '20');
  expect(await grid.locator('img').getAttribute('src')).not.toBe(firstGrid);
  await app.screenshot('05-training-finished');

  // Scrub back to the untrained generator's grid (step 0).
  await page.getByTestId('grid-scrubber').focus();
  await page.keyboard.press('Home');
  await expect(grid).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('grid-caption')).toContainText('step 0');
  await app.screenshot('06-grid-scrubbed-to-step-0');
  await page.getByTestId('grid-latest').click();
  await expect(grid).toHaveAttribute('data-step', '20');
});

test('should pause and resume a run', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  await page.getByTestId('train-unit').selectOption('forever');
  await page.getByTestId('start').click();
  await expectState(page, 'running');
  await expect.poll(() => shownStep(page)).toBeGreaterThan(5);
  await app.screenshot('07-training-running');

  await page.getByTestId('pause').click();
  await expectState(page, 'paused');
  const pausedAt = await shownStep(page);
  await page.waitForTimeout(1500);
  expect(await shownStep(page)).toBe(pausedAt);
  await app.screenshot('08-training-paused');

  // Space resumes, as the Pause button's tooltip says (focus off the buttons first).
  await page.getByTestId('project-name-heading').click();
  await page.keyboard.press('Space');
  await expectState(page, 'running');
  await expect.poll(() => shownStep(page)).toBeGreaterThan(pausedAt + 5);

  await page.getByTestId('stop').click();
  await expectState(page, 'idle');
  const stoppedAt = await shownStep(page);
  await expect(page.getByTestId('checkpoint').first()).toHaveAttribute('data-step', String(stoppedAt));
});

test('should roll back to an earlier checkpoint', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  await trainSteps(page, 6);
  await trainSteps(page, 6);
  await expect(page.getByTestId('checkpoint')).toHaveCount(2);

  await page.locator('[data-testid="checkpoint"][data-step="6"]').getByTestId('rollback').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await app.screenshot('09-rollback-confirm');
  await page.getByTestId('confirm').click();

  await expect(page.getByTestId('checkpoint')).toHaveCount(1);
  await expect(page.getByTestId('checkpoint').first()).toHaveAttribute('data-step', '6');
  await expect(page.getByTestId('progress')).toHaveAttribute('data-step', '6');
  await expect(page.getByTestId('chart-losses')).toHaveAttribute('data-last-step', '6');
  await expect(page.getByTestId('sample-grid')).toHaveAttribute('data-step', '6');
});

test('should keep the window responsive while a run is training', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  await page.getByTestId('train-unit').selectOption('forever');
  await page.getByTestId('start').click();
  await expect.poll(() => shownStep(page)).toBeGreaterThan(5);

  // 200 pings along the full path a click takes (page -> bridge -> engine -> page) while the worker
  // trains, watching the renderer's main thread for long tasks (> 50 ms) at the same time.
  const longTasksSoFar = await recordLongTasks(page);
  const latencies = await page.evaluate(async () => {
    const api = (globalThis as unknown as { ganvas: { ping(input: { t: number }): Promise<unknown> } }).ganvas;
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      await api.ping({ t: start });
      times.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return times.sort((a, b) => a - b);
  });
  const longTasks = await longTasksSoFar();
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  test.info().annotations.push({
    type: 'ping while training',
    description: `p50 ${percentile(0.5)} ms, p99 ${percentile(0.99)} ms, renderer long tasks: ${longTasks.length}`,
  });
  // The renderer never blocks, and a typical round trip fits in a frame. The tail (p99 31-45 ms
  // measured here) is set by the test harness's own processes sharing the second core with
  // training, so it is reported, not asserted; `npm run bench` measures the engine's own p99.
  expect(longTasks).toEqual([]);
  expect(Number(percentile(0.5))).toBeLessThan(16);
  await expectState(page, 'running');
  await page.getByTestId('stop').click();
  await expectState(page, 'idle');
});
