/**
 * WebGPU training and drawing in the compute window. Debian's headless Chromium gives a SwiftShader adapter
 * (WebGPU on the CPU): slow, but the same kernels a GPU runs, so losses can be checked against the
 * Node host's. Tolerance: 1e-4 relative on every loss of the first steps (float32 kernels that sum
 * in a different order; measured differences here are ~1e-7).
 */
import { cpSync } from 'node:fs';
import { PNG } from 'pngjs';
import { selectBackend } from '../../src-main/engine/backend/select';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import { expect, test } from './fixtures';
import { createMnistProject, expectState, shownStep, trainSteps } from './steps';

test.use({ computeWindow: true });

test("should train on WebGPU with the Node host's losses, end at its checkpoint when the window closes, then fall back", async ({
  app,
}) => {
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
  await expect(page.getByTestId('progress')).toContainText(
    /device was lost \(the compute window was closed\); the run ended at its last checkpoint, step 3/,
  );
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

/** Grey levels of a PNG data URL's first channel. */
function pixels(dataUrl: string): Uint8Array {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  return Uint8Array.from({ length: png.width * png.height }, (_, i) => png.data[i * 4]);
}

test('should draw gallery tiles, walk frames and feature maps on WebGPU like the Node host, and fall back when the window closes', async ({
  app,
}) => {
  test.setTimeout(8 * 60_000);
  const { page } = app;
  await createMnistProject(app, 'Drawn on WebGPU');
  await page.getByTestId('train-backend').selectOption('wasm');
  await trainSteps(page, 2);
  // Best available draws on the Node host: the window's adapter is SwiftShader (software).
  await expect(page.getByTestId('draw-active')).not.toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('tab-latent').click();
  const tiles = page.getByTestId('gallery-fresh').getByTestId('gallery-tile').locator('img');
  await expect(tiles).toHaveCount(16);
  const sources = () => tiles.evaluateAll((imgs) => imgs.map((img) => img.getAttribute('src') ?? ''));
  const onNode = await sources();

  // Draw on WebGPU: the same tiles again, from the compute window.
  await page.getByTestId('draw-backend').selectOption('webgpu');
  await expect(page.getByTestId('draw-active')).toHaveAttribute('data-backend', 'webgpu');
  await expect(page.getByTestId('draw-backend')).toBeEnabled({ timeout: 60_000 }); // the gallery was drawn again
  const onGpu = await sources();
  /** How many calls of `op` the compute windows have had (a count on the targets that can see them). */
  const calls = (op: string) => app.computeCalls()?.filter((call) => call === op).length ?? Infinity;
  expect(calls('load')).toBeGreaterThan(0);
  expect(calls('draw')).toBeGreaterThan(0);
  // float32 kernels that sum in another order: a grey level may round the other way, no more.
  for (let t = 0; t < 16; t++) {
    const [a, b] = [pixels(onNode[t]), pixels(onGpu[t])];
    expect(a.length).toBe(b.length);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThanOrEqual(1);
  }

  // A walk between two tiles renders on the window.
  const picks = page.getByTestId('gallery-fresh').getByTestId('gallery-pick');
  await picks.nth(0).click();
  await picks.nth(3).click();
  await page.getByTestId('walk-frames').fill('6');
  await page.getByTestId('walk-build').click();
  await expect(page.getByTestId('walk-counter')).toHaveAttribute('data-rendered', '7', { timeout: 60_000 });
  expect(calls('draw')).toBeGreaterThan(1);

  // Inside › Feature maps: every layer's maps for a sample, drawn on the window too.
  await page.getByTestId('tab-inside').click();
  await page.getByTestId('inside-tab-features').click();
  await expect(page.getByTestId('feature-layer')).toHaveCount(5, { timeout: 60_000 });
  expect(calls('forward')).toBeGreaterThan(0);
  await app.screenshot('webgpu-pictures');

  // The window goes: the next pictures come from the Node host, and the project says so.
  for (const window of app.computeWindows()) await window.close();
  await page.getByTestId('tab-latent').click();
  await page.getByTestId('gallery-regenerate').click();
  await expect(page.getByTestId('toast-warn').filter({ hasText: 'lost while drawing' })).toBeVisible({ timeout: 60_000 });
  await expect(tiles).toHaveCount(16);
  await expect(page.getByTestId('draw-active')).not.toHaveAttribute('data-backend', 'webgpu');
});
