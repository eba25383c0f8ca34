/**
 * "Before" configurations for side-by-side benchmarks: the wasm path as it was before the
 * hand-written step and the SIMD kernels (tape-differentiated step, stock BatchMatMul and
 * Adam ops, the three original custom kernels in their original form), switchable in-process so
 * A and B run interleaved under the same machine load.
 */
import { registerWasmKernels, restoreStockWasmKernels } from '../../src-main/engine/backend/kernels/index';
import { installWasmKernel } from '../../src-main/engine/backend/kernels/registry';
import { conv2dBackpropFilterKernel } from '../../src-main/engine/backend/kernels/conv2d_backprop_filter';
import { makeConv2dBackpropInputKernel } from '../../src-main/engine/backend/kernels/conv2d_backprop_input';
import { makeTileKernel } from '../../src-main/engine/backend/kernels/tile';
import { convGradMethods } from '../../src-main/engine/backend/kernels/methods';
import { referenceTrainStep, trainStep } from '../../src-main/engine/train/step';
import { tf } from '../../src-main/engine/backend/tf';

const defaults = { ...convGradMethods };

export type StepFn = typeof trainStep;

/** Makes the wasm backend run as before issue 12 and returns that step function. */
export function useLegacyPath(): StepFn {
  if (tf.getBackend() === 'wasm') {
    restoreStockWasmKernels();
    installWasmKernel('Conv2DBackpropFilter', () => conv2dBackpropFilterKernel);
    installWasmKernel('Conv2DBackpropInput', makeConv2dBackpropInputKernel);
    installWasmKernel('Tile', makeTileKernel);
    Object.assign(convGradMethods, { input: 'subpixel', filter: 'dilated', simdInterleave: false });
  }
  return referenceTrainStep;
}

/** The current path (all kernels, hand-written step). */
export function useCurrentPath(): StepFn {
  if (tf.getBackend() === 'wasm') {
    registerWasmKernels();
    Object.assign(convGradMethods, defaults);
  }
  return trainStep;
}

/**
 * The current path with the direct convs instead of Winograd and XNNPACK for every weight
 * gradient: the step before kernels/winograd.ts and gemm_small_mn, for their A/B.
 */
export function useDirectConvPath(): StepFn {
  const step = useCurrentPath();
  Object.assign(convGradMethods, { winograd: false, smallGemm: false });
  return step;
}

/** The current path with every conv transforming its filter afresh (no withFilterReuse sharing), for its A/B. */
export function useFreshFilterPath(): StepFn {
  const step = useCurrentPath();
  convGradMethods.reuseFilters = false;
  return step;
}

/** The current path with XNNPACK (through tf.matMul) multiplying the Winograd planes instead of our gemm, for its A/B. */
export function useXnnpackPlanesPath(): StepFn {
  const step = useCurrentPath();
  convGradMethods.ownGemm = false;
  return step;
}
