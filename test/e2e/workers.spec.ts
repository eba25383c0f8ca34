import { expect, test } from './fixtures';
import { expectState, fillMnistWizard } from './steps';

test('should train on two workers chosen in the Advanced training settings', async ({ app }) => {
  const { page } = app;
  await fillMnistWizard(app, 'Workers');
  await page.getByTestId('batch-size').fill('32'); // two workers of 16 images each
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('project-name-heading')).toHaveText('Workers');

  // Workers split the CPU backends' steps: run on WebAssembly (where tfjs-node is built, Best
  // available is TensorFlow, which is multi-threaded already and keeps one process).
  await page.getByTestId('train-backend').selectOption('wasm');
  // Keyboard: open the Advanced section, then pick 2 workers.
  await page.getByTestId('train-advanced').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('train-workers').selectOption('2');
  await page.getByTestId('train-unit').selectOption('forever');
  await page.getByTestId('start').click();

  await expect(page.getByTestId('workers')).toHaveText('· 2 workers', { timeout: 60_000 });
  await expect
    .poll(async () => Number(await page.getByTestId('progress').getAttribute('data-step')), { timeout: 60_000 })
    .toBeGreaterThan(2);
  await app.screenshot('training-on-two-workers');
  await page.getByTestId('stop').click();
  await expectState(page, 'idle');
  await expect(page.getByTestId('run-summary')).toContainText('checkpoint at step');
});
