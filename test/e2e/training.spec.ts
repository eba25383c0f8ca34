import { expect, test } from './fixtures';
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

// How fast the window answers while training (long tasks, frame times, ping latency) is a bench
// figure: `npm run bench` reports it as rendererResponsiveness. Here: it keeps answering at all.
test('should keep answering while a run is training', async ({ app }) => {
  const { page } = app;
  await createMnistProject(app);
  await page.getByTestId('train-unit').selectOption('forever');
  await page.getByTestId('start').click();
  await expect.poll(() => shownStep(page)).toBeGreaterThan(5);

  // 50 pings along the full path a click takes (page -> bridge -> engine -> page) while the worker trains.
  const echoes = await page.evaluate(async () => {
    const api = (globalThis as unknown as { ganvas: { ping(input: { t: number }): Promise<{ t: number }> } }).ganvas;
    const answers: number[] = [];
    for (let i = 0; i < 50; i++) answers.push((await api.ping({ t: i })).t);
    return answers;
  });
  expect(echoes).toEqual(Array.from({ length: 50 }, (_, i) => i));
  // The page keeps drawing what training sends: the loss chart moves on.
  const losses = page.getByTestId('chart-losses');
  const drawn = Number(await losses.getAttribute('data-last-step'));
  await expect.poll(async () => Number(await losses.getAttribute('data-last-step'))).toBeGreaterThan(drawn);
  await expectState(page, 'running');
  await page.getByTestId('stop').click();
  await expectState(page, 'idle');
});
