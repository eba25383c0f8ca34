/**
 * Fashion-MNIST (Xiao et al. 2017) is not on npm; Debian's `dataset-fashion-mnist` installs the
 * gzipped IDX files to /usr/share/datasets/fashion-mnist. It is optional: we detect it, never require it.
 */
import { type DatasetLocation, locateIdxDataset } from './idx-files';

/** Label order of the official files. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** Folders searched in order; GANVAS_FASHION_MNIST_DIR lets users point at a manual download. */
export function fashionMnistDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = ['/usr/share/datasets/fashion-mnist', '/usr/local/share/datasets/fashion-mnist'];
  return env.GANVAS_FASHION_MNIST_DIR ? [env.GANVAS_FASHION_MNIST_DIR, ...dirs] : dirs;
}

/** Finds Fashion-MNIST in the first folder that holds all four IDX files, or says how to get it. */
export function locateFashionMnist(dirs: string[] = fashionMnistDirs()): DatasetLocation {
  const reasons: string[] = [];
  for (const dir of dirs) {
    const found = locateIdxDataset(dir);
    if (found.available) return found;
    reasons.push(found.reason);
  }
  return {
    available: false,
    reason:
      'Fashion-MNIST is not installed: install the Debian package dataset-fashion-mnist ' +
      `or set GANVAS_FASHION_MNIST_DIR (${reasons.join('; ')})`,
  };
}
