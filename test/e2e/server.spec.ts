/**
 * The app driving a `ganvas serve` started as a separate process: connect with a token, create a
 * project by uploading a folder, train, lose the connection mid-run (the run goes on), reconnect
 * and see the progress made, and export a walk made on the server to a local GIF.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import omggif from 'omggif';
import { RemoteEngine } from '../../src-main/remote/client';
import type { TrainingStatus } from '../../src-main/shared/types';
import { writeImage } from '../fixtures/data-images';
import { expect, test } from './fixtures';
import { cuttableRelay, startServe, type ServeProcess } from './serve-process';
import { expectState, shownStep } from './steps';

let serve: ServeProcess | null = null;
test.afterEach(async () => {
  await serve?.stop();
  serve = null;
});

async function connect(page: Page, url: string, token: string): Promise<void> {
  await page.getByTestId('engine-badge').click();
  await page.getByTestId('engine-url').fill(url);
  await page.getByTestId('engine-token').fill(token);
  await page.getByTestId('engine-connect').click();
}

/** The wizard filled for a small grey 28 px model (batch 16, 16-wide nets), not submitted. */
async function fillWizard(page: Page, name: string, dir: string): Promise<void> {
  await page.getByTestId('new-project').click();
  await page.getByTestId('project-name').fill(name);
  await page.getByTestId('project-dir').fill(dir);
  await page.getByTestId('preset-mnist').check();
  await page.getByTestId('advanced-toggle').click();
  await page.getByTestId('batch-size').fill('16');
  await page.getByTestId('ngf').fill('16');
  await page.getByTestId('ndf').fill('16');
  await page.getByTestId('seed').fill('7');
}

// One test, in steps: starting a server and a browser costs more than any one of them (CI time).
test('should connect with a token, upload a folder, train through a dropped connection, and export a GIF locally', async ({ app }) => {
  const { page } = app;
  serve = await startServe(app.workDir);
  const relay = await cuttableRelay(serve.port);
  const server = serve;

  await test.step('a wrong token is refused; the right one connects, and the badge names the server', async () => {
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-mode', 'local');
    await connect(page, relay.url, 'not-the-token-0123456789-0123456789-012345');
    await expect(page.getByTestId('connect-error')).toContainText('refused the token');
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-mode', 'local');
    await page.getByTestId('engine-token').fill(server.token);
    await page.getByTestId('engine-connect').click();
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-mode', 'remote');
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('engine-badge')).toContainText(relay.url.replace('ws://', ''));
  });

  await test.step('a project folder outside the server root is refused', async () => {
    // The work folder is outside the server's root (root = <workDir>/root).
    await fillWizard(page, 'Outside', join(app.workDir, 'outside'));
    await page.getByTestId('dataset-mnist').check();
    await page.getByTestId('create-project').click();
    await expect(page.getByTestId('wizard-error')).toContainText("is outside the server's root folder");
    await app.screenshot('40-remote-outside-root');
    await page.getByRole('button', { name: 'Ganvas — projects' }).click();
  });

  await test.step('a project is created on the server from an uploaded folder', async () => {
    // 48 small images in two classes: an epoch is 3 steps, and each epoch end renders a grid.
    const images = join(app.workDir, 'shapes');
    for (let i = 0; i < 48; i++) {
      const v = 40 + ((i * 37) % 180);
      await writeImage(join(images, i % 2 ? 'bright' : 'dark', `s${i}.png`), 28, 28, (x, y) => (i % 2 ? [v, v, v] : [(x * y) % 255, v, 0]));
    }
    await fillWizard(page, 'Shapes', 'shapes');
    await page.getByTestId('dataset-folder').check();
    await page.getByTestId('dataset-path').fill(images);
    await page.getByTestId('create-project').click();
    await expect(page.getByTestId('project-name-heading')).toHaveText('Shapes');
    expect(existsSync(join(server.root, 'shapes', 'project.json'))).toBe(true);
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-backend', /wasm|tensorflow|cpu/);
  });

  const losses = page.getByTestId('chart-losses');
  const gridStep = async () => Number(await page.getByTestId('sample-grid').getAttribute('data-step'));
  await test.step('it trains on the server; charts and grids come in', async () => {
    await page.getByTestId('train-unit').selectOption('forever');
    await page.getByTestId('start').click();
    await expectState(page, 'running');
    await expect.poll(async () => Number(await losses.getAttribute('data-last-step'))).toBeGreaterThan(3);
    await expect.poll(gridStep).toBeGreaterThan(0);
  });

  let stepAtCut = 0;
  let stepWhileAway = 0;
  await test.step('the network drops: the app says so, and the run goes on', async () => {
    relay.cut();
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'reconnecting');
    stepAtCut = await shownStep(page);
    const direct = await RemoteEngine.connect(server.url, server.token, { reconnect: false });
    const serverStep = async () => ((await direct.call('trainingStatus', { dir: 'shapes' })) as TrainingStatus).step;
    await expect.poll(serverStep).toBeGreaterThan(stepAtCut + 6);
    stepWhileAway = await serverStep();
    direct.close();
    expect(await shownStep(page)).toBe(stepAtCut);
    await app.screenshot('41-remote-reconnecting');
  });

  await test.step('back: the app reconnects and shows where the run is, with what it made meanwhile', async () => {
    relay.restore();
    await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', 'connected');
    await expect.poll(() => shownStep(page)).toBeGreaterThanOrEqual(stepWhileAway);
    await expect.poll(async () => Number(await losses.getAttribute('data-last-step'))).toBeGreaterThanOrEqual(stepWhileAway);
    await expect.poll(gridStep).toBeGreaterThan(stepAtCut);
    await expectState(page, 'running');
    await app.screenshot('42-remote-reconnected');
    await page.getByTestId('stop').click();
    await expectState(page, 'idle');
  });

  await test.step('a walk is exported on the server and saved here as a GIF', async () => {
    await page.getByTestId('tab-latent').click();
    const tiles = page.getByTestId('gallery-fresh').getByTestId('gallery-tile');
    await tiles.nth(0).getByTestId('gallery-pick').click();
    await tiles.nth(3).getByTestId('gallery-pick').click();
    await page.getByTestId('walk-frames').fill('4');
    await page.getByTestId('walk-build').click();
    await expect(page.getByTestId('walk-counter')).toHaveAttribute('data-rendered', '5');
    const out = join(app.workDir, 'remote-walk.gif');
    await app.answerSaveDialog(out);
    await page.getByTestId('export-format').selectOption('gif');
    await page.getByTestId('export-scale').selectOption('2');
    await page.getByTestId('export-walk').click();
    await expect(page.getByTestId('export-result')).toHaveAttribute('data-file', out);
    const gif = new omggif.GifReader(new Uint8Array(readFileSync(out)));
    expect([gif.numFrames(), gif.width, gif.height]).toEqual([5, 56, 56]);
  });
  await relay.close();
});
