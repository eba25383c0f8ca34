/**
 * Remembers the window's size, position and maximized state in userData/window-state.json.
 * Pure file I/O plus a bounds check, so it is testable without Electron.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const defaultWindowState: WindowState = { width: 1280, height: 820, maximized: false };

export function loadWindowState(file: string): WindowState {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
    return {
      x: typeof saved.x === 'number' ? saved.x : undefined,
      y: typeof saved.y === 'number' ? saved.y : undefined,
      width: Math.max(640, numberOr(saved.width, defaultWindowState.width)),
      height: Math.max(480, numberOr(saved.height, defaultWindowState.height)),
      maximized: saved.maximized === true,
    };
  } catch {
    return { ...defaultWindowState };
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(file, JSON.stringify(state, null, 2));
  } catch {
    // Losing the window position is not worth an error dialog on quit.
  }
}

/** Drops a saved position that no display shows any more (a monitor was unplugged). */
export function keepOnScreen(state: WindowState, workAreas: Rect[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  const visible = workAreas.some(
    (area) => x + 100 > area.x && x < area.x + area.width - 100 && y >= area.y && y < area.y + area.height - 50,
  );
  return visible ? state : { ...state, x: undefined, y: undefined };
}
