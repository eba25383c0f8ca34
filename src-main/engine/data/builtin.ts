/** The datasets Ganvas can use without an image folder: what the "new project" dialog lists. */
import type { BuiltinDataset } from '../../shared/types';
import { FASHION_MNIST_CLASSES, locateFashionMnist } from './fashion';
import { readIdxImageSets, type IdxImageSet } from './idx';
import type { DatasetLocation } from './idx-files';
import { MNIST_CLASSES, locateMnist } from './mnist';

export type BuiltinKind = BuiltinDataset['kind'];

const BUILTINS: Record<BuiltinKind, { label: string; classes: string[]; locate: () => DatasetLocation }> = {
  mnist: { label: 'MNIST handwritten digits', classes: MNIST_CLASSES, locate: locateMnist },
  'fashion-mnist': { label: 'Fashion-MNIST clothing', classes: FASHION_MNIST_CLASSES, locate: locateFashionMnist },
};

/**
 * Lists the builtin datasets with availability, image count (train + test) and, when
 * unavailable, a reason the UI can show. Cheap: reads only the label files.
 */
export function builtinDatasets(): BuiltinDataset[] {
  return (Object.keys(BUILTINS) as BuiltinKind[]).map((kind) => {
    const { label, locate } = BUILTINS[kind];
    const where = locate();
    return where.available
      ? { kind, label, available: true, count: where.count }
      : { kind, label, available: false, count: 0, reason: where.reason };
  });
}

/**
 * Loads a builtin dataset fully into memory (train then test: 70,000 28×28 images, ~55 MB).
 * @throws Error with the unavailability reason when the dataset is not installed.
 */
export function loadBuiltin(kind: BuiltinKind): IdxImageSet & { classes: string[] } {
  const { label, classes, locate } = BUILTINS[kind];
  const where = locate();
  if (!where.available) throw new Error(`${label} is unavailable: ${where.reason}`);
  return { ...readIdxImageSets(where.pairs), classes };
}
