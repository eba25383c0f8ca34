/** Pictures on this process's tfjs backend: the Drawer every engine without a compute window uses. */
import type { ModelConfig } from '../../shared/types';
import { runDiscriminator, runGenerator } from '../inspect/activations';
import type { Networks } from '../models/gan';
import type { Drawer } from './drawer';
import { generateRows } from './sampler';

/** A Drawer on this process's tfjs backend. */
export function localDrawer(model: ModelConfig, nets: Networks): Drawer {
  return {
    images: async (z, labelRows) => generateRows(nets.G, model, z, labelRows),
    generator: async (z, labels, capture) => runGenerator(nets.G, model, z, labels, (layer) => capture.includes(layer)),
    discriminator: async (images, labels, capture) => runDiscriminator(nets.D, model, images, labels, (layer) => capture.includes(layer)),
  };
}
