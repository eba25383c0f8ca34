import type { Page } from '@playwright/test';

/**
 * Starts recording the renderer's long tasks (main thread busy > 50 ms: the window stutters).
 * Returns a function that reads the durations recorded so far.
 */
export async function recordLongTasks(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const durations: number[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((entry) => durations.push(Math.round(entry.duration))));
    // 'longtask' is browser-only; these specs are typed with Node's lib, which does not list it.
    observer.observe({ type: 'longtask' as never });
    (globalThis as unknown as { __longTasks: number[] }).__longTasks = durations;
  });
  return () => page.evaluate(() => (globalThis as unknown as { __longTasks: number[] }).__longTasks);
}
