/** The Python values the pickle reader (pickle.ts) builds. */

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PyDict {
  readonly map = new Map<string | number | boolean | null, PyValue>();
}

/** An allowlisted Python global: a callable stand-in, or a marker such as a storage type. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly call?: (args: PyValue[]) => PyValue,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** Opaque results of allowlisted calls and persistent ids (tensors, storages). */
export class PyObject {
  constructor(
    readonly type: string,
    readonly value: unknown,
  ) {}
}

export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | PyDict | PyGlobal | PyObject;
