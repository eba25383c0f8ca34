/**
 * Which Chromium drives the `chromium-bridge` specs and the bench's page measurements:
 * GANVAS_CHROMIUM when set, else Debian's /usr/bin/chromium, else the Chromium Playwright
 * downloads (`npx playwright install chromium`). With none of them there is nothing to run the
 * specs in, so this fails at once with a one-line instruction rather than per test.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const INSTALL_CHROMIUM =
  "No Chromium found: run `npx playwright install chromium` (or install Debian's `chromium` package), or set GANVAS_CHROMIUM to a Chromium binary.";

/** Candidate binaries in the order they are tried, with where each came from. */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): { from: string; path: string }[] {
  if (env.GANVAS_CHROMIUM) return [{ from: 'GANVAS_CHROMIUM', path: env.GANVAS_CHROMIUM }];
  let playwrights = '';
  try {
    playwrights = chromium.executablePath();
  } catch {
    // This Playwright has no browser registry entry for this platform: skip it.
  }
  return [
    { from: "Debian's chromium package", path: '/usr/bin/chromium' },
    { from: "Playwright's Chromium", path: playwrights },
  ].filter((c) => c.path);
}

/** The Chromium to launch; throws the one-line install instruction when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = chromiumCandidates(env);
  const found = candidates.find((c) => existsSync(c.path));
  if (found) return found.path;
  if (env.GANVAS_CHROMIUM) throw new Error(`GANVAS_CHROMIUM=${env.GANVAS_CHROMIUM} does not exist. ${INSTALL_CHROMIUM}`);
  throw new Error(INSTALL_CHROMIUM);
}
