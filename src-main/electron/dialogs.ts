/** The contract's shell methods: native dialogs, parented to the window that asked, and the file manager. */
import fs from 'node:fs';
import {
  BrowserWindow,
  dialog,
  shell,
  type IpcMainInvokeEvent,
  type MessageBoxOptions,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import type { ConfirmRequest } from '../engine/api/engine-api';
import type { ApiInput, ApiOutput, ConnectionMethod, ShellMethod } from '../shared/contract';

/** A folder picker, modal to `owner` when there is one; null when cancelled. */
export async function pickDirectory(owner: BrowserWindow | null, title: string): Promise<string | null> {
  const options: OpenDialogOptions = { title, properties: ['openDirectory', 'createDirectory'] };
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

const chooseDirectory = (event: IpcMainInvokeEvent, input: ApiInput<'chooseDirectory'>) =>
  pickDirectory(BrowserWindow.fromWebContents(event.sender), input.title ?? 'Choose a folder');

/** A file picker (a model file to import); the chosen absolute path, or null when cancelled. */
async function chooseFile(event: IpcMainInvokeEvent, input: ApiInput<'chooseFile'>): Promise<string | null> {
  const owner = BrowserWindow.fromWebContents(event.sender);
  const options: OpenDialogOptions = {
    title: input.title ?? 'Choose a file',
    properties: ['openFile'],
    ...(input.filters && { filters: input.filters }),
  };
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

async function chooseSaveFile(event: IpcMainInvokeEvent, input: ApiInput<'chooseSaveFile'>): Promise<string | null> {
  const owner = BrowserWindow.fromWebContents(event.sender);
  const options: SaveDialogOptions = {
    title: input.title ?? 'Save as',
    ...(input.defaultName && { defaultPath: input.defaultName }),
    ...(input.filters && { filters: input.filters }),
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
  const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

/**
 * "Show in folder" after an export: the file selected in the system's file manager. The
 * dispatcher has checked the path against the grants (a file this window saved); false when
 * the file is gone (moved or deleted since).
 */
async function showInFolder(_event: IpcMainInvokeEvent, input: ApiInput<'showInFolder'>): Promise<boolean> {
  if (!fs.existsSync(input.path)) return false;
  shell.showItemInFolder(input.path);
  return true;
}

/** Asks before a typed path is used (engine/api/grants.ts): a new project folder, an image folder to import. */
export async function confirmPath(request: ConfirmRequest): Promise<boolean> {
  const owner = BrowserWindow.getFocusedWindow();
  const options: MessageBoxOptions = {
    type: 'question',
    buttons: [request.kind === 'new-project' ? 'Create project' : 'Import', 'Cancel'],
    defaultId: 0,
    cancelId: 1,
    message: request.kind === 'new-project' ? 'Create a new project in this folder?' : 'Import from this folder or file?',
    detail: request.path,
  };
  const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
  return response === 0;
}

/** The native dialogs; the connection methods are answered by the engine switch (src-main/remote/engine-switch.ts). */
export type DialogMethod = Exclude<ShellMethod, ConnectionMethod>;

export const shellHandlers: {
  [K in DialogMethod]: (event: IpcMainInvokeEvent, input: ApiInput<K>) => Promise<ApiOutput<K>>;
} = { chooseDirectory, chooseFile, chooseSaveFile, showInFolder };
