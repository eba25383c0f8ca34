import { readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { createMnistProject, fillMnistWizard, trainSteps } from './steps';

test('should reopen a project after a restart and find its history', async ({ app }) => {
  await createMnistProject(app, 'Survives restart');
  await trainSteps(app.page, 8);

  await app.restart();
  const { page } = app;
  const recent = page.getByTestId('recent-project');
  await expect(recent).toHaveCount(1);
  await expect(recent).toContainText('Survives restart');
  await app.screenshot('10-start-with-recent');

  await recent.click();
  await expect(page.getByTestId('project-name-heading')).toHaveText('Survives restart');
  await expect(page.getByTestId('progress')).toHaveAttribute('data-step', '8');
  await expect(page.getByTestId('chart-losses')).toHaveAttribute('data-last-step', '8');
  await expect(page.getByTestId('sample-grid')).toHaveAttribute('data-step', '8');
  await expect(page.getByTestId('grid-caption')).toContainText('2 of 2');
  await expect(page.getByTestId('checkpoint').first()).toHaveAttribute('data-step', '8');
  await app.screenshot('11-project-reopened');
});

test("should checkpoint on the chosen cadence with G's average, and say so when it sets a damaged checkpoint aside", async ({ app }) => {
  const dir = await fillMnistWizard(app, 'Repaired');
  await app.page.getByTestId('checkpoint-every').fill('4');
  await app.page.getByTestId('keep-last').fill('3');
  await app.page.getByTestId('ema-decay').fill('0.999');
  await app.page.getByTestId('create-project').click();
  await trainSteps(app.page, 8);
  await expect(app.page.getByTestId('checkpoint')).toHaveCount(2);
  // Samples come from G's moving average, kept in every checkpoint.
  expect(JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')).train.emaDecay).toBe(0.999);

  await app.restart();
  // Half a checkpoint, as a disk failure could leave it (the engine's own writes never do).
  const newest = join(dir, 'checkpoints', 'step-00000008.ckpt');
  truncateSync(newest, Math.floor(statSync(newest).size / 2));
  const { page } = app;
  await page.getByTestId('recent-project').click();
  await page.getByTestId('tab-latent').click();
  await expect(page.getByTestId('toast-warn')).toContainText('the previous checkpoint is used instead');
  await expect(page.getByTestId('project-notice')).toHaveCount(1);
  await expect(page.getByTestId('project-notices')).toContainText('repaired this project once');
});
