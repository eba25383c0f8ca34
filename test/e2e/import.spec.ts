/**
 * Models from elsewhere and the sources' other nets, as a person meets them: "Import a model…"
 * on the start screen with a committed PyTorch fixture (explored without a dataset), and the
 * wizard's variant preset with its switches, the fake-label scheme and a previewed centre crop.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { imageFolder } from '../helpers/images';
import { expect, test } from './fixtures';

const fixture = (file: string) => join(import.meta.dirname, '../fixtures/import', file);
const decodeDataUrl = (src: string) => PNG.sync.read(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64'));

test('should import a PyTorch DCGAN from the start screen, say what it is and walk its latent space', async ({ app }) => {
  const { page } = app;
  await page.getByTestId('import-model').click();
  await page.getByTestId('import-generator').fill(fixture('dcgan-netG.pth'));
  await page.getByTestId('import-discriminator').fill(fixture('dcgan-netD.pth'));
  await page.getByTestId('import-sampling').selectOption('eval');
  await page.getByTestId('import-dir').fill(join(app.workDir, 'imported'));
  await page.getByTestId('import-model-submit').click();

  await expect(page.getByTestId('imported-family')).toHaveText('pytorch/examples DCGAN');
  await expect(page.getByTestId('imported-sampling')).toContainText('eval mode');
  await app.screenshot('60-import-done');
  await page.getByTestId('open-imported').click();
  await expect(page.getByTestId('project-name-heading')).toHaveText('imported');
  await expect(page.getByTestId('imported-origin')).toContainText('dcgan-netG.pth + dcgan-netD.pth');
  // No training images: training says why instead of failing.
  await expect(page.getByTestId('train-needs-dataset')).toBeVisible();
  await expect(page.getByTestId('start')).toBeDisabled();

  // The imported generator draws: 64x64 colour samples, not a flat image.
  await page.getByTestId('tab-latent').click();
  const tiles = page.getByTestId('gallery-fresh').getByTestId('gallery-tile');
  await expect(tiles).toHaveCount(16);
  const sample = decodeDataUrl((await tiles.first().locator('img').getAttribute('src')) ?? '');
  expect([sample.width, sample.height]).toEqual([64, 64]);
  expect(new Set(sample.data.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(16);

  await tiles.nth(0).getByTestId('gallery-pick').click();
  await tiles.nth(3).getByTestId('gallery-pick').click();
  await page.getByTestId('walk-frames').fill('4');
  await page.getByTestId('walk-build').click();
  const counter = page.getByTestId('walk-counter');
  await expect(counter).toHaveAttribute('data-total', '5');
  await expect(counter).toHaveAttribute('data-rendered', '5');
  await app.screenshot('61-import-walk');

  await page.getByTestId('tab-evaluate').click();
  await expect(page.getByTestId('eval-needs-dataset')).toContainText('imported without them');
});

test('should create a PyTorch-GAN project with its switches, random fake labels and a previewed centre crop', async ({ app }) => {
  const { page } = app;
  const images = await imageFolder(join(app.workDir, 'images'), { classes: ['a', 'b'], perClass: 4, width: 48, height: 40 });
  const dir = join(app.workDir, 'variant');
  await page.getByTestId('new-project').click();
  await page.getByTestId('project-name').fill('Variant');
  await page.getByTestId('project-dir').fill(dir);
  await page.getByTestId('preset-pytorch-gan-mnist').check();
  await page.getByTestId('dataset-folder').check();
  await page.getByTestId('dataset-path').fill(images);
  // A committed path starts the data check above the crop and the preview; let it settle first.
  await page.getByTestId('dataset-path').press('Tab');
  await expect(page.getByTestId('folder-check-run')).toBeVisible();

  // The preview shows the images as the preset will see them: 32x32 grey, then cut to the centre.
  const preview = page.getByTestId('folder-preview');
  await page.getByTestId('folder-preview-show').click();
  await expect(preview).toContainText('8 images; the first as the import will cut them:');
  const firstThumb = async () => decodeDataUrl((await preview.getByTestId('preview-image').first().getAttribute('src')) ?? '');
  const whole = await firstThumb();
  await page.getByTestId('crop-enabled').check();
  await page.getByTestId('crop-size').fill('36');
  await expect(preview).toContainText('8 images; the first as the import will cut them (centre 36px):');
  await expect(preview.getByTestId('preview-image')).toHaveCount(6);
  const cropped = await firstThumb();
  expect([cropped.width, cropped.height]).toEqual([32, 32]);
  // The images are horizontal gradients: the centre crop spans less of it than the whole image.
  expect(cropped.data.equals(whole.data)).toBe(false);

  // PyTorch-GAN's nets have conv biases; take G's BatchNorm away and pool before D's head.
  await expect(page.getByTestId('option-convBias')).toBeChecked();
  await page.getByTestId('option-gBatchNorm').uncheck();
  await page.getByTestId('option-dGlobalPool').check();
  await page.getByTestId('advanced-toggle').click();
  await page.getByTestId('conditional').check();
  await page.getByTestId('fake-labels').selectOption('random');
  await page.getByTestId('batch-size').fill('4');
  await app.screenshot('62-variant-wizard');
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('project-name-heading')).toHaveText('Variant');

  const config = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8'));
  expect(config.model.arch.family).toBe('pytorch-gan');
  expect(config.model.arch.generator.some((layer: { batchNorm: boolean }) => layer.batchNorm)).toBe(false);
  expect(config.model.arch.discriminator.at(-1)).toMatchObject({ kind: 'linear', globalPool: true });
  expect(config.train.fakeLabels).toBe('random');
  expect(config.dataset.source).toEqual({ kind: 'folder', path: images, crop: 36 });
});
