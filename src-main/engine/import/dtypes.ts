/** Little-endian tensor data of the dtypes PyTorch and TF.js files hold, as float32. */

export const ELEMENT_SIZE: Record<string, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

export function toFloat32(raw: Uint8Array, dtype: string): Float32Array {
  const n = raw.length / ELEMENT_SIZE[dtype];
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case 'float32':
        out[i] = view.getFloat32(4 * i, true);
        break;
      case 'float64':
        out[i] = view.getFloat64(8 * i, true);
        break;
      case 'float16':
        out[i] = halfToFloat(view.getUint16(2 * i, true));
        break;
      case 'bfloat16':
        out[i] = new Float32Array(new Uint32Array([view.getUint16(2 * i, true) << 16]).buffer)[0];
        break;
      case 'int64':
        out[i] = Number(view.getBigInt64(8 * i, true));
        break;
      case 'int32':
        out[i] = view.getInt32(4 * i, true);
        break;
      case 'int16':
        out[i] = view.getInt16(2 * i, true);
        break;
      case 'int8':
        out[i] = view.getInt8(i);
        break;
      default:
        out[i] = raw[i];
    }
  }
  return out;
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
