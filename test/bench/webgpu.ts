/**
 * The WebGPU compute window (engine/compute/browser), per preset: the first step's latency
 * (opening the window, compiling the shaders), train and G-forward images/s, measured through the
 * same calls a run makes; pictures drawn there against this process's backend; and the UI's frame times and ping round trips while a run trains there.
 * Here Chromium's only WebGPU adapter is SwiftShader (on the CPU), so the figures say what the
 * path costs, not what a GPU does; on a software adapter paper64 is skipped (minutes per step).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserDevice, browserReport, DeviceClient } from '../../src-main/engine/compute/browser/browser-device';
import { windowDrawer } from '../../src-main/engine/compute/browser/window-drawer';
import { selectBackend } from '../../src-main/engine/backend/select';
import { buildNetworks, disposeNetworks } from '../../src-main/engine/models/gan';
import { PRESETS } from '../../src-main/engine/models/architecture';
import type { Drawer } from '../../src-main/engine/sampling/drawer';
import { localDrawer } from '../../src-main/engine/sampling/local-drawer';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import type { StepData } from '../../src-main/engine/train/device/device';
import { launchChromiumBridge } from '../e2e/bridge-host';
import { findChromium } from '../e2e/chromium';
import { computePages } from '../e2e/compute-window';
import { pagePings, recordPageTiming } from './page-timing';
import { openNewProject } from './renderer';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r1 = (x: number) => Math.round(x * 10) / 10;

function syntheticStep(presetId: string, batch: number, seed: number): StepData {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const images = new Float32Array(batch * model.size * model.size * model.channels).map(() => Math.random() * 2 - 1);
  return { images, labels: null, fakeLabels: null, z: latentVectors(model, batch, seed), dropoutSeed: seed };
}

async function benchPresetOnWindow(client: DeviceClient, presetId: string, steps: number, batch = 64) {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const started = performance.now();
  const device = await BrowserDevice.open(client, model, { ...DEFAULT_HYPER, batchSize: batch }, null, (info) =>
    browserReport(info, 'webgpu', []),
  );
  await device.step(syntheticStep(presetId, batch, 0));
  const firstStepMs = Math.round(performance.now() - started);
  const times: number[] = [];
  for (let i = 1; i <= steps; i++) {
    const data = syntheticStep(presetId, batch, i);
    const t = performance.now();
    await device.step(data);
    times.push(performance.now() - t);
  }
  const z = latentVectors(model, batch, 99);
  await device.generate(z, null); // warm-up
  const t = performance.now();
  const reps = 3;
  for (let i = 0; i < reps; i++) await device.generate(z, null);
  const forwardSeconds = (performance.now() - t) / 1000;
  device.dispose();
  const ms = median(times);
  return {
    preset: presetId,
    batch,
    firstStepMs,
    msPerStep: Math.round(ms),
    trainImagesPerSec: r1((batch / ms) * 1000),
    generatorForwardImagesPerSec: r1((reps * batch) / forwardSeconds),
  };
}

/**
 * Pictures (Draw on: WebGPU) against this process's backend, side by side on the same networks:
 * sending a checkpoint's networks, a 64-sample grid, and one sample's feature maps (every G and D
 * layer kept), each the median of a few runs after a warm-up.
 */
export async function benchPictures(client: DeviceClient, presetId: string) {
  const node = await selectBackend('auto');
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const nets = buildNetworks(model, 1);
  const z = latentVectors(model, 64, 7);
  const one = z.subarray(0, model.zDim);
  const gLayers = nets.G.spec.map((l) => l.name);
  const dLayers = nets.D.spec.slice(0, -1).map((l) => l.name);
  const timed = async (run: () => Promise<unknown>, reps = 3) => {
    await run();
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    return median(times);
  };
  const measure = async (drawer: Drawer) => {
    const gridMs = await timed(() => drawer.images(z, null));
    const featureMapsMs = await timed(async () => {
      const g = await drawer.generator(one, null, gLayers);
      await drawer.discriminator(g.images, null, dLayers);
    });
    return { gridImagesPerSec: r1((64 / gridMs) * 1000), featureMapsMs: Math.round(featureMapsMs) };
  };
  const held = { loaded: null };
  const onWindow = windowDrawer(client, model, nets, held);
  const t = performance.now();
  await onWindow.images(one, null); // the first call sends the networks
  const firstPictureMs = Math.round(performance.now() - t);
  const result = {
    preset: presetId,
    firstPictureMs,
    window: await measure(onWindow),
    node: { backend: node.active, ...(await measure(localDrawer(model, nets))) },
  };
  disposeNetworks(nets);
  return result;
}

/** The window's responsiveness while a small project trains on WebGPU (the e2e bridge, Run on: WebGPU). */
async function uiWhileTraining(chromium: string, quick: boolean) {
  const root = mkdtempSync(join(tmpdir(), 'ganvas-bench-webgpu-'));
  const app = await launchChromiumBridge(chromium, join(root, 'state'), { computeWindow: true });
  const { page } = app;
  try {
    await openNewProject(page, join(root, 'project'));
    await page.getByTestId('train-backend').selectOption('webgpu');
    await page.getByTestId('train-unit').selectOption('forever');
    const clicked = performance.now();
    await page.getByTestId('start').click();
    await page.locator('[data-testid="progress"]:not([data-step="0"])').waitFor({ timeout: 300_000 });
    const firstStepInAppMs = Math.round(performance.now() - clicked);
    const timing = await recordPageTiming(page);
    const pings = await pagePings(page, quick ? 50 : 200);
    await new Promise((r) => setTimeout(r, quick ? 2000 : 5000));
    const result = { firstStepInAppMs, ...(await timing()), pingP50Ms: pings.p50Ms, pingP99Ms: pings.p99Ms };
    await page.getByTestId('stop').click();
    await page.locator('[data-testid="progress"][data-state="idle"]').waitFor({ timeout: 120_000 });
    return result;
  } finally {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchWebgpu(opts: { quick?: boolean } = {}) {
  if (!existsSync(resolve('out/renderer/compute.html'))) return { skipped: 'no built renderer: run `npm run build:renderer` first' };
  let chromium: string;
  try {
    chromium = findChromium();
  } catch (error) {
    return { skipped: (error as Error).message };
  }
  const pages = computePages(chromium);
  const link = await pages.open();
  const client = new DeviceClient((request) => link.send(request));
  link.onReply((reply) => client.receive(reply));
  try {
    const adapter = await client.call({ op: 'probe' });
    // SwiftShader takes about a minute per mnist step (batch 64): one timed step is enough there.
    const mnist = await benchPresetOnWindow(client, 'mnist', adapter.software || opts.quick ? 1 : 4);
    const pictures = await benchPictures(client, 'mnist');
    const paper64 = adapter.software
      ? { skipped: `software adapter (${adapter.architecture}): a paper64 step takes minutes; run the bench on a GPU machine` }
      : await benchPresetOnWindow(client, 'paper64', opts.quick ? 1 : 3);
    link.close();
    return { adapter, mnist, paper64, pictures, uiWhileTraining: await uiWhileTraining(chromium, opts.quick ?? false) };
  } finally {
    link.close();
    await pages.close();
  }
}
