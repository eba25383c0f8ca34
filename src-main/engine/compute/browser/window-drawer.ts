/**
 * Pictures on the compute window's WebGPU: a Drawer whose passes run in the window. A checkpoint's
 * networks travel once (their weights and BatchNorm statistics, read from this host's loaded
 * copy, so damaged-checkpoint handling and imports stay in one place); later calls send only z
 * rows or images. A lost window fails the call with DeviceLostError: the host then draws here.
 */
import type { ModelConfig } from '../../../shared/types';
import type { Activation } from '../../inspect/activations';
import { networkState, type Networks } from '../../models/gan';
import type { Drawer } from '../../sampling/drawer';
import type { DeviceClient } from './browser-device';
import type { ForwardAnswer } from './device-protocol';

/** Which networks the window holds for pictures (one set: the last drawn with). */
export interface WindowNetworks {
  loaded: Networks | null;
}

function activations(answer: ForwardAnswer): Map<string, Activation> {
  return new Map(answer.acts.map((t) => [t.name, { shape: t.shape as Activation['shape'], data: t.values }]));
}

export function windowDrawer(client: DeviceClient, model: ModelConfig, nets: Networks, held: WindowNetworks): Drawer {
  const ready = async () => {
    if (held.loaded === nets) return;
    const tensors = [...networkState(nets)].map(([name, v]) => ({ name, shape: v.shape, values: v.dataSync() as Float32Array }));
    held.loaded = null;
    await client.call({ op: 'load', model, tensors });
    held.loaded = nets;
  };
  const forward = async (net: 'G' | 'D', input: Float32Array, labels: number[] | null, capture: readonly string[]) => {
    await ready();
    return client.call({ op: 'forward', net, input, labels, capture: [...capture] });
  };
  return {
    images: async (z, labelRows) => {
      await ready();
      return client.call({ op: 'draw', z, labelRows });
    },
    generator: async (z, labels, capture) => {
      const answer = await forward('G', z, labels, capture);
      return { images: answer.output, acts: activations(answer) };
    },
    discriminator: async (images, labels, capture) => {
      const answer = await forward('D', images, labels, capture);
      return { logits: answer.output, acts: activations(answer) };
    },
  };
}

/** A Drawer that runs on `primary` until its device is lost, then on `fallback` for the rest of the call. */
export function withFallback(primary: Drawer, fallback: () => Drawer, isLoss: (error: unknown) => boolean): Drawer {
  let current = primary;
  const run = async <T>(call: (drawer: Drawer) => Promise<T>): Promise<T> => {
    try {
      return await call(current);
    } catch (error) {
      if (current !== primary || !isLoss(error)) throw error;
      current = fallback();
      return call(current);
    }
  };
  return {
    images: (z, labelRows) => run((d) => d.images(z, labelRows)),
    generator: (z, labels, capture) => run((d) => d.generator(z, labels, capture)),
    discriminator: (images, labels, capture) => run((d) => d.discriminator(images, labels, capture)),
  };
}
