/**
 * Every shared data type, one file per feature; import from here or from the feature's file.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */
export * from './backend';
export type * from './model';
export type * from './project';
export type * from './training';
export type * from './latent';
export type * from './arith';
export type * from './inspect';
export type * from './eval';
export type * from './connection';
export type * from './health';
export type * from './invert';
