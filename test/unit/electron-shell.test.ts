import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { TrainingStatus } from '../../src-main/shared/types';

const electron = vi.hoisted(() => {
  const window = { isDestroyed: () => false, webContents: { send: vi.fn() } };
  return {
    window,
    app: { name: 'Ganvas' },
    BrowserWindow: { getAllWindows: () => [window], getFocusedWindow: () => window },
    dialog: { showOpenDialog: vi.fn() },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((t: unknown) => t) },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
  };
});
vi.mock('electron', () => electron);

const { taskbarProgress, endOfRunNotice } = await import('../../src-main/electron/progress');
const { loadWindowState, saveWindowState, keepOnScreen, defaultWindowState } = await import('../../src-main/electron/window-state');
const { buildMenuTemplate } = await import('../../src-main/electron/menu');

const status = (over: Partial<TrainingStatus>): TrainingStatus => ({
  dir: '/home/me/digits',
  state: 'running',
  step: 50,
  epoch: 0.1,
  targetStep: 200,
  imagesPerSec: 30,
  etaSeconds: 10,
  ...over,
});

describe('taskbar progress', () => {
  it('shows the fraction of the target while running, indeterminate without a target', () => {
    expect(taskbarProgress(status({}))).toEqual({ value: 0.25, mode: 'normal' });
    expect(taskbarProgress(status({ targetStep: 0 }))).toEqual({ value: 2, mode: 'indeterminate' });
  });
  it('pauses, flags errors, and clears when idle or finished', () => {
    expect(taskbarProgress(status({ state: 'paused' }))).toEqual({ value: 0.25, mode: 'paused' });
    expect(taskbarProgress(status({ state: 'error' })).mode).toBe('error');
    expect(taskbarProgress(status({ state: 'finished' }))).toEqual({ value: -1, mode: 'none' });
    expect(taskbarProgress(status({ state: 'idle' }))).toEqual({ value: -1, mode: 'none' });
  });
});

describe('end-of-run notification', () => {
  it('announces a run that finished or failed, once', () => {
    expect(endOfRunNotice('running', status({ state: 'finished', step: 200 }))).toEqual({
      title: 'Training finished',
      body: 'digits: reached step 200.',
    });
    expect(endOfRunNotice('running', status({ state: 'error', message: 'out of memory' }))?.body).toBe('digits: out of memory');
    expect(endOfRunNotice('finished', status({ state: 'finished' }))).toBeNull();
    expect(endOfRunNotice(undefined, status({ state: 'finished' }))).toBeNull();
  });
});

describe('window state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ganvas-window-'));
  it('round-trips through its JSON file', () => {
    const file = join(dir, 'state.json');
    saveWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(loadWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });
  it('falls back to defaults for a missing or damaged file', () => {
    expect(loadWindowState(join(dir, 'missing.json'))).toEqual(defaultWindowState);
    const damaged = join(dir, 'damaged.json');
    writeFileSync(damaged, '{ not json');
    expect(loadWindowState(damaged)).toEqual(defaultWindowState);
  });
  it('forgets a position no display shows any more', () => {
    const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(keepOnScreen({ x: 100, y: 100, width: 800, height: 600, maximized: false }, screen).x).toBe(100);
    expect(keepOnScreen({ x: 4000, y: 100, width: 800, height: 600, maximized: false }, screen).x).toBeUndefined();
  });
});

describe('application menu', () => {
  const items = (template: MenuItemConstructorOptions[], label: string) =>
    (template.find((item) => item.label === label)?.submenu ?? []) as MenuItemConstructorOptions[];

  it('has File > New, Open, Open Recent, Export and Quit', () => {
    const file = items(buildMenuTemplate([], false), '&File');
    const labels = file.map((item) => item.label ?? item.role);
    expect(labels).toEqual(expect.arrayContaining(['New Project…', 'Open Project…', 'Open Recent', 'Export Sample Grid…']));
    expect(file.some((item) => item.role === 'quit' || item.role === 'close')).toBe(true);
    expect(file.find((item) => item.label === 'New Project…')?.accelerator).toBe('CmdOrCtrl+N');
  });

  it('opens the renderer\'s Connect dialog from File > Connect to an Engine…', () => {
    const connect = items(buildMenuTemplate([], false), '&File').find((item) => item.label === 'Connect to an Engine…');
    (connect!.click as () => void)();
    expect(electron.window.webContents.send).toHaveBeenCalledWith('ganvas:event', { name: 'app.command', payload: { command: 'connect-engine' } });
  });

  it('lists recent projects and sends the renderer an open-project command', () => {
    const recent = [{ dir: '/p/digits', name: 'Digits', openedAt: '2026-01-01T00:00:00Z' }];
    const open = items(items(buildMenuTemplate(recent, false), '&File'), 'Open Recent');
    expect(open).toHaveLength(1);
    (open[0].click as () => void)();
    expect(electron.window.webContents.send).toHaveBeenCalledWith('ganvas:event', {
      name: 'app.command',
      payload: { command: 'open-project', dir: '/p/digits' },
    });
  });
});
