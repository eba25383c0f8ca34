import { defineConfig } from '@playwright/test';
import type { GanvasFixtureOptions } from './test/e2e/fixtures';

/**
 * The same specs run twice: in Debian's Chromium against the built renderer with the Node engine
 * behind a test bridge, and in real Electron where a binary exists (skipped otherwise).
 * Build first: `npm run build:renderer` (the Electron project also needs out/main and out/preload).
 */
export default defineConfig<GanvasFixtureOptions>({
  testDir: 'test/e2e',
  // One engine trains at a time: the machine has two cores and training takes one.
  workers: 1,
  fullyParallel: false,
  timeout: 240_000,
  expect: { timeout: 60_000 },
  outputDir: 'test-results/artifacts',
  // Visual baselines are committed beside the specs, one folder per target (visual.spec.ts).
  snapshotPathTemplate: '{testDir}/__screenshots__/{projectName}/{arg}{ext}',
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 30_000,
  },
  projects: [
    { name: 'chromium-bridge', use: { ganvasTarget: 'chromium-bridge' } },
    { name: 'electron', use: { ganvasTarget: 'electron' } },
  ],
});
