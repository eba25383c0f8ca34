import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { openInside } from './inside-steps';

test('should fit the maps inside drawn boxes, drop them and keep the boxes in the project', async ({ app }) => {
  const page = await openInside(app, 'forget');
  const tiles = page.getByTestId('forget-tile');
  await expect(tiles).toHaveCount(16);
  await expect(page.getByTestId('forget-layer')).toHaveValue('g1');
  await expect(page.getByTestId('forget-map')).toHaveCount(16); // g1 of the ngf-16 net
  // Each map button shows its map for the selected sample: a crop of the engine's tile-grid PNG.
  const thumbs = page.getByTestId('forget-map-thumb');
  await expect(thumbs).toHaveCount(16);
  await expect(thumbs.first()).toHaveAttribute('style', /data:image\/png/);
  expect(await thumbs.nth(0).getAttribute('style')).not.toBe(await thumbs.nth(1).getAttribute('style'));
  await expect(page.getByTestId('forget-fit')).toBeDisabled();

  // Drag a box on sample 0 (its left half).
  const first = (await tiles.nth(0).boundingBox())!;
  await page.mouse.move(first.x + 2, first.y + 2);
  await page.mouse.down();
  await page.mouse.move(first.x + first.width * 0.3, first.y + first.height * 0.5, { steps: 4 });
  await page.mouse.move(first.x + first.width * 0.5, first.y + first.height - 2, { steps: 4 });
  await page.mouse.up();
  await expect(tiles.nth(0)).toHaveAttribute('data-boxes', '1');

  // And one on sample 1 with the keyboard: select it, type the box.
  await tiles.nth(1).focus();
  await page.keyboard.press('Enter');
  for (const [k, v] of [
    ['x0', '0'],
    ['y0', '0'],
    ['x1', '14'],
    ['y1', '28'],
  ])
    await page.getByTestId(`box-${k}`).fill(v);
  await page.getByTestId('box-add').click();
  await expect(tiles.nth(1)).toHaveAttribute('data-boxes', '1');
  await expect(page.getByTestId('forget-box-count')).toContainText('2 boxes on 2 samples');

  await page.getByTestId('forget-fit').click();
  await expect(page.getByTestId('forget-fit-summary')).toContainText('positions inside');
  const result = page.getByTestId('forget-result');
  await expect(result).not.toHaveAttribute('data-dropped', '');
  const dropped = (await result.getAttribute('data-dropped'))!.split(',').map(Number);
  for (const c of dropped)
    await expect(page.locator(`[data-testid="forget-map"][data-channel="${c}"]`)).toHaveAttribute('aria-pressed', 'true');
  const before = await page.getByTestId('forget-result').locator('img').first().getAttribute('src');
  const after = await page.getByTestId('forget-after').locator('img').first().getAttribute('src');
  expect(after).not.toBe(before);
  await app.screenshot('inside-forget');

  // Hand-pick: toggle one more map (or one fewer).
  const toggled = dropped.includes(0) ? dropped.filter((c) => c !== 0) : [0, ...dropped].sort((a, b) => a - b);
  await page.locator('[data-testid="forget-map"][data-channel="0"]').click();
  await expect(result).toHaveAttribute('data-dropped', toggled.join(','));

  // The boxes are kept in the project (written once drawing pauses), and survive switching views.
  const file = join(app.workDir, 'digits', 'inspect', 'forget.json');
  const savedBoxes = () =>
    existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).samples as { boxes: unknown[] }[]).flatMap((s) => s.boxes).length : 0;
  await expect.poll(savedBoxes).toBe(2);
  await page.getByTestId('inside-tab-filters').click();
  await page.getByTestId('inside-tab-forget').click();
  await expect(page.getByTestId('forget-box-count')).toContainText('2 boxes on 2 samples');
  await expect(page.getByTestId('forget-tile').nth(0)).toHaveAttribute('data-boxes', '1');
});
