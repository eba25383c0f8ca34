/**
 * Dataset layer of the engine: builtin datasets, folder import and the on-disk cache that
 * training streams from. Plain Node + sharp, no tfjs, so the training worker can use it directly.
 */
export { builtinDatasets, loadBuiltin, type BuiltinKind } from './builtin';
export {
  createDatasetCacheWriter,
  openDatasetCache,
  writeDatasetCache,
  type CacheMeta,
  type CacheSample,
  type DatasetBatch,
  type DatasetCache,
  type DatasetCacheWriter,
  type OpenCacheOptions,
} from './cache';
export { FASHION_MNIST_CLASSES, locateFashionMnist } from './fashion';
export { importImageFolder, type FolderImportResult, type ImportOptions } from './folder-import';
export { parseIdx, readIdx, readIdxImageSets, type IdxArray, type IdxImageSet } from './idx';
export { MNIST_CLASSES, locateMnist } from './mnist';
export { prepareDataset, type PrepareOptions, type PreparedDataset } from './prepare';
export type { ProgressCallback } from './progress';
export { datasetStats, type DatasetStats } from './stats';
