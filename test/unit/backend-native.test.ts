/**
 * Native (libtensorflow) backend handling, without libtensorflow: package
 * fixtures on disk for the binding probe, and a stand-in 'tensorflow' backend
 * for the GPU detection.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { backendName, selectBackend as selectWithProbes } from '../../src-main/engine/backend/select';
import type { BackendChoice } from '../../src-main/shared/types/backend';
import { bindingPathFor, loadNativePackage, probeNativeBinding } from '../../src-main/engine/backend/native';

const root = mkdtempSync(join(tmpdir(), 'ganvas-native-'));
const from = pathToFileURL(join(root, 'index.js')).href;
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakePackage(name: string, opts: { binding?: boolean; main?: string }): string {
  const dir = join(root, 'node_modules', ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  const binary = { module_name: 'tfjs_binding', module_path: './lib/napi-v{napi_build_version}/', napi_versions: [3, 4, 5, 6, 7, 8] };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, main: 'index.js', binary }));
  writeFileSync(join(dir, 'index.js'), opts.main ?? 'module.exports = {};');
  if (opts.binding) {
    mkdirSync(join(dir, 'lib', 'napi-v8'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
  }
  return dir;
}

describe('native binding probe', () => {
  it('reports a package that is not installed', () => {
    expect(probeNativeBinding('@fake/absent', from)).toEqual({ ok: false, reason: '@fake/absent is not installed' });
  });

  it('finds node-pre-gyp\'s path: highest N-API version the runtime supports', () => {
    const b = { module_name: 'tfjs_binding', module_path: './lib/napi-v{napi_build_version}', napi_versions: [3, 4, 5, 6, 7, 8] };
    expect(bindingPathFor('/p', b, 9)).toBe(join('/p', 'lib', 'napi-v8', 'tfjs_binding.node'));
    expect(bindingPathFor('/p', b, 5)).toBe(join('/p', 'lib', 'napi-v5', 'tfjs_binding.node'));
    expect(bindingPathFor('/p', b, 2)).toBeNull();
  });

  it('refuses an installed package whose addon is missing, without requiring it', () => {
    // If this were required, it would throw "required!" instead of the probe's reason.
    fakePackage('@fake/no-binding', { main: 'throw new Error("required!");' });
    const probe = probeNativeBinding('@fake/no-binding', from);
    expect(probe.ok).toBe(false);
    expect(!probe.ok && probe.reason).toMatch(/installed but its native addon is missing .*napi-v8.tfjs_binding\.node/);
    expect(loadNativePackage('@fake/no-binding', from)).toMatch(/native addon is missing/);
  });

  it('accepts a package with its addon, and reports require failures', () => {
    const dir = fakePackage('@fake/with-binding', { binding: true, main: 'throw new Error("libtensorflow.so.2: cannot open");' });
    expect(probeNativeBinding('@fake/with-binding', from)).toEqual({
      ok: true,
      bindingPath: join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'),
    });
    expect(loadNativePackage('@fake/with-binding', from)).toBe(
      '@fake/with-binding failed to load: libtensorflow.so.2: cannot open',
    );
    fakePackage('@fake/loads', { binding: true });
    expect(loadNativePackage('@fake/loads', from)).toBeNull();
  });

  it("on Windows, refuses an addon whose tensorflow.dll was staged into another napi-v folder", () => {
    // tfjs-node's install script stages the DLL by the installing Node's N-API version (9 on Node 20).
    const dir = fakePackage('@fake/win-dll', { binding: true });
    mkdirSync(join(dir, 'lib', 'napi-v9'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'napi-v9', 'tensorflow.dll'), '');
    const probe = probeNativeBinding('@fake/win-dll', from, 'win32');
    expect(!probe.ok && probe.reason).toMatch(/addon is in .*napi-v8 but tensorflow\.dll is not beside it \(it is in napi-v9\): copy deps\\lib\\tensorflow\.dll next to tfjs_binding\.node/);
    expect(probeNativeBinding('@fake/win-dll', from, 'linux').ok).toBe(true);
    writeFileSync(join(dir, 'lib', 'napi-v8', 'tensorflow.dll'), '');
    expect(probeNativeBinding('@fake/win-dll', from, 'win32').ok).toBe(true);
  });
});

/** Stands in for tfjs-node's NodeJSKernelBackend: only the flags matter here. */
class FakeNativeBackend extends tf.KernelBackend {
  constructor(
    readonly isGPUPackage: boolean,
    readonly isUsingGpuDevice: boolean,
  ) {
    super();
  }
  override dispose(): void {}
}

/** What the GPU probes see is injected: a machine with no NVIDIA driver, whatever this one has. */
const selectBackend = (choice: BackendChoice) =>
  selectWithProbes(choice, async () => ({ platform: 'linux', smi: { kind: 'absent' }, libraries: [], cache: null }));

describe('GPU detection with a registered tensorflow backend', () => {
  afterEach(async () => {
    await tf.setBackend('cpu');
    tf.removeBackend('tensorflow');
  });

  it('tfjs-node-gpu without CUDA is reported as not GPU, and used as tensorflow', async () => {
    tf.registerBackend('tensorflow', () => new FakeNativeBackend(true, false));
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(/found no usable CUDA GPU.*silently run on the CPU/);
    const report = await selectBackend('auto');
    expect(report.active).toBe('tensorflow');
    expect(report.attempts[0]).toMatchObject({ name: 'tensorflow-gpu', ok: false });
    expect(report.attempts[1]).toEqual({ name: 'tensorflow', ok: true });
    expect(backendName()).toBe('tensorflow');
  });

  it('a real GPU device is reported as tensorflow-gpu', async () => {
    tf.registerBackend('tensorflow', () => new FakeNativeBackend(true, true));
    const report = await selectBackend('auto');
    expect(report.active).toBe('tensorflow-gpu');
    expect(report.attempts).toEqual([{ name: 'tensorflow-gpu', ok: true }]);
    expect(backendName()).toBe('tensorflow-gpu');
  });

  it('the CPU build already loaded blocks the GPU build with a reason', async () => {
    tf.registerBackend('tensorflow', () => new FakeNativeBackend(false, false));
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(/CPU build\) is already loaded/);
    expect((await selectBackend('tensorflow')).active).toBe('tensorflow');
  });
});
