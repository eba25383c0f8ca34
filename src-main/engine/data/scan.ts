/**
 * Finds the images of a folder import and decides whether it is labelled: when the top folder
 * holds no images itself and at least two top-level sub-folders hold images, each such
 * sub-folder is a class (ImageNet/Keras `image_dataset_from_directory` layout). With a single
 * sub-folder the label would carry no information, so the set is unlabelled.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'];

export interface ScannedImage {
  /** Absolute path. */
  path: string;
  /** Path relative to the scanned folder with '/' separators: what reports show. */
  rel: string;
  /** Class index, 0 when unlabelled. */
  label: number;
}

export interface FolderScan {
  /** Images sorted by `rel` (code-unit order, not locale: the same folder always gives the same order). */
  images: ScannedImage[];
  /** Sorted class names; empty when unlabelled. */
  classes: string[];
  /** Files without an image extension (ignored silently, counted for the UI). */
  ignored: number;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Recursively lists image files (png/jpg/jpeg/webp, any case) under `folder`. Hidden entries
 * (names starting with '.', e.g. macOS `._x.png` resource forks, `.git`) are skipped; symlinks
 * are followed once (a link cycle cannot loop).
 * @throws Error when the path does not exist or is not a folder.
 */
export async function scanImageFolder(folder: string): Promise<FolderScan> {
  const info = await stat(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new Error(`Image folder not found: ${folder}`);
    throw new Error(`Cannot open image folder ${folder}: ${err.code ?? err.message}`);
  });
  if (!info.isDirectory()) throw new Error(`Not a folder: ${folder} (pick the folder that contains the images)`);

  const found: { path: string; rel: string }[] = [];
  let ignored = 0;
  const seen = new Set<string>();

  const walk = async (dir: string, rel: string): Promise<void> => {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (rel === '') throw new Error(`Cannot read image folder ${folder}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      return; // an unreadable sub-folder is not fatal; its images are simply absent
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const path = join(dir, e.name);
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const kind = e.isSymbolicLink() ? await stat(path).catch(() => undefined) : e;
      if (kind?.isDirectory()) await walk(path, childRel);
      else if (kind?.isFile()) {
        if (IMAGE_EXTENSIONS.includes(extname(e.name).toLowerCase())) found.push({ path, rel: childRel });
        else ignored += 1;
      }
    }
  };
  await walk(folder, '');
  found.sort((a, b) => byCodeUnit(a.rel, b.rel));

  const topLevel = found.some((f) => !f.rel.includes('/'));
  const dirs = [...new Set(found.map((f) => f.rel.split('/')[0]))].sort(byCodeUnit);
  const classes = !topLevel && dirs.length >= 2 ? dirs : [];
  const index = new Map(classes.map((c, i) => [c, i]));
  const images = found.map((f) => ({ ...f, label: index.get(f.rel.split('/')[0]) ?? 0 }));
  return { images, classes, ignored };
}
