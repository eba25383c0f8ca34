/**
 * The path facts both guards rely on: the desktop's grants (grants.ts) and a server's root
 * (server/root-guard.ts). Checks run on real locations, so a symlink cannot lead a granted or
 * rooted path somewhere else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { refused } from '../../shared/errors';

/** The real location of a path: symlinks resolved as far as the path exists. */
export function realLocation(p: string): string {
  const abs = path.resolve(p);
  let existing = abs;
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  try {
    return path.join(fs.realpathSync(existing), ...rest);
  } catch {
    return abs;
  }
}

export const isWithin = (child: string, folder: string): boolean =>
  child === folder || child.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);

/** A new project needs an empty or new folder; `shown` is the path as the caller gave it. */
export function refuseUnlessEmpty(real: string, shown: string): void {
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(real);
  } catch {
    /* a new folder */
  }
  if (entries.length > 0) throw refused(`${shown} is not empty: a new project needs an empty or new folder`);
}
