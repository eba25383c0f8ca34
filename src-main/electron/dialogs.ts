/** The contract's shell methods: native dialogs, parented to the window that asked. */
import { BrowserWindow, dialog, type IpcMainInvokeEvent, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { ApiInput, ApiOutput, ShellMethod } from '../shared/contract';

/** A folder picker, modal to `owner` when there is one; null when cancelled. */
export async function pickDirectory(owner: BrowserWindow | null, title: string): Promise<string | null> {
  const options: OpenDialogOptions = { title, properties: ['openDirectory', 'createDirectory'] };
  const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
}

const chooseDirectory = (event: IpcMainInvokeEvent, input: ApiInput<'chooseDirectory'>) =>
  pickDirectory(BrowserWindow.fromWebContents(event.sender), input.title ?? 'Choose a folder');

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

export const shellHandlers: {
  [K in ShellMethod]: (event: IpcMainInvokeEvent, input: ApiInput<K>) => Promise<ApiOutput<K>>;
} = { chooseDirectory, chooseSaveFile };
