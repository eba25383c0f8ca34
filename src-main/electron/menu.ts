/**
 * Native application menu. Items that change what the renderer shows are sent to it as
 * `app.command` events, so the menu and the in-app buttons/shortcuts share one code path.
 */
import { app, BrowserWindow, Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../shared/contract';
import type { RecentProject } from '../shared/types';
import { pickDirectory } from './dialogs';
import { broadcast } from './ipc';

const send = (payload: AppCommand) => broadcast({ name: 'app.command', payload });

/** The folder the user picked is theirs to open: granted before the renderer is told. */
async function openProjectDialog(grants?: MenuGrants): Promise<void> {
  const dir = await pickDirectory(BrowserWindow.getFocusedWindow(), 'Open a Ganvas project');
  if (!dir) return;
  grants?.grantFolder(dir);
  send({ command: 'open-project', dir });
}

export interface MenuGrants {
  grantFolder(dir: string): void;
}

export function buildMenuTemplate(recent: RecentProject[], isDev: boolean, grants?: MenuGrants): MenuItemConstructorOptions[] {
  const isMac = process.platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.slice(0, 10).map((project) => ({
        label: `${project.name} — ${project.dir}`,
        click: () => send({ command: 'open-project', dir: project.dir }),
      }))
    : [{ label: 'No recent projects', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => send({ command: 'new-project' }) },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => void openProjectDialog(grants) },
      { label: 'Open Recent', submenu: recentItems },
      { type: 'separator' },
      { label: 'Connect to an Engine…', click: () => send({ command: 'connect-engine' }) },
      { type: 'separator' },
      { label: 'Export Sample Grid…', accelerator: 'CmdOrCtrl+E', click: () => send({ command: 'export-grid' }) },
      { label: 'Close Project', accelerator: 'CmdOrCtrl+W', click: () => send({ command: 'show-start' }) },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(isDev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(isMac
      ? [{ label: app.name, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions]
      : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ];
}

export function setupMenu(recent: RecentProject[], isDev: boolean, grants?: MenuGrants): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(recent, isDev, grants)));
}
