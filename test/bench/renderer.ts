/**
 * The window's responsiveness, measured in the built renderer in Chromium over the real engine
 * (the e2e specs' bridge): the main thread's long tasks and frame times, and ping round trips
 * through the page, while a run trains; then the same while zooming a 20,000-row loss history.
 * Needs `npm run build:renderer` and a Chromium (see test/e2e/chromium.ts); reports why it
 * skipped otherwise.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { appendMetrics } from '../../src-main/engine/project/metrics';
import { ProjectFiles } from '../../src-main/engine/project/layout';
import { launchChromiumBridge } from '../e2e/bridge-host';
import { findChromium } from '../e2e/chromium';
import { longHistory } from '../e2e/metric-history';
import { pagePings, recordPageTiming } from './page-timing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until `done` holds (or gives up after `ms`). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await sleep(200);
  }
}

/** Creates a small MNIST project through the page's API (as the wizard would) and opens it in the UI. */
export async function openNewProject(page: Page, dir: string, before?: (dir: string) => void): Promise<void> {
  await page.evaluate(
    (d) =>
      (globalThis as unknown as { ganvas: { createProject(input: unknown): Promise<unknown> } }).ganvas.createProject({
        dir: d,
        dataset: { kind: 'mnist' },
        batchSize: 16,
        ngf: 16,
        ndf: 16,
        seed: 7,
      }),
    dir,
  );
  before?.(dir);
  await page.getByTestId('open-path').fill(dir);
  await page.getByTestId('open-project').click();
  await page.getByTestId('project-view').waitFor();
}

const step = (page: Page) => page.getByTestId('progress').getAttribute('data-step').then(Number);

export async function benchRenderer(opts: { quick?: boolean } = {}) {
  if (!existsSync(resolve('out/renderer/index.html'))) return { skipped: 'no built renderer: run `npm run build:renderer` first' };
  let chromium: string;
  try {
    chromium = findChromium();
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const root = mkdtempSync(join(tmpdir(), 'ganvas-bench-renderer-'));
  const app = await launchChromiumBridge(chromium, join(root, 'state'));
  const { page } = app;
  try {
    // 1. While a run trains: the charts and progress update every few hundred ms.
    await openNewProject(page, join(root, 'training'));
    await page.getByTestId('train-unit').selectOption('forever');
    await page.getByTestId('start').click();
    const startStep = await until(
      () => step(page),
      (s) => s > 5,
    );
    const training = await recordPageTiming(page);
    const pings = await pagePings(page, opts.quick ? 50 : 200);
    await sleep(opts.quick ? 2000 : 5000);
    const whileTraining = {
      ...(await training()),
      pingP50Ms: pings.p50Ms,
      pingP99Ms: pings.p99Ms,
      stepsMeanwhile: (await step(page)) - startStep,
    };
    await page.getByTestId('stop').click();
    await until(
      () => page.getByTestId('progress').getAttribute('data-state'),
      (s) => s === 'idle',
    );

    // 2. A long run's history: 20,000 rows drawn, then zoomed, re-smoothed and put on a log scale.
    await page.getByRole('button', { name: 'Ganvas — projects' }).click();
    await openNewProject(page, join(root, 'history'), (dir) => appendMetrics(new ProjectFiles(dir).metrics, longHistory(20_000)));
    const losses = page.getByTestId('chart-losses');
    await until(
      () => losses.getAttribute('data-points'),
      (n) => n === '20000',
    );
    const zooming = await recordPageTiming(page);
    const box = (await losses.locator('svg').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -200);
    await page.getByTestId('smoothing').fill('0.9');
    await page.getByTestId('log-scale').check();
    await sleep(500);
    return { whileTraining, chartHistory: { rows: 20_000, ...(await zooming()) } };
  } finally {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  }
}
