/** Steps shared by the "Inside" specs: a small trained project with the Inside tab open. */
import type { Page } from '@playwright/test';
import { expect, type GanvasApp } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

/** Creates the small MNIST project, trains `steps` steps and opens Inside > `view`. */
export async function openInside(app: GanvasApp, view: 'filters' | 'features' | 'guided' | 'forget', steps = 6): Promise<Page> {
  const { page } = app;
  await createMnistProject(app);
  if (steps > 0) await trainSteps(page, steps);
  await page.getByTestId('tab-inside').click();
  await expect(page.getByTestId('inside-panel')).toBeVisible();
  await page.getByTestId(`inside-tab-${view}`).click();
  return page;
}
