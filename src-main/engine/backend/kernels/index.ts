/**
 * The custom wasm kernels Ganvas needs to train on the wasm backend:
 * - Conv2DBackpropFilter: missing in wasm (training fails without it);
 * - Conv2DBackpropInput: stock one is 5-7x slower than the sub-pixel conv;
 * - Tile: stock one is far slower than a broadcasting add (BatchNorm grads);
 * - BatchMatMul: the stock transposed-operand path is a scalar loop;
 * - Conv2D: im2col + matmul where tfjs' re-layout of each new filter would dominate;
 * - the fused training kernels (fused_ops.ts) on our own SIMD code (native/).
 */
import { conv2dBackpropFilterKernel } from './conv2d_backprop_filter';
import {
  ACT,
  ACT_GRAD,
  ADAM,
  BN_ACT,
  BN_ACT_GRAD,
  composedAct,
  composedActGrad,
  composedAdam,
  composedBnAct,
  composedBnActGrad,
} from './fused_ops';
import { actGradKernel, actKernel, adamKernel, bnActGradKernel, bnActKernel } from './fused_wasm';
import { makeConv2dBackpropInputKernel } from './conv2d_backprop_input';
import { installWasmKernel, isOurs, restoreStockWasmKernels, stockWasmKernel } from './registry';
import { makeTileKernel } from './tile';
import { makeBatchMatMulKernel } from './matmul';
import { makeConv2dKernel } from './conv2d';

export const CUSTOM_WASM_KERNELS = [
  'Conv2D',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'Tile',
  'BatchMatMul',
  BN_ACT,
  BN_ACT_GRAD,
  ACT,
  ACT_GRAD,
  ADAM,
] as const;

/** Registers (or re-registers after a restore) all custom wasm kernels. Idempotent. */
export function registerWasmKernels(): void {
  installWasmKernel('Conv2D', makeConv2dKernel);
  installWasmKernel('Conv2DBackpropFilter', () => conv2dBackpropFilterKernel);
  installWasmKernel('Conv2DBackpropInput', makeConv2dBackpropInputKernel);
  installWasmKernel('Tile', makeTileKernel);
  installWasmKernel('BatchMatMul', makeBatchMatMulKernel);
  installWasmKernel(BN_ACT, () => bnActKernel(composedBnAct));
  installWasmKernel(BN_ACT_GRAD, () => bnActGradKernel(composedBnActGrad));
  installWasmKernel(ACT, () => actKernel(composedAct));
  installWasmKernel(ACT_GRAD, () => actGradKernel(composedActGrad));
  installWasmKernel(ADAM, () => adamKernel(composedAdam));
}

/** True when every custom kernel is the active wasm kernel. */
export function wasmKernelsRegistered(): boolean {
  return CUSTOM_WASM_KERNELS.every((k) => isOurs(k));
}

export { restoreStockWasmKernels, stockWasmKernel };
