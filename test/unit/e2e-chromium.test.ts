/** The e2e runner finds its Chromium by itself, or says in one line how to get one. */
import { describe, expect, it } from 'vitest';
import { chromiumCandidates, findChromium, INSTALL_CHROMIUM } from '../e2e/chromium';

describe('findChromium', () => {
  it('takes GANVAS_CHROMIUM first, and only it, when set', () => {
    expect(findChromium({ GANVAS_CHROMIUM: process.execPath })).toBe(process.execPath);
    expect(chromiumCandidates({ GANVAS_CHROMIUM: '/x/chrome' }).map((c) => c.path)).toEqual(['/x/chrome']);
  });

  it("tries Debian's chromium before Playwright's own browser", () => {
    const [debian, playwright] = chromiumCandidates({});
    expect(debian.path).toBe('/usr/bin/chromium');
    expect(playwright?.from).toBe("Playwright's Chromium");
  });

  it('fails with the one-line install instruction when the given binary is missing', () => {
    expect(() => findChromium({ GANVAS_CHROMIUM: '/nowhere/chromium' })).toThrow(INSTALL_CHROMIUM);
    expect(INSTALL_CHROMIUM).not.toContain('\n');
  });
});
