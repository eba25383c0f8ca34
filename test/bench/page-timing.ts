/**
 * What the renderer's main thread does while something happens, measured in the page: long
 * tasks (over 50 ms the window stutters) and the time between animation frames. Timings are
 * bench figures (`npm run bench`), never test assertions: a busy machine changes them.
 */
import type { Page } from '@playwright/test';

export interface PageTiming {
  longTasks: number;
  longestTaskMs: number;
  frames: number;
  frameP50Ms: number;
  frameP99Ms: number;
  /** Frames that took longer than 50 ms (a visible hitch). */
  slowFrames: number;
}

interface Recorder {
  longTasks: number[];
  frames: number[];
  stop: boolean;
}

// In-page code as source text: tsx (esbuild) would wrap named functions in a helper the page
// does not have, were this a function passed to page.evaluate.
const START_RECORDER = `(() => {
  const recorder = { longTasks: [], frames: [], stop: false };
  new PerformanceObserver((list) => list.getEntries().forEach((entry) => recorder.longTasks.push(entry.duration))).observe({ type: 'longtask' });
  let last = performance.now();
  const frame = (now) => {
    recorder.frames.push(now - last);
    last = now;
    if (!recorder.stop) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  globalThis.__timing = recorder;
})()`;

/** Starts recording; the returned function stops and summarises what was recorded since. */
export async function recordPageTiming(page: Page): Promise<() => Promise<PageTiming>> {
  await page.evaluate(START_RECORDER);
  return async () => {
    const { longTasks, frames } = await page.evaluate(() => {
      const recorder = (globalThis as unknown as { __timing: Recorder }).__timing;
      recorder.stop = true;
      return recorder;
    });
    const sorted = [...frames].sort((a, b) => a - b);
    const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0);
    return {
      longTasks: longTasks.length,
      longestTaskMs: round(Math.max(0, ...longTasks)),
      frames: frames.length,
      frameP50Ms: at(0.5),
      frameP99Ms: at(0.99),
      slowFrames: frames.filter((ms) => ms > 50).length,
    };
  };
}

/** Round trips of the trivial `ping` call along the path a click takes: page -> bridge -> engine -> page. */
export async function pagePings(page: Page, count: number): Promise<{ p50Ms: number; p99Ms: number }> {
  const latencies = await page.evaluate(async (n) => {
    const api = (globalThis as unknown as { ganvas: { ping(input: { t: number }): Promise<unknown> } }).ganvas;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await api.ping({ t: start });
      times.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return times.sort((a, b) => a - b);
  }, count);
  const at = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]);
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
