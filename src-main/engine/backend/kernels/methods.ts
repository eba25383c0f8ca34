/**
 * Which formulation the wasm conv-gradient kernels use. The defaults are the measured winners
 * (test/bench/kernels.ts compares them); the benchmark switches them to measure A against B.
 * - input: 'gemm' = matmul + col2im; 'subpixel' = one packed stride-1 conv + interleave;
 *   'phases' = s*s exact stride-1 convs; 'auto' picks per shape (conv2d_backprop_input.ts).
 * - filter: 'gemm' = im2col + matmul; 'dilated' = a dilated conv of input and output gradient.
 */
export const convGradMethods: {
  input: 'auto' | 'gemm' | 'subpixel' | 'phases';
  filter: 'gemm' | 'dilated';
  /** Forward convs (and phase convs): tfjs' XNNPACK conv, im2col + matmul, or by shape. */
  forward: 'auto' | 'xnn' | 'gemm';
  /** Sub-pixel interleave + crop in our SIMD code (false: reshape, transpose and slice ops). */
  simdInterleave: boolean;
  /** Winograd F(2x2, 2x2) for 2x2-tap convs where it applies (winograd.ts); false: the direct forms above. */
  winograd: boolean;
  /** F(4x4, 2x2) tiles on large maps (winograd.ts' tileSizeFor); false: F(2x2, 2x2) everywhere. */
  winograd4x4: boolean;
  /** Weight gradients with few rows (first layers) through our own matmul (conv_gemm.ts); false: XNNPACK's. */
  smallGemm: boolean;
  /** Transformed filters shared by the convs inside one withFilterReuse scope (winograd.ts); false: made per conv. */
  reuseFilters: boolean;
  /** Winograd planes multiplied by our own matmul, reading the filters in place (winograd.ts); false: XNNPACK's. */
  ownGemm: boolean;
} = {
  input: 'auto',
  filter: 'gemm',
  forward: 'auto',
  simdInterleave: true,
  winograd: true,
  winograd4x4: true,
  smallGemm: true,
  reuseFilters: true,
  ownGemm: true,
};
