import type { Page } from '@playwright/test';
import { expect, test, type GanvasApp } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

/** The small MNIST project, trained in `runs` runs of 6 steps (a checkpoint each), with Evaluate > `view` open. */
async function openEvaluate(app: GanvasApp, view: 'features' | 'quality' | 'memorisation', runs = 1): Promise<Page> {
  const { page } = app;
  await createMnistProject(app);
  for (let i = 0; i < runs; i++) await trainSteps(page, 6);
  await page.getByTestId('tab-evaluate').click();
  await expect(page.getByTestId('evaluation-panel')).toBeVisible();
  await page.getByTestId(`eval-tab-${view}`).click();
  return page;
}

test('should classify with D features beside the pixel and random-D baselines and chart accuracy vs N', async ({ app }) => {
  const page = await openEvaluate(app, 'features');
  await page.getByTestId('eval-n-1000').uncheck();
  await page.getByTestId('eval-n-100').check();
  await page.getByTestId('eval-test-size').selectOption('500');
  await page.getByTestId('eval-features-run').click();
  await expect(page.getByTestId('eval-progress')).toBeVisible();
  await expect(page.getByTestId('eval-phase')).toContainText(/D|pixels/);
  await app.screenshot('eval-features-running');

  const row = page.locator('[data-testid="eval-features-row"][data-n="100"]');
  await expect(row).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('eval-progress')).toBeHidden();
  for (const method of ['trained-d', 'random-d', 'pixels'])
    await expect(row.locator(`td[data-method="${method}"]`)).toHaveText(/^\d+\.\d%$/);
  // The caption states the settings that produced the result (N, test size, D's checkpoint).
  await expect(page.getByTestId('eval-features-table')).toContainText(/N = 100 labelled · 500 test images · D from step 6/);
  await expect(page.getByTestId('eval-features-chart')).toHaveAttribute('data-points', '3');
  await app.screenshot('eval-features');
});

test('should score checkpoints with the project classifier and mark the best one', async ({ app }) => {
  const page = await openEvaluate(app, 'quality', 2);
  await page.getByTestId('eval-fd-samples').selectOption('500');
  await page.getByTestId('eval-quality-run').click();
  await expect(page.getByTestId('eval-progress')).toHaveAttribute('data-kind', 'quality');
  await expect(page.getByTestId('eval-phase')).toContainText('Training the quality classifier');

  await expect(page.getByTestId('eval-quality-row')).toHaveCount(2, { timeout: 180_000 });
  await expect(page.getByTestId('eval-classifier')).toContainText(/ganvas-cnn-v1-[0-9a-f]{8}[\s\S]*on 500 test\s+images/);
  const best = await page.getByTestId('eval-best').getAttribute('data-step');
  expect(['6', '12']).toContain(best);
  await expect(page.getByTestId('eval-quality-chart-marker')).toHaveAttribute('data-x', best!);
  await expect(page.locator(`[data-testid="eval-quality-row"][data-step="${best}"]`)).toHaveClass(/best/);
  await app.screenshot('eval-quality');

  // Nothing new to score: the app says so instead of re-running.
  await page.getByTestId('eval-quality-run').click();
  await expect(page.getByText('Every checkpoint already has a score with these settings.')).toBeVisible();
});

test('should show the nearest training images of samples and log distances for every checkpoint', async ({ app }) => {
  const page = await openEvaluate(app, 'memorisation', 2);
  await page.getByTestId('eval-mem-samples').selectOption('64');
  await page.getByTestId('eval-mem-reference').selectOption('1000');
  await page.getByTestId('eval-mem-run').click();
  const sheet = page.getByTestId('eval-neighbours');
  await expect(sheet).toHaveAttribute('data-step', '12', { timeout: 120_000 });
  await expect(page.getByTestId('eval-neighbour-row')).toHaveCount(8);
  // Sample + 3 nearest by pixels + 3 nearest by D features, each with its distance.
  await expect(page.getByTestId('eval-neighbour-row').first().locator('img')).toHaveCount(7);
  await expect(page.getByTestId('eval-mem-row')).toHaveCount(1);

  await page.getByTestId('eval-mem-all').click();
  await expect(page.getByTestId('eval-mem-row')).toHaveCount(2, { timeout: 120_000 });
  await expect(page.getByTestId('eval-mem-pixel-chart')).toHaveAttribute('data-points', '4');
  await app.screenshot('eval-memorisation');
});

test('should cancel a running evaluation', async ({ app }) => {
  const page = await openEvaluate(app, 'quality');
  await page.getByTestId('eval-quality-run').click();
  await expect(page.getByTestId('eval-phase')).toContainText('Training the quality classifier');
  await page.getByTestId('eval-cancel').click();
  await expect(page.getByTestId('eval-progress')).toBeHidden();
  await expect(page.getByText('Evaluation cancelled.')).toBeVisible();
  await expect(page.getByTestId('eval-classifier')).toHaveCount(0);
  await expect(page.getByTestId('eval-quality-run')).toBeEnabled();
});
