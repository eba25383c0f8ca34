/**
 * Visual checks: every main view at two window sizes against committed baselines
 * (test/e2e/__screenshots__). Layout, text and controls are compared; what a trained net draws,
 * numbers that depend on the backend's float rounding (wasm vs tensorflow) and on timing, and
 * temporary paths are masked, so a baseline only changes when the UI does.
 * Update after a deliberate UI change: `npx playwright test --project=chromium-bridge
 * test/e2e/visual.spec.ts --update-snapshots`, then review the PNGs in the diff.
 */
import type { Locator } from '@playwright/test';
import { expect, test, type GanvasApp } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

// Electron draws the same renderer with its own Chromium and fonts: baselines exist only for the
// bridge target, where CI's Chromium and fonts are fixed.
test.skip(({ ganvasTarget }) => ganvasTarget === 'electron', 'visual baselines are made in the chromium-bridge target');

const sizes = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;

/** Everything whose pixels depend on the trained weights, the backend, the clock or the temp folder. */
function dynamicAreas(app: GanvasApp): Locator[] {
  const { page } = app;
  const ids = ['backend-badge', 'backend-detail', 'train-backend', 'draw-active', 'run-summary', 'progress', 'checkpoints', 'project-dir'];
  // The project's folder sits in a fresh temporary folder each run.
  return [page.locator('img, canvas, svg'), page.getByText(app.workDir), ...ids.map((id) => page.getByTestId(id))];
}

/** Compares the window with its baseline at both sizes, and keeps copies for reviewers. */
async function checkView(app: GanvasApp, name: string, ready: Locator): Promise<void> {
  const { page } = app;
  for (const size of sizes) {
    await page.setViewportSize(size);
    await expect(ready).toBeVisible();
    // The app scrolls its own main area; a view opened after a long one can start scrolled down.
    await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
    // Soft: one run reports every view that changed, not just the first.
    await expect.soft(page).toHaveScreenshot(`${name}-${size.width}.png`, {
      mask: dynamicAreas(app),
      animations: 'disabled',
      caret: 'hide',
      // Reruns on one machine differed by 0 pixels; this leaves room for text anti-aliasing while
      // still catching a missing button (~3,000 px). 1% would not: the start screen and the
      // Evaluate view differ by only 3% of their pixels.
      maxDiffPixelRatio: 0.002,
    });
    await app.screenshot(`visual-${name}-${size.width}`);
  }
}

test('should look like the committed baselines in every main view at 1440×900 and 1024×700', async ({ app }) => {
  const { page } = app;
  await page.emulateMedia({ colorScheme: 'dark' });

  await checkView(app, 'start', page.getByTestId('new-project'));
  await page.getByTestId('new-project').click();
  await checkView(app, 'wizard', page.getByTestId('project-name'));
  await page.getByRole('button', { name: '← Projects' }).click();

  await page.setViewportSize(sizes[0]);
  await createMnistProject(app, 'Visual');
  // A fixed seed and step count: the project is the same every run (up to the backend's rounding).
  await trainSteps(page, 6);
  await checkView(app, 'training', page.getByTestId('sample-grid'));

  await page.getByTestId('tab-latent').click();
  await checkView(app, 'latent', page.getByTestId('gallery-tile').first());
  await page.getByTestId('tab-arith').click();
  await checkView(app, 'arith', page.getByTestId('expression'));
  await page.getByTestId('tab-image').click();
  await checkView(app, 'image', page.getByTestId('image-panel'));
  await page.getByTestId('tab-directions').click();
  await checkView(app, 'directions', page.getByTestId('directions-panel'));
  await page.getByTestId('tab-inside').click();
  await page.getByTestId('inside-tab-filters').click();
  await checkView(app, 'inside-filters', page.getByTestId('filters-image'));
  await page.getByTestId('tab-evaluate').click();
  await checkView(app, 'evaluate', page.getByTestId('eval-features'));
});
