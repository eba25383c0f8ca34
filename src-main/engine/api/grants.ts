/**
 * Path grants: in the desktop app a path reaches the engine only if the user chose it. A
 * compromised renderer can call any contract method with any payload, so the main process (not
 * the page) decides which folders and files the engine may touch:
 *
 *  - a folder from a native folder picker, the File menu, a dropped file or folder, or a recent
 *    project is granted with everything under it;
 *  - a save dialog's answer grants writing that exact file, once; a file so written may then be
 *    shown in the file manager ("Show in folder"), as may anything under a granted folder;
 *  - a typed path is granted when main can confirm it: an existing Ganvas project for opening,
 *    a native confirmation for a new project folder, an image folder or a model file to import.
 *
 * Refusals never say whether an ungranted path exists. The CLI and the tests use the engine
 * without a guard (paths as typed); a remote server uses its root folder instead (server/root-guard.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { refused } from '../../shared/errors';
import { PROJECT_FILE } from '../project/layout';
import { isWithin, realLocation, refuseUnlessEmpty } from './path-rules';

/** How a payload uses a path (see the contract's `paths` and `project` declarations). */
export type PathUse = 'project' | 'new-project' | 'read' | 'write' | 'reveal';

/** Files written through a save dialog remembered for "Show in folder": the newest this many. */
const REMEMBERED_WRITES = 64;

/** What the dispatcher asks before a path reaches a handler. */
export interface PathGuard {
  /** Throws 'refused' unless `abs` may be used as `use`; may ask the user first. */
  check(use: PathUse, abs: string): Promise<void>;
  /** A native dialog answered with this path (the dispatcher calls it with the shell's answer). */
  granted(kind: 'folder' | 'save', abs: string): void;
  /**
   * The path the engine uses for one `check` accepted (a server resolves a relative path against
   * its root, not the process's working folder). None: the path as given.
   */
  resolve?(p: string): string;
}

/** What main asks the user about a typed path (a native message box; the e2e bridge's stand-in). */
export interface ConfirmRequest {
  kind: 'new-project' | 'read';
  path: string;
}

export interface PathGrantsOptions {
  confirm(request: ConfirmRequest): Promise<boolean>;
  /** Folders granted earlier, e.g. the recent projects. */
  remembered?(): string[];
}

export class PathGrants implements PathGuard {
  private folders = new Set<string>();
  private saves = new Set<string>();
  private written: string[] = [];

  constructor(private readonly options: PathGrantsOptions) {}

  /** Grants a folder and everything under it (a picker's answer, a drop, a menu choice). */
  grantFolder(dir: string): void {
    this.folders.add(realLocation(dir));
  }

  /** Grants writing one file, once (a save dialog's answer). */
  grantSave(file: string): void {
    this.saves.add(realLocation(file));
  }

  granted(kind: 'folder' | 'save', abs: string): void {
    if (kind === 'folder') this.grantFolder(abs);
    else this.grantSave(abs);
  }

  private covered(real: string): boolean {
    const remembered = this.options.remembered?.() ?? [];
    return [...this.folders, ...remembered.map(realLocation)].some((folder) => isWithin(real, folder));
  }

  async check(use: PathUse, abs: string): Promise<void> {
    if (!path.isAbsolute(abs)) throw refused('Give the full path of the folder (or choose it with the folder picker)');
    const real = realLocation(abs);
    switch (use) {
      case 'write': {
        if (!this.saves.delete(real)) throw refused('Choose where to save with the Save dialog');
        this.written = [...this.written.filter((f) => f !== real), real].slice(-REMEMBERED_WRITES);
        return;
      }
      case 'reveal': {
        if (this.written.includes(real) || this.covered(real)) return;
        throw refused('Only a file this window saved can be shown in its folder');
      }
      case 'project': {
        if (this.covered(real)) return;
        // A typed path is fine when it really is a Ganvas project; anything else gets the same answer.
        if (fs.existsSync(path.join(real, PROJECT_FILE))) return this.grantFolder(real);
        throw refused(`${abs} is not a Ganvas project: choose a project folder with Open project…`);
      }
      case 'new-project': {
        if (!this.covered(real) && !(await this.options.confirm({ kind: 'new-project', path: abs }))) {
          throw refused('Creating a project in a typed folder needs your confirmation: choose the folder with the folder picker instead');
        }
        refuseUnlessEmpty(real, abs);
        return this.grantFolder(real);
      }
      case 'read': {
        if (this.covered(real)) return;
        if (!(await this.options.confirm({ kind: 'read', path: abs })))
          throw refused('Importing from a typed path needs your confirmation: choose it with Browse… instead');
        return this.grantFolder(real);
      }
    }
  }
}
