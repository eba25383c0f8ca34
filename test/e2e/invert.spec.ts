import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { expect, test } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

/** A 28x28 white stroke on black, like a "1": what a person would drop onto the Image tab. */
function strokePng(): string {
  const png = new PNG({ width: 28, height: 28 });
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const on = y >= 5 && y < 23 && Math.abs(x - 14 + (y - 14) / 6) < 2;
      png.data.set([on ? 255 : 0, on ? 255 : 0, on ? 255 : 0, 255], 4 * (y * 28 + x));
    }
  }
  return PNG.sync.write(png).toString('base64');
}

/** Frames, codec and size of a video as Debian's ffprobe decodes it (CI installs it); null without ffprobe. */
function probe(file: string): { codec: string; frames: number } | null {
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,nb_read_frames', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  if (r.error) return null;
  const s = JSON.parse(r.stdout).streams[0];
  return { codec: s.codec_name, frames: Number(s.nb_read_frames) };
}

test('should project a dropped image into a gallery sample used in a walk and a concept, move and sheet directions, and export a timelapse video', async ({
  app,
}) => {
  const { page } = app;
  const dir = await createMnistProject(app);
  await trainSteps(page, 10);

  // The training timelapse as an MP4 (the video export this spec decodes).
  const video = join(app.workDir, 'timelapse.mp4');
  const grids = readdirSync(join(dir, 'samples')).filter((f) => f.endsWith('.png')).length;
  await page.getByTestId('timelapse-format').selectOption('mp4');
  await app.answerSaveDialog(video);
  await page.getByTestId('timelapse-export').click();
  await expect(page.getByTestId('timelapse-result')).toHaveAttribute('data-file', video);
  await expect(page.getByTestId('timelapse-result')).toHaveAttribute('data-frames', String(grids));
  expect(existsSync(video)).toBe(true);
  const decoded = probe(video);
  if (decoded) expect(decoded).toEqual({ codec: 'h264', frames: grids });

  // Drop an image on the Image -> z tab.
  await page.getByTestId('tab-image').click();
  const panel = page.getByTestId('image-panel');
  const dataTransfer = await page.evaluateHandle((b64) => {
    // Runs in the page: a DataTransfer holding the file, as a drop from the desktop brings.
    const web = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
    };
    const transfer = new web.DataTransfer();
    transfer.items.add(new web.File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'stroke.png', { type: 'image/png' }));
    return transfer;
  }, strokePng());
  await panel.getByTestId('projection-drop').dispatchEvent('drop', { dataTransfer });
  await expect(panel.getByTestId('projection-original').locator('img')).toHaveAttribute('src', /^blob:/);

  // A long search (every step: a 10-step G soon stops improving) shows progress and ETA; Cancel stops it.
  await panel.getByTestId('projection-early-stop').uncheck();
  await panel.getByTestId('projection-steps').fill('5000');
  await panel.getByTestId('projection-restarts').fill('2');
  await panel.getByTestId('projection-run').click();
  const progress = panel.getByTestId('projection-progress');
  await expect.poll(async () => Number(await progress.getAttribute('data-done'))).toBeGreaterThan(0);
  await expect(progress).toHaveAttribute('data-total', '5000');
  await expect(panel.getByTestId('projection-reconstruction').locator('img')).toBeVisible();
  await panel.getByTestId('projection-progress-cancel').click();
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('toast-info').filter({ hasText: 'Projection cancelled' })).toBeVisible();
  await expect(panel.getByTestId('projection-result')).toHaveCount(0);

  // A short one finishes: the reconstruction beside the original with its error, saved to the gallery.
  await panel.getByTestId('projection-early-stop').check();
  await panel.getByTestId('projection-steps').fill('60');
  await panel.getByTestId('projection-run').click();
  const result = panel.getByTestId('projection-result');
  await expect(result).toBeVisible();
  expect(Number(await result.getAttribute('data-error'))).toBeGreaterThan(0);
  await expect(panel.getByTestId('projection-scrubber')).toBeVisible();
  await panel.getByTestId('projection-save-name').fill('my stroke');
  await panel.getByTestId('projection-save').click();
  await expect(panel.getByTestId('projection-save')).toHaveText('Saved to the gallery');
  await app.screenshot('60-image-projection');

  // In the gallery it is a sample like any other: a walk endpoint...
  await page.getByTestId('tab-latent').click();
  const latent = page.getByTestId('latent-panel');
  const projected = latent.getByTestId('gallery-saved').locator('[data-testid="gallery-tile"][data-projected="true"]');
  await expect(projected).toHaveCount(1);
  await expect(projected).toContainText('my stroke');
  await projected.getByTestId('gallery-pick').click();
  await latent.getByTestId('gallery-fresh').getByTestId('gallery-tile').first().getByTestId('gallery-pick').click();
  await expect(latent.getByTestId('walk-endpoints')).toHaveAttribute('data-count', '2');
  await latent.getByTestId('walk-frames').fill('4');
  await latent.getByTestId('walk-build').click();
  await expect(latent.getByTestId('walk-counter')).toHaveAttribute('data-rendered', '5');

  // ...and a concept member.
  await page.getByTestId('tab-arith').click();
  const arith = page.getByTestId('arith-panel');
  await arith.getByTestId('concept-new-name').fill('strokes');
  await arith.getByTestId('concept-add').click();
  const bucket = arith.locator('[data-testid="concept"][data-symbol="A"]');
  await arith.getByTestId('gallery-saved').locator('[data-testid="gallery-tile"][data-projected="true"]').dragTo(bucket);
  await expect(bucket).toHaveAttribute('data-count', '1');

  // Discovered directions: a slider moves the base sample (the projected one) along PC1.
  await page.getByTestId('tab-directions').click();
  const directions = page.getByTestId('directions-panel');
  await directions.getByTestId('directions-count').fill('3');
  await directions.getByTestId('directions-samples').fill('200');
  await directions.getByTestId('directions-discover').click();
  await expect(directions.getByTestId('directions-sliders').getByRole('listitem')).toHaveCount(3);
  const preview = directions.getByTestId('directions-preview');
  await expect(preview).not.toHaveAttribute('data-z', '');
  const before = await preview.getAttribute('data-z');
  await directions.getByTestId('direction-0-slider').focus();
  await page.keyboard.press('End');
  await expect(preview).not.toHaveAttribute('data-z', before!);
  await directions.getByTestId('direction-0-save').click();
  await expect(directions.getByTestId('directions-saved')).toHaveAttribute('data-count', '1');
  // The sheet: a row per direction (3 discovered, 1 saved), the base moved from -4 to +4 along each.
  await directions.getByTestId('directions-sheet-draw').click();
  await expect(directions.getByTestId('directions-sheet')).toHaveAttribute('data-rows', '4');
  await expect(directions.getByTestId('directions-sheet').getByRole('cell')).toHaveCount(4 * 7);
  await app.screenshot('61-directions');
});
