/** The layer lists of the inspect views, from the architecture alone (no tfjs needed). */
import type { InspectLayer, InspectLayers, InspectNet } from '../../shared/types/inspect';
import type { ModelConfig } from '../../shared/types';
import { discriminatorSpec, generatorSpec, type LayerSpec } from '../models/architecture';
import { hasFilters } from './filters';

const describe = (net: InspectNet, l: LayerSpec): InspectLayer => ({
  net,
  name: l.name,
  kind: l.kind,
  inChannels: l.inChannels,
  outChannels: l.outChannels,
  kernel: l.kernel,
  outSize: l.outSize,
  hasFilters: hasFilters(l),
});

export function inspectLayers(model: ModelConfig, step: number): InspectLayers {
  const G = generatorSpec(model);
  return {
    step,
    G: G.map((l) => describe('G', l)),
    D: discriminatorSpec(model).map((l) => describe('D', l)),
    forgetLayer: G.at(-2)!.name,
  };
}

/** Which network a layer name belongs to: g0..gN are G's, d1..dN D's. */
export function netOfLayer(name: string): InspectNet {
  if (name.startsWith('g')) return 'G';
  if (name.startsWith('d')) return 'D';
  throw new Error(`'${name}' is not a layer name: G's are g0, g1, ..., D's d1, d2, ...`);
}
