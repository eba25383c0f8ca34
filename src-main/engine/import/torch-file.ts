/**
 * Reads a PyTorch state dict (`torch.save(model.state_dict(), 'netG.pth')`) without Python:
 *  - zip format (torch >= 1.6): <name>/data.pkl + <name>/data/<key> raw little-endian storages;
 *  - legacy format (torch < 1.6, or _use_new_zipfile_serialization=False): five pickles in a row
 *    (magic number, protocol, system info, the object, the storage keys), then each storage as an
 *    int64 element count and its bytes.
 * The pickle reader (pickle.ts) only knows the globals listed here.
 */
import { PyDict, PyGlobal, PyObject, PyTuple, type PyValue, unpickle } from './pickle';
import { ELEMENT_SIZE, toFloat32 } from './dtypes';
import { looksLikeZip, readZip } from './zip';

export interface TorchTensor {
  shape: number[];
  /** Contiguous (row-major) values, converted to float32. */
  values: Float32Array;
  dtype: string;
}

export type StateDict = Map<string, TorchTensor>;

interface StorageRef {
  dtype: string;
  key: string;
}
interface TensorRef {
  storage: StorageRef;
  offset: number;
  size: number[];
  stride: number[];
}

const STORAGE_TYPES: Record<string, string> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;

const ints = (v: PyValue, what: string, file: string): number[] => {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (!items || !items.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0))
    throw new Error(`${file}: a tensor's ${what} is not a list of whole numbers`);
  return items as number[];
};

function tensorGlobals(file: string): Map<string, PyGlobal> {
  const g = new Map<string, PyGlobal>();
  const add = (module: string, name: string, call?: (args: PyValue[]) => PyValue) =>
    g.set(`${module}.${name}`, new PyGlobal(module, name, call));
  const rebuild = (args: PyValue[]) => {
    const [storage, offset, size, stride] = args;
    if (!(storage instanceof PyObject) || storage.type !== 'storage' || typeof offset !== 'number')
      throw new Error(`${file}: a tensor is not backed by a storage`);
    const ref: TensorRef = {
      storage: storage.value as StorageRef,
      offset,
      size: ints(size, 'size', file),
      stride: ints(stride, 'stride', file),
    };
    return new PyObject('tensor', ref);
  };
  add('collections', 'OrderedDict', () => new PyDict());
  add('torch._utils', '_rebuild_tensor_v2', rebuild);
  add('torch._utils', '_rebuild_tensor', rebuild);
  add('torch._utils', '_rebuild_parameter', (args) => args[0]);
  add('torch._utils', '_rebuild_parameter_with_state', (args) => args[0]);
  // Python 3 pickles `bytes` at protocol 2 as _codecs.encode(text, 'latin1').
  add('_codecs', 'encode', (args) => Uint8Array.from(Buffer.from(String(args[0]), 'latin1')));
  for (const name of Object.keys(STORAGE_TYPES)) add('torch', name);
  return g;
}

/** Storage type of a persistent id: ('storage', torch.FloatStorage, key, location, numel[, view]). */
function storageRef(pid: PyValue, file: string): PyObject {
  const items = pid instanceof PyTuple ? pid.items : null;
  const type = items?.[1];
  if (!items || items[0] !== 'storage' || !(type instanceof PyGlobal) || !(type.name in STORAGE_TYPES)) {
    throw new Error(`${file}: a tensor refers to storage of an unsupported kind`);
  }
  if (items[5] !== undefined && items[5] !== null) throw new Error(`${file}: storage views (PyTorch < 0.4 files) are not supported`);
  return new PyObject('storage', { dtype: STORAGE_TYPES[type.name], key: String(items[2]) } satisfies StorageRef);
}

/** The tensor's values in row-major order, gathered through its strides (bounds-checked). */
function materialise(name: string, ref: TensorRef, storage: Float32Array, file: string): TorchTensor {
  const { size, stride, offset } = ref;
  if (size.length !== stride.length) throw new Error(`${file}: tensor ${name} has ${size.length} sizes but ${stride.length} strides`);
  const count = size.reduce((a, b) => a * b, 1);
  const last = offset + size.reduce((a, s, i) => a + (s > 0 ? (s - 1) * stride[i] : 0), 0);
  if (count > 0 && last >= storage.length)
    throw new Error(`${file}: tensor ${name} reaches element ${last} of a storage of ${storage.length}`);
  const values = new Float32Array(count);
  const index = new Array<number>(size.length).fill(0);
  for (let i = 0; i < count; i++) {
    let src = offset;
    for (let d = 0; d < size.length; d++) src += index[d] * stride[d];
    values[i] = storage[src];
    for (let d = size.length - 1; d >= 0 && ++index[d] === size[d]; d--) index[d] = 0;
  }
  return { shape: size, values, dtype: ref.storage.dtype };
}

