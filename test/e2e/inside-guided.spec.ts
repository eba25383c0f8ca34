import { expect, test } from './fixtures';
import { openInside } from './inside-steps';

test('should show guided backprop for the trained D beside the random D, channel by channel', async ({ app }) => {
  const page = await openInside(app, 'guided');
  const result = page.getByTestId('guided-result');
  await expect(result).toHaveAttribute('data-channel', '0');
  await expect(result).toHaveAttribute('data-step', '6');
  await expect(page.getByTestId('guided-trained')).toContainText('Trained D (step 6)');
  await expect(page.getByTestId('guided-random')).toContainText('Random D');
  const trained = await page.getByTestId('guided-trained').locator('img').nth(1).getAttribute('src');
  const random = await page.getByTestId('guided-random').locator('img').nth(1).getAttribute('src');
  expect(trained).not.toBe(random);
  await app.screenshot('inside-guided');

  await page.getByRole('button', { name: 'Next channel' }).click();
  await expect(result).toHaveAttribute('data-channel', '1');
  await page.getByTestId('guided-channel').fill('5');
  await page.getByTestId('guided-channel').press('Enter');
  await expect(result).toHaveAttribute('data-channel', '5');
});
