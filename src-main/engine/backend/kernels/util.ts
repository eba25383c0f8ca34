/** Small helpers shared by the custom wasm kernels. */
import { tf } from '../tf';

/**
 * A kernel receives TensorInfos. Ops called from the engine pass real Tensors,
 * but a backend may call a kernel with bare TensorInfos, and `instanceof` fails
 * if two copies of tfjs-core are loaded: wrap anything without a `rank`.
 * The wrapper only adds a reference; call this inside `tf.tidy` so it is dropped.
 */
export function asTensor<T extends tf.Tensor = tf.Tensor>(info: tf.TensorInfo): T {
  if ((info as Partial<tf.Tensor>).rank != null) return info as T;
  return tf.engine().makeTensorFromTensorInfo(info) as T;
}

/** `n` or `[h, w]` -> `[h, w]`. */
export function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/** A named kernel input, which tfjs types as optional. */
export function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`kernel input '${name}' is missing`);
  return t;
}

/** Conv geometry for NHWC tensors without dilation (what every custom conv-gradient kernel here supports). */
export function channelsLastConvInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: Pick<tf.Conv2DBackpropInputAttrs, 'strides' | 'pad' | 'dimRoundingMode'>,
): tf.backend_util.Conv2DInfo {
  const shape4 = (s: readonly number[]) => s as [number, number, number, number];
  return tf.backend_util.computeConv2DInfo(
    shape4(xShape),
    shape4(filterShape),
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
