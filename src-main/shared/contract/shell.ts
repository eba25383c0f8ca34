/** What the desktop shell answers itself: native dialogs and the file manager. The engine never implements these. */
import { z } from 'zod';
import { pathString, text } from './common';
import { inShell } from './method';

const fileFilters = z
  .array(z.object({ name: text(100), extensions: z.array(text(16)).max(16) }))
  .max(16)
  .optional();

export const shellContract = {
  /** Native folder picker in Electron; returns null when cancelled or where there is no dialog. */
  chooseDirectory: inShell<string | null>()(z.object({ title: text(200).optional() })),
  /** Native file picker (a model file to import); the chosen absolute path, or null when cancelled. */
  chooseFile: inShell<string | null>()(z.object({ title: text(200).optional(), filters: fileFilters })),
  /** Native save dialog in Electron; the chosen absolute path, or null when cancelled. */
  chooseSaveFile: inShell<string | null>()(
    z.object({
      title: text(200).optional(),
      defaultName: text(255).optional(),
      filters: fileFilters,
    }),
  ),
  /**
   * Shows a file the app wrote (an export) selected in the system's file manager. Only a file
   * this window saved, or one under a folder it was granted, is shown (engine/api/grants.ts).
   */
  showInFolder: inShell<boolean>()(z.object({ path: pathString('no file to show') }), { paths: { path: 'reveal' } }),
} as const;
