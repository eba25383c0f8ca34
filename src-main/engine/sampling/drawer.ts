/**
 * Where G (and D, for feature maps) run when a picture is asked for: this process's tfjs backend
 * (local-drawer.ts) or the app's compute window on WebGPU (compute/browser/window-drawer.ts). Tasks
 * that draw ask their context for a Drawer bound to the networks they loaded; the pixels, layer
 * activations and logits are the same arrays either way, so everything after drawing (PNGs,
 * GIFs, tiles, rankings) is shared.
 */
import type { Activation } from '../inspect/activations';

export interface GeneratorPass {
  /** NHWC floats in [-1, 1]. */
  images: Float32Array;
  /** The captured layers' activations, by layer name. */
  acts: Map<string, Activation>;
}

export interface DiscriminatorPass {
  /** One logit per image. */
  logits: Float32Array;
  acts: Map<string, Activation>;
}

/** One set of networks (a checkpoint) on one device; every pass in inference mode. */
export interface Drawer {
  /**
   * G on z rows [n, zDim] and label rows [n, numClasses] (one-hot or soft; conditional models only).
   * @returns NHWC floats in [-1, 1], n * size * size * channels
   */
  images(z: Float32Array, labelRows: Float32Array | null): Promise<Float32Array>;
  /** G on z rows with class indices, keeping the activations of the `capture` layers. */
  generator(z: Float32Array, labels: number[] | null, capture: readonly string[]): Promise<GeneratorPass>;
  /** D on images (NHWC floats in [-1, 1]), keeping the activations of the `capture` layers. */
  discriminator(images: Float32Array, labels: number[] | null, capture: readonly string[]): Promise<DiscriminatorPass>;
}

/** A Drawer decided on its first use (e.g. where to draw: a task that never draws never probes a window). */
export function deferredDrawer(make: () => Promise<Drawer>): Drawer {
  let drawer: Promise<Drawer> | null = null;
  const ready = () => (drawer ??= make());
  return {
    images: async (z, labelRows) => (await ready()).images(z, labelRows),
    generator: async (z, labels, capture) => (await ready()).generator(z, labels, capture),
    discriminator: async (images, labels, capture) => (await ready()).discriminator(images, labels, capture),
  };
}
