/** What a person does in the UI, as reusable steps for the specs. */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, type GanvasApp } from './fixtures';

/**
 * A deliberately small model (batch 16, 16-wide nets): on this 2-core wasm machine the paper's
 * MNIST net at batch 64 trains ~1 step/s; this one trains several steps a second.
 */
export async function createMnistProject(app: GanvasApp, name = 'Digits'): Promise<string> {
  const dir = await fillMnistWizard(app, name);
  await app.page.getByTestId('create-project').click();
  await expect(app.page.getByTestId('project-name-heading')).toHaveText(name);
  return dir;
}

/** Opens the New-project wizard and fills it for a small MNIST model, without submitting. */
export async function fillMnistWizard(app: GanvasApp, name: string): Promise<string> {
  const { page } = app;
  const dir = join(app.workDir, name.toLowerCase().replace(/\W+/g, '-'));
  await page.getByTestId('new-project').click();
  await page.getByTestId('project-name').fill(name);
  await page.getByTestId('project-dir').fill(dir);
  await page.getByTestId('dataset-mnist').check();
  await page.getByTestId('preset-mnist').check();
  await page.getByTestId('advanced-toggle').click();
  await page.getByTestId('batch-size').fill('16');
  await page.getByTestId('ngf').fill('16');
  await page.getByTestId('ndf').fill('16');
  await page.getByTestId('seed').fill('7');
  return dir;
}

/** Starts a run of `steps` more steps and waits until it has finished. */
export async function trainSteps(page: Page, steps: number): Promise<void> {
  const before = Number(await page.getByTestId('progress').getAttribute('data-step'));
  await page.getByTestId('train-unit').selectOption('steps');
  await page.getByTestId('train-amount').fill(String(steps));
  await page.getByTestId('start').click();
  await expectState(page, 'finished');
  await expect(page.getByTestId('progress')).toHaveAttribute('data-step', String(before + steps));
}

export async function expectState(page: Page, state: string): Promise<void> {
  await expect(page.getByTestId('progress')).toHaveAttribute('data-state', state);
}

/** The step shown in the progress panel. */
export async function shownStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('progress').getAttribute('data-step'));
}
