/**
 * The custom wasm kernels Ganvas needs to train on the wasm backend:
 * - Conv2DBackpropFilter: missing in wasm (training fails without it);
 * - Conv2DBackpropInput: stock one is 5-7x slower than the sub-pixel conv;
 * - Tile: stock one is far slower than a broadcasting add (BatchNorm grads).
 */
import { conv2dBackpropFilterKernel } from './conv2d_backprop_filter';
import { makeConv2dBackpropInputKernel } from './conv2d_backprop_input';
import { installWasmKernel, isOurs, restoreStockWasmKernels, stockWasmKernel } from './registry';
import { makeTileKernel } from './tile';

export const CUSTOM_WASM_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Tile'] as const;

/** Registers (or re-registers after a restore) all custom wasm kernels. Idempotent. */
export function registerWasmKernels(): void {
  installWasmKernel('Conv2DBackpropFilter', () => conv2dBackpropFilterKernel);
  installWasmKernel('Conv2DBackpropInput', makeConv2dBackpropInputKernel);
  installWasmKernel('Tile', makeTileKernel);
}

/** True when every custom kernel is the active wasm kernel. */
export function wasmKernelsRegistered(): boolean {
  return CUSTOM_WASM_KERNELS.every((k) => isOurs(k));
}

export { restoreStockWasmKernels, stockWasmKernel };
