/** Recently opened projects, kept in the app's state folder (Electron's userData). */
import fs from 'node:fs';
import path from 'node:path';
import type { RecentProject } from '../../shared/types';
import { writeJsonAtomic } from '../project/atomic';
import { PROJECT_FILE } from '../project/layout';

const MAX_RECENT = 12;

export class RecentProjects {
  private readonly file: string;

  constructor(stateDir: string) {
    fs.mkdirSync(stateDir, { recursive: true });
    this.file = path.join(stateDir, 'recent-projects.json');
  }

  /** Newest first; projects whose folder was deleted or moved are left out. */
  list(): RecentProject[] {
    let items: RecentProject[] = [];
    try {
      items = JSON.parse(fs.readFileSync(this.file, 'utf8')) as RecentProject[];
    } catch {
      return [];
    }
    return items.filter((p) => fs.existsSync(path.join(p.dir, PROJECT_FILE)));
  }

  add(dir: string, name: string): void {
    const items = [{ dir, name, openedAt: new Date().toISOString() }, ...this.list().filter((p) => p.dir !== dir)];
    writeJsonAtomic(this.file, items.slice(0, MAX_RECENT));
  }
}