/** The dict of tensors in the unpickled object: itself, or the one dict of tensors inside it. */
function stateDictOf(root: PyValue, file: string): PyDict {
  if (!(root instanceof PyDict)) throw new Error(`${file} does not hold a state dict (a dict of tensors)`);
  const isTensor = (v: PyValue) => v instanceof PyObject && v.type === 'tensor';
  if ([...root.map.values()].some(isTensor)) return root;
  const nested = [...root.map].filter(([, v]) => v instanceof PyDict && [...v.map.values()].some(isTensor));
  if (nested.length === 1) return nested[0][1] as PyDict;
  if (nested.length > 1)
    throw new Error(
      `${file} holds several state dicts (${nested.map(([k]) => k).join(', ')}): save each network's state_dict() to its own file`,
    );
  throw new Error(`${file} holds no tensors`);
}

function collect(root: PyValue, storage: (ref: StorageRef) => Float32Array, file: string): StateDict {
  const dict = stateDictOf(root, file);
  const out: StateDict = new Map();
  for (const [key, v] of dict.map) {
    if (!(v instanceof PyObject && v.type === 'tensor')) continue; // e.g. a stored scalar alongside the weights
    out.set(String(key), materialise(String(key), v.value as TensorRef, storage((v.value as TensorRef).storage), file));
  }
  return out;
}

function readZipStateDict(bytes: Uint8Array, file: string): StateDict {
  const zip = readZip(bytes, file);
  const pkl = [...zip.entries.keys()].find((n) => n === 'data.pkl' || /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) throw new Error(`${file} is a zip archive but not a PyTorch file (no data.pkl)`);
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = zip.entries.get(`${prefix}byteorder`);
  if (order && Buffer.from(zip.read(order.name)).toString('ascii').trim() !== 'little')
    throw new Error(`${file} was saved on a big-endian machine, which is not supported`);
  const { value } = unpickle(zip.read(pkl), 0, { file, globals: tensorGlobals(file), persistentLoad: (pid) => storageRef(pid, file) });
  const cache = new Map<string, Float32Array>();
  return collect(
    value,
    (ref) => {
      if (!cache.has(ref.key)) {
        const raw = zip.read(`${prefix}data/${ref.key}`);
        if (raw.length % ELEMENT_SIZE[ref.dtype] !== 0)
          throw new Error(`${file}: storage ${ref.key} is not a whole number of ${ref.dtype} values`);
        cache.set(ref.key, toFloat32(raw, ref.dtype));
      }
      return cache.get(ref.key)!;
    },
    file,
  );
}

function readLegacyStateDict(bytes: Uint8Array, file: string): StateDict {
  const globals = tensorGlobals(file);
  const plain = { file, globals };
  const magic = unpickle(bytes, 0, plain);
  if (magic.value !== LEGACY_MAGIC) throw new Error(`${file} is not a PyTorch file`);
  const protocol = unpickle(bytes, magic.end, plain);
  if (protocol.value !== 1001) throw new Error(`${file} uses PyTorch file protocol ${String(protocol.value)}, not 1001`);
  const sysInfo = unpickle(bytes, protocol.end, plain);
  if (sysInfo.value instanceof PyDict && sysInfo.value.map.get('little_endian') === false)
    throw new Error(`${file} was saved on a big-endian machine, which is not supported`);
  const body = unpickle(bytes, sysInfo.end, { ...plain, persistentLoad: (pid) => storageRef(pid, file) });
  const keys = unpickle(bytes, body.end, plain);
  if (!Array.isArray(keys.value)) throw new Error(`${file}: the storage list is damaged`);
  // Storages follow in the listed order; their dtypes come from the references in the body.
  const dtypes = new Map<string, string>();
  const note = (v: PyValue) => {
    if (v instanceof PyObject && v.type === 'tensor') dtypes.set((v.value as TensorRef).storage.key, (v.value as TensorRef).storage.dtype);
    else if (v instanceof PyDict) v.map.forEach(note);
  };
  note(body.value);
  const storages = new Map<string, Float32Array>();
  let at = keys.end;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys.value.map(String)) {
    const dtype = dtypes.get(key) ?? 'float32';
    if (at + 8 > bytes.length) throw new Error(`${file} is truncated (storage ${key} is missing)`);
    const count = Number(view.getBigInt64(at, true));
    const size = count * ELEMENT_SIZE[dtype];
    if (count < 0 || at + 8 + size > bytes.length) throw new Error(`${file} is truncated (storage ${key} is cut short)`);
    storages.set(key, toFloat32(bytes.subarray(at + 8, at + 8 + size), dtype));
    at += 8 + size;
  }
  return collect(
    body.value,
    (ref) => {
      const s = storages.get(ref.key);
      if (!s) throw new Error(`${file}: storage ${ref.key} is missing`);
      return s;
    },
    file,
  );
}

/**
 * Reads the state dict in a .pth/.pt file's bytes.
 * @throws Error (one line, naming `file`) for other files, damaged or truncated ones, and pickles
 *   that refer to anything but tensors (never executed).
 */
export function readTorchStateDict(bytes: Uint8Array, file: string): StateDict {
  if (looksLikeZip(bytes)) return readZipStateDict(bytes, file);
  if (bytes.length > 262 && Buffer.from(bytes.subarray(257, 262)).toString('ascii') === 'ustar') {
    throw new Error(`${file} is a PyTorch < 0.4 tar archive: load it in PyTorch and save model.state_dict() again`);
  }
  if (bytes[0] === 0x80) return readLegacyStateDict(bytes, file);
  throw new Error(`${file} is not a PyTorch file (neither a zip archive nor a pickle)`);
}
