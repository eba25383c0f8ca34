/**
 * A pickle reader limited to what torch state dicts contain. Python's pickle is a small stack
 * machine whose GLOBAL + REDUCE opcodes call arbitrary Python functions: that is how a .pth file
 * can run code. Here every GLOBAL is looked up in an allowlist (OrderedDict, torch's tensor
 * rebuilders, storage types...) and an unknown one stops the read at once with its name; calls
 * are only ever to our own TypeScript stand-ins, so nothing in a file is ever executed.
 */

import { PyDict, PyGlobal, PyTuple, type PyValue } from './pickle-values';

export { PyDict, PyGlobal, PyObject, PyTuple, type PyValue } from './pickle-values';

export interface PickleOptions {
  /** Allowlisted globals by "module.name"; anything else is refused. */
  globals: Map<string, PyGlobal>;
  /** Resolves a persistent id (torch: a storage reference). */
  persistentLoad?: (pid: PyValue) => PyValue;
  /** For error messages. */
  file: string;
}

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

/**
 * Unpickles one object starting at `offset`.
 * @returns the object and the offset just past its STOP opcode (torch's legacy format is several pickles in a row).
 * @throws Error naming the file, for an unknown global, an unsupported opcode or a truncated pickle.
 */
export function unpickle(bytes: Uint8Array, offset: number, opts: PickleOptions): { value: PyValue; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Slot[] = [];
  const memo = new Map<number, PyValue>();
  let at = offset;
  const fail = (msg: string) => new Error(`${opts.file}: ${msg}`);
  const need = (n: number) => {
    if (at + n > bytes.length) throw fail(`the pickle is truncated (it ends inside an opcode at byte ${at})`);
    const start = at;
    at += n;
    return start;
  };
  const u8 = () => bytes[need(1)];
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const i32 = () => view.getInt32(need(4), true);
  const u64 = () => {
    const lo = u32();
    const hi = u32();
    const v = hi * 2 ** 32 + lo;
    if (!Number.isSafeInteger(v)) throw fail(`a length at byte ${at - 8} is out of range`);
    return v;
  };
  const take = (n: number) => bytes.subarray(need(n), at);
  const text = (n: number, enc: BufferEncoding) => Buffer.from(take(n)).toString(enc);
  const line = () => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) throw fail(`the pickle is truncated (a line at byte ${at} never ends)`);
    return text(end - at + 1, 'latin1').slice(0, -1);
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw fail(`the pickle is malformed (stack underflow at byte ${at})`);
    return v;
  };
  const popMark = (): PyValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw fail(`the pickle is malformed (no mark at byte ${at})`);
    const items = stack.splice(i) as PyValue[];
    items.shift();
    return items;
  };
  const top = (): PyValue => {
    const v = stack.at(-1);
    if (v === undefined || v === MARK) throw fail(`the pickle is malformed (empty stack at byte ${at})`);
    return v;
  };
  const global = (module: string, name: string): PyGlobal => {
    const g = opts.globals.get(`${module}.${name}`);
    if (!g) {
      throw fail(
        `refers to the Python object ${module}.${name}, which a state dict never contains, so the file was refused ` +
          `(nothing in it was run). If it is a whole pickled model, save model.state_dict() instead.`,
      );
    }
    return g;
  };
  const setItems = (target: PyValue, items: PyValue[]) => {
    if (!(target instanceof PyDict)) throw fail(`the pickle sets items on a non-dict at byte ${at}`);
    for (let i = 0; i + 1 < items.length; i += 2) {
      const key = items[i];
      if (key !== null && typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
        if (typeof key === 'bigint' && Number.isSafeInteger(Number(key))) target.map.set(Number(key), items[i + 1]);
        else throw fail(`a dict key at byte ${at} is not a string or number`);
      } else target.map.set(key, items[i + 1]);
    }
  };
  const call = (fn: PyValue, args: PyValue) => {
    if (!(fn instanceof PyGlobal) || !fn.call) throw fail(`the pickle calls something that is not callable at byte ${at}`);
    if (!(args instanceof PyTuple)) throw fail(`the pickle calls ${fn.qualified} without an argument tuple`);
    return fn.call(args.items);
  };
  const long = (n: number): bigint | number => {
    const b = take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (n > 0 && b[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80:
        u8();
        break; // PROTO
      case 0x95:
        u64();
        break; // FRAME (the data follows inline)
      case 0x2e:
        return { value: pop(), end: at }; // STOP
      case 0x28:
        stack.push(MARK);
        break;
      case 0x7d:
        stack.push(new PyDict());
        break; // EMPTY_DICT
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x29:
        stack.push(new PyTuple([]));
        break; // EMPTY_TUPLE
      case 0x74:
        stack.push(new PyTuple(popMark()));
        break; // TUPLE
      case 0x85:
        stack.push(new PyTuple([pop()]));
        break;
      case 0x86: {
        const b = pop();
        const a = pop();
        stack.push(new PyTuple([a, b]));
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(new PyTuple([a, b, c]));
        break;
      }
      case 0x6c:
        stack.push(popMark());
        break; // LIST
      case 0x64: {
        const d = new PyDict();
        setItems(d, popMark());
        stack.push(d);
        break;
      } // DICT
      case 0x4b:
        stack.push(u8());
        break; // BININT1
      case 0x4d:
        stack.push(u16());
        break; // BININT2
      case 0x4a:
        stack.push(i32());
        break; // BININT
      case 0x8a:
        stack.push(long(u8()));
        break; // LONG1
      case 0x8b:
        stack.push(long(u32()));
        break; // LONG4
      case 0x49: {
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : Number(s));
        break;
      } // INT
      case 0x47:
        stack.push(view.getFloat64(need(8), false));
        break; // BINFLOAT
      case 0x58:
        stack.push(text(u32(), 'utf8'));
        break; // BINUNICODE
      case 0x8c:
        stack.push(text(u8(), 'utf8'));
        break; // SHORT_BINUNICODE
      case 0x8d:
        stack.push(text(u64(), 'utf8'));
        break; // BINUNICODE8
      case 0x54:
        stack.push(text(u32(), 'latin1'));
        break; // BINSTRING
      case 0x55:
        stack.push(text(u8(), 'latin1'));
        break; // SHORT_BINSTRING
      case 0x42:
        stack.push(take(u32()).slice());
        break; // BINBYTES
      case 0x43:
        stack.push(take(u8()).slice());
        break; // SHORT_BINBYTES
      case 0x8e:
        stack.push(take(u64()).slice());
        break; // BINBYTES8
      case 0x4e:
        stack.push(null);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x71:
        memo.set(u8(), top());
        break; // BINPUT
      case 0x72:
        memo.set(u32(), top());
        break; // LONG_BINPUT
      case 0x70:
        memo.set(Number(line()), top());
        break; // PUT
      case 0x94:
        memo.set(memo.size, top());
        break; // MEMOIZE
      case 0x68:
      case 0x6a:
      case 0x67: {
        // BINGET, LONG_BINGET, GET
        const key = op === 0x68 ? u8() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(key)) throw fail(`the pickle refers to memo ${key}, which was never stored`);
        stack.push(memo.get(key)!);
        break;
      }
      case 0x63: {
        const module = line();
        stack.push(global(module, line()));
        break;
      } // GLOBAL
      case 0x93: {
        const name = pop();
        const module = pop();
        stack.push(global(String(module), String(name)));
        break;
      } // STACK_GLOBAL
      case 0x73: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      } // SETITEM
      case 0x75: {
        const items = popMark();
        setItems(top(), items);
        break;
      } // SETITEMS
      case 0x61: {
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) throw fail('APPEND to a non-list');
        list.push(v);
        break;
      }
      case 0x65: {
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) throw fail('APPENDS to a non-list');
        list.push(...items);
        break;
      }
      case 0x52: {
        const args = pop();
        const fn = pop();
        stack.push(call(fn, args));
        break;
      } // REDUCE
      case 0x81: {
        const args = pop();
        const cls = pop();
        stack.push(call(cls, args));
        break;
      } // NEWOBJ
      case 0x62: {
        // BUILD: only OrderedDict's attribute state (state_dict()._metadata), which is dropped.
        const state = pop();
        if (!(top() instanceof PyDict) || !(state instanceof PyDict || state === null))
          throw fail(`the pickle sets the state of an unsupported object at byte ${at}`);
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        if (!opts.persistentLoad) throw fail('the pickle refers to external data it cannot have');
        stack.push(opts.persistentLoad(pid));
        break;
      }
      case 0x30:
        pop();
        break; // POP
      case 0x31:
        popMark();
        break; // POP_MARK
      case 0x32:
        stack.push(top());
        break; // DUP
      default:
        throw fail(`unsupported pickle opcode 0x${op.toString(16)} at byte ${at - 1}: not a PyTorch state dict`);
    }
  }
}
