/**
 * The path rule of a `ganvas serve`: every project, image folder and export lies under the root
 * folder given at start. Relative paths are resolved against the root; symlinks are resolved
 * before the check, so a link inside the root that points out of it is refused too. A refusal
 * names the path as the client gave it and never says whether anything exists outside the root.
 *
 * The desktop's path grants (engine/api/grants.ts) do not apply remotely: there are no native
 * dialogs on a server (the shell's methods are refused), so the root is the whole rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PathGuard, PathUse } from '../engine/api/engine-api';
import { isWithin, realLocation, refuseUnlessEmpty } from '../engine/api/path-rules';
import { refused } from '../shared/errors';

export class RootGuard implements PathGuard {
  /** The root's real location. */
  readonly root: string;

  constructor(root: string) {
    const abs = path.resolve(root);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw refused(`The root folder ${abs} does not exist`);
    this.root = fs.realpathSync(abs);
  }

  /** A payload's path, relative to the root or absolute, as its real location (not yet checked). */
  resolve(p: string): string {
    return realLocation(path.resolve(this.root, p));
  }

  /** Throws unless `p` (resolved) lies under the root; returns the resolved path. */
  confine(p: string): string {
    const real = this.resolve(p);
    if (!isWithin(real, this.root)) throw refused(`${p} is outside the server's root folder (${this.root}): use a path under it`);
    return real;
  }

  async check(use: PathUse, p: string): Promise<void> {
    const real = this.confine(p);
    if (use === 'new-project') {
      if (real === this.root) throw refused("A project needs a folder of its own under the server's root, not the root itself");
      refuseUnlessEmpty(real, p);
    }
  }

  /** Nothing to remember: a server has no dialogs whose answers grant paths. */
  granted(): void {}
}
