import { expect, test } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

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
