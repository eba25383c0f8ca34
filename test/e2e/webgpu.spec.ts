/**
 * WebGPU training in the compute window. Debian's headless Chromium gives a SwiftShader adapter
 * (WebGPU on the CPU): slow, but the same kernels a GPU runs, so losses can be checked against the
 * Node host's. Tolerance: 1e-4 relative on every loss of the first steps (float32 kernels that sum
 * in a different order; measured differences here are ~1e-7).
 */
import { cpSync } from 'node:fs';
import { selectBackend } from '../../src-main/engine/backend/select';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import { expect, test } from './fixtures';
import { createMnistProject, expectState, shownStep } from './steps';

test.use({ computeWindow: true });

test('should train on WebGPU with the Node host\'s losses, end at its checkpoint when the window closes, then fall back', async ({ app }) => {
  test.setTimeout(8 * 60_000);
  const { page } = app;
  const dir = await createMnistProject(app, 'On WebGPU');
  const reference = `${dir}-reference`;
  cpSync(dir, reference, { recursive: true }); // the same untrained project, for the Node host below

  // Three steps on WebGPU, chosen in the training controls.
  await page.getByTestId('train-backend').selectOption('webgpu');
  await page.getByTestId('train-unit').selectOption('steps');
  await page.getByTestId('train-amount').fill('3');
  await page.getByTestId('start').click();
  await expectState(page, 'finished');
  await expect(page.getByTestId('progress')).toHaveAttribute('data-step', '3', { timeout: 5 * 60_000 });
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  await expect(badge.getByTestId('backend-detail')).toContainText('swiftshader');
  await expect(page.getByTestId('sample-grid')).toHaveAttribute('data-step', '3');

  // The same three steps on the Node host (wasm), in this process: the losses agree.
  const trainer = Trainer.open(Project.open(reference), await selectBackend('wasm'));
  const expected = [await trainer.runStep(), await trainer.runStep(), await trainer.runStep()];
  trainer.dispose();
  // The run logs its last step (the wizard's log interval is longer than 3 steps): after three
  // steps on WebGPU, both networks' updates have fed into these numbers.
  const [row] = Project.open(dir).metrics();
  expect(row.step).toBe(3);
  for (const key of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) {
    expect(Math.abs(row[key] - expected[2][key]) / Math.abs(expected[2][key])).toBeLessThan(1e-4);
  }

  // Train on until stopped; closing the compute window ends the run at its checkpoint (step 3).
  await page.getByTestId('train-unit').selectOption('forever');
  await page.getByTestId('start').click();
  await expectState(page, 'running');
  await expect.poll(() => shownStep(page), { timeout: 3 * 60_000 }).toBeGreaterThan(3);
  const [window] = app.computeWindows();
  await window.close();
  await expectState(page, 'idle');
  await expect(page.getByTestId('progress')).toContainText(/device was lost \(the compute window was closed\); the run ended at its last checkpoint, step 3/);
  await expect(page.getByTestId('progress')).toHaveAttribute('data-step', '3');
  await app.screenshot('webgpu-window-lost');

  // Best available now trains on the Node host and says why WebGPU was skipped.
  await page.getByTestId('train-backend').selectOption('auto');
  await page.getByTestId('train-unit').selectOption('steps');
  await page.getByTestId('train-amount').fill('2');
  await page.getByTestId('start').click();
  await expectState(page, 'finished');
  await expect(page.getByTestId('progress')).toHaveAttribute('data-step', '5');
  await expect(badge).not.toHaveAttribute('data-backend', 'webgpu');
  await expect(badge).toContainText(/lost earlier in this session/);
});
