import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeImage } from '../fixtures/data-images';
import { expect, test } from './fixtures';
import { trainSteps } from './steps';

/** 24 distinct grey 28x28 images and one exact copy: too few for any preset, and one duplicate group. */
async function smallFolder(dir: string): Promise<void> {
  for (let i = 0; i < 24; i++) {
    await writeImage(join(dir, `img${String(i).padStart(2, '0')}.png`), 28, 28, (x, y) => {
      const v = ((x * (i + 3) + y * ((i % 5) + 1)) * 7) % 256;
      return [v, v, v];
    });
  }
  copyFileSync(join(dir, 'img03.png'), join(dir, 'img03-copy.png'));
}

/**
 * Turns the scored records into a collapse: step 6 diverse, step 12 nearly one image, as a
 * generator that collapsed between them would score (the detector itself is tested on real
 * collapsed generators in test/unit/health-*.test.ts; here the app must show what it says).
 */
function plantCollapse(projectDir: string): void {
  const file = join(projectDir, 'health', 'records.jsonl');
  const records = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { step: number; diversity: number; nearDuplicates: number });
  for (const r of records)
    Object.assign(r, r.step === 6 ? { diversity: 0.9, nearDuplicates: 0 } : { diversity: 0.02, nearDuplicates: 0.9 });
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

test('should check an image folder in the wizard, score a run label-free, warn of a collapse and roll back to the best checkpoint', async ({
  app,
}) => {
  const { page } = app;
  const folder = join(app.workDir, 'images');
  await smallFolder(folder);
  const dir = join(app.workDir, 'unlabelled');

  // The wizard checks the folder once it is chosen, before any project exists.
  await page.getByTestId('new-project').click();
  await page.getByTestId('project-name').fill('Unlabelled');
  await page.getByTestId('project-dir').fill(dir);
  await page.getByTestId('preset-mnist').check();
  await page.getByTestId('advanced-toggle').click();
  await page.getByTestId('batch-size').fill('16');
  await page.getByTestId('ngf').fill('16');
  await page.getByTestId('ndf').fill('16');
  await page.getByTestId('seed').fill('7');
  await page.getByTestId('dataset-folder').check();
  await page.getByTestId('dataset-path').fill(folder);
  await page.getByTestId('dataset-path').press('Tab');
  const check = page.getByTestId('folder-check');
  await expect(check).toHaveAttribute('data-severity', 'critical', { timeout: 60_000 });
  await expect(check.locator('[data-testid="folder-check-finding"][data-kind="count"]')).toContainText('too few');
  const group = check.getByTestId('folder-check-duplicates');
  await expect(group).toHaveAttribute('data-count', '2');
  await expect(group).toContainText('img03-copy.png');
  await expect(group.locator('img')).toHaveCount(2);
  await app.screenshot('health-wizard-data-check');

  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('project-name-heading')).toHaveText('Unlabelled');
  await page.getByTestId('health-data-check-toggle').click();
  await expect(page.getByTestId('project-data-check')).toHaveAttribute('data-severity', 'critical');

  // Two checkpoints; what training had no time to score is scored on demand.
  await trainSteps(page, 6);
  await trainSteps(page, 6);
  const panel = page.getByTestId('health-panel');
  await expect
    .poll(async () => Number(await panel.getAttribute('data-scored')) + Number(await panel.getAttribute('data-unscored')))
    .toBe(2);
  const score = page.getByTestId('health-score');
  if (await score.isEnabled()) await score.click();
  await expect(panel).toHaveAttribute('data-scored', '2', { timeout: 120_000 });
  await expect(score).toHaveText('All checkpoints scored');
  const best = await page.getByTestId('health-best').getAttribute('data-step');
  expect(['6', '12']).toContain(best);
  await expect(page.getByTestId('health-score-chart-marker')).toHaveAttribute('data-x', best!);
  await expect(page.locator(`[data-testid="checkpoint"][data-step="${best}"]`).getByTestId('best-mark')).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await app.screenshot('health-scored');

  // A collapse planted in the records is raised as a notice at the next checkpoint, with advice and the way back.
  plantCollapse(dir);
  await trainSteps(page, 3);
  const notice = page.locator('[data-testid="health-notice"][data-kind="mode-collapse"]');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('data-severity', 'critical');
  await expect(page.getByTestId('health-best')).toHaveAttribute('data-step', '6');
  await expect(page.locator('[data-testid="checkpoint"][data-step="6"]').getByTestId('best-mark')).toBeVisible();
  await notice.scrollIntoViewIfNeeded();
  await app.screenshot('health-collapse-notice');

  // Walks and arithmetic draw with the best checkpoint by default; the newest is one click away.
  await page.getByTestId('tab-latent').click();
  const picker = page.getByTestId('explore-checkpoint');
  await expect(picker).toHaveAttribute('data-choice', 'best');
  await expect(page.getByTestId('explore-best-step')).toHaveAttribute('data-step', '6');
  const firstTile = page.getByTestId('gallery-tile').first().locator('img');
  await expect(firstTile).toHaveAttribute('src', /^data:image\/png/);
  const atBest = (await firstTile.getAttribute('src'))!;
  await page.getByTestId('explore-newest').check();
  await expect(picker).toHaveAttribute('data-choice', 'newest');
  await expect(firstTile).not.toHaveAttribute('src', atBest);
  await page.getByTestId('explore-best').check();
  await expect(firstTile).toHaveAttribute('src', atBest);
  await page.getByTestId('tab-training').click();

  await notice.getByTestId('notice-rollback-best').click();
  await page.locator('dialog[open]').getByTestId('confirm').click();
  await expect(page.getByTestId('checkpoint').first()).toHaveAttribute('data-step', '6');
  await expect(page.getByTestId('progress')).toHaveAttribute('data-step', '6');
});
