/** How each compute backend is named in the app (the badge, the engine badge, the training controls). */
import type { BackendChoice } from '$shared/types/backend';

export const backendNames: Record<BackendChoice, string> = {
  auto: 'Best available',
  'tensorflow-gpu': 'TensorFlow GPU',
  webgpu: 'WebGPU (compute window)',
  tensorflow: 'TensorFlow CPU',
  wasm: 'WebAssembly',
  cpu: 'Plain JS (slow)',
};
