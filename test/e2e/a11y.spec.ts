import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createMnistProject, trainSteps } from './steps';

/** Serious and critical WCAG 2.1 A/AA findings on the page as it is now, as readable lines. */
async function axeProblems(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

/** WCAG contrast ratio of two computed CSS colours (rgb()/rgba(), alpha ignored). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = css
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => Number(v) / 255);
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Computed CSS properties of an element (kebab-case names), read in the page. */
function css(target: Locator, ...properties: string[]): Promise<string[]> {
  return target.evaluate((el, names) => {
    const style = el.ownerDocument.defaultView!.getComputedStyle(el);
    return names.map((name) => style.getPropertyValue(name));
  }, properties);
}

const views = [
  { tab: 'training', ready: 'chart-losses' },
  { tab: 'latent', ready: 'gallery-tile' },
  { tab: 'arith', ready: 'expression' },
  { tab: 'image', ready: 'image-panel' },
  { tab: 'directions', ready: 'directions-panel' },
  { tab: 'inside', ready: 'filters-image' },
  { tab: 'evaluate', ready: 'eval-features' },
] as const;

test('should pass an accessibility audit over every main view in both themes, with arrow-key tabs and AA contrast', async ({ app }) => {
  // Eighteen axe runs over large DOMs: minutes on a busy 2-core machine (a limit, not a speed target).
  test.setTimeout(10 * 60_000);
  const { page } = app;
  await page.setViewportSize({ width: 1440, height: 900 });

  await test.step('start view and wizard have no serious or critical findings, dark and light', async () => {
    for (const colorScheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme });
      await expect(page.getByTestId('new-project')).toBeVisible();
      expect(await axeProblems(page), `start view, ${colorScheme}`).toEqual([]);
    }
  });

  await test.step('the New-project wizard has no serious or critical findings, dark and light', async () => {
    await page.getByTestId('new-project').click();
    // With its dynamic parts showing: the folder field, a refused relative path, Create's reason, Advanced.
    await page.getByTestId('dataset-folder').check();
    await page.getByTestId('dataset-path').fill('images');
    await page.getByTestId('advanced-toggle').click();
    await expect(page.getByTestId('dataset-path-problem')).toBeVisible();
    await expect(page.getByTestId('create-blocker')).toBeVisible();
    for (const colorScheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme });
      expect.soft(await axeProblems(page), `wizard, ${colorScheme}`).toEqual([]);
      await app.screenshot(`a11y-wizard-${colorScheme}-1440`);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByRole('button', { name: '← Projects' }).click();
  });

  await createMnistProject(app, 'Audit');
  await trainSteps(page, 6);

  await test.step('the theme follows the OS setting', async () => {
    const background = async () => (await css(page.locator('body'), 'background-color'))[0];
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    // White on the light page's background is nearly 1:1; on the dark one it is far above 10:1.
    expect(contrast(light, 'rgb(255, 255, 255)')).toBeLessThan(1.2);
    expect(contrast(dark, 'rgb(255, 255, 255)')).toBeGreaterThan(10);
  });

  await test.step('the main tabs are one tab stop, moved through with arrows, Home and End', async () => {
    await page.getByTestId('tab-training').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('tab-latent')).toBeFocused();
    await expect(page.getByTestId('tab-latent')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('End');
    await expect(page.getByTestId('tab-evaluate')).toBeFocused();
    await expect(page.getByTestId('tab-evaluate')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Home');
    await expect(page.getByTestId('tab-training')).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('[role="tablist"][aria-label="Project views"] [tabindex="0"]')).toHaveCount(1);
    await expect(page.getByRole('tabpanel', { name: 'Training' })).toBeVisible();
  });

  for (const colorScheme of ['dark', 'light'] as const) {
    await test.step(`every main view passes axe in the ${colorScheme} theme`, async () => {
      await page.emulateMedia({ colorScheme });
      for (const view of views) {
        await page.getByTestId(`tab-${view.tab}`).click();
        await expect(page.getByTestId(view.ready).first()).toBeVisible();
        // Soft: one run lists every view's findings rather than stopping at the first.
        expect.soft(await axeProblems(page), `${view.tab}, ${colorScheme}`).toEqual([]);
        await app.screenshot(`a11y-${view.tab}-${colorScheme}-1440`);
      }
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.getByTestId('tab-training').click();
      await app.screenshot(`a11y-training-${colorScheme}-1024`);
      await page.setViewportSize({ width: 1440, height: 900 });
    });

    await test.step(`axis labels and primary buttons (also on hover) meet AA in the ${colorScheme} theme`, async () => {
      await page.getByTestId('tab-training').click();
      const tick = page.getByTestId('chart-losses').locator('text.tick').first();
      const [tickColour] = await css(tick, 'fill');
      const [card] = await css(
        page.getByTestId('chart-losses').locator('xpath=ancestor::section[contains(@class, "card")][1]'),
        'background-color',
      );
      expect(contrast(tickColour, card)).toBeGreaterThanOrEqual(4.5);

      const start = page.getByTestId('start');
      const colours = () => css(start, 'color', 'background-color');
      const [text, fill] = await colours();
      expect(contrast(text, fill)).toBeGreaterThanOrEqual(4.5);
      await start.hover();
      await expect.poll(async () => (await colours())[1]).not.toBe(fill);
      const [hoverText, hoverFill] = await colours();
      expect(contrast(hoverText, hoverFill)).toBeGreaterThanOrEqual(4.5);
      await page.mouse.move(0, 0);
    });
  }

  await test.step('a field that does not apply looks disabled', async () => {
    const amount = page.getByTestId('train-amount');
    const look = async () => (await css(amount, 'background-color', 'border-top-style')).join(' ');
    const enabled = await look();
    await page.getByTestId('train-unit').selectOption('forever');
    await expect(amount).toBeDisabled();
    expect(await look()).not.toBe(enabled);
    await page.getByTestId('train-unit').selectOption('steps');
  });
});
