/**
 * Loading the optional native TensorFlow packages (@tensorflow/tfjs-node and
 * -node-gpu) without wrecking the process when they are broken.
 *
 * Why probe before require: when the package is present but its install
 * script never produced the native addon, `require` throws about the missing
 * tfjs_binding.node only AFTER registering hundreds of kernels for a
 * 'tensorflow' backend that will never exist. Checking the file first keeps
 * that half-loaded state out of the process.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';

export const CPU_PKG = '@tensorflow/tfjs-node';
export const GPU_PKG = '@tensorflow/tfjs-node-gpu';

export type BindingProbe = { ok: true; bindingPath: string } | { ok: false; reason: string };

/** The `binary` block node-pre-gyp reads from the package's package.json. */
interface PreGypBinary {
  module_name?: string;
  module_path?: string;
  napi_versions?: number[];
}

/** tfjs-node 4.x defaults, used if package.json has no `binary` block. */
const DEFAULT_BINARY: Required<PreGypBinary> = {
  module_name: 'tfjs_binding',
  module_path: './lib/napi-v{napi_build_version}',
  napi_versions: [3, 4, 5, 6, 7, 8],
};

/**
 * Where node-pre-gyp will look for the addon: it picks the highest N-API
 * version in `napi_versions` that this runtime supports.
 */
export function bindingPathFor(pkgDir: string, binary: PreGypBinary, runtimeNapi: number): string | null {
  const b = { ...DEFAULT_BINARY, ...binary };
  const usable = b.napi_versions.filter((v) => v <= runtimeNapi);
  if (usable.length === 0) return null;
  const napi = String(Math.max(...usable));
  const modulePath = b.module_path
    .replace('{napi_build_version}', napi)
    .replace('{platform}', process.platform)
    .replace('{arch}', process.arch)
    .replace('{node_abi}', `node-v${process.versions.modules}`);
  return resolve(pkgDir, modulePath, `${b.module_name}.node`);
}

/**
 * Windows only: the addon finds tensorflow.dll only beside itself (Node loads addons with
 * LOAD_WITH_ALTERED_SEARCH_PATH). tfjs-node's install script copies the DLL into
 * lib/napi-v<N-API of the Node that ran `npm install`> (scripts/deps-constants.js), while the addon
 * is looked up in the highest folder of `napi_versions` the runtime supports (napi-v8 for any
 * Node or Electron with N-API 8+): after an install with Node 20+ they differ (tfjs#8579, #8581).
 * @returns why the DLL is missing, or null.
 */
function missingWindowsDll(pkg: string, bindingPath: string): string | null {
  const addonDir = dirname(bindingPath);
  if (existsSync(join(addonDir, 'tensorflow.dll'))) return null;
  const libDir = dirname(addonDir);
  let elsewhere: string[] = [];
  try {
    elsewhere = readdirSync(libDir).filter((d) => existsSync(join(libDir, d, 'tensorflow.dll')));
  } catch {
    // No lib folder: nothing to point at.
  }
  return (
    `${pkg}'s addon is in ${addonDir} but tensorflow.dll is not beside it` +
    (elsewhere.length ? ` (it is in ${elsewhere.join(', ')})` : '') +
    `: copy deps\\lib\\tensorflow.dll next to ${basename(bindingPath)} (docs/gpu.md, "Packaging")`
  );
}

/**
 * Checks that `pkg` is installed and its native addon exists, without loading it.
 * @param from module URL or path to resolve the package from (tests point it at a fixture).
 * @param platform the OS whose loader rules apply (tests check Windows' on any OS).
 */
export function probeNativeBinding(pkg: string, from: string = import.meta.url, platform: NodeJS.Platform = process.platform): BindingProbe {
  let pkgJsonPath: string;
  try {
    pkgJsonPath = createRequire(from).resolve(`${pkg}/package.json`);
  } catch {
    return { ok: false, reason: `${pkg} is not installed` };
  }
  let binary: PreGypBinary = {};
  try {
    binary = (JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as { binary?: PreGypBinary }).binary ?? {};
  } catch (e) {
    return { ok: false, reason: `${pkg}/package.json is unreadable: ${(e as Error).message}` };
  }
  const napi = Number(process.versions.napi ?? 0);
  const bindingPath = bindingPathFor(dirname(pkgJsonPath), binary, napi);
  if (bindingPath === null) {
    return { ok: false, reason: `${pkg} has no native addon for N-API ${napi}` };
  }
  if (!existsSync(bindingPath)) {
    return {
      ok: false,
      reason:
        `${pkg} is installed but its native addon is missing (${bindingPath}); ` +
        `its install script did not run or could not download libtensorflow`,
    };
  }
  const dllMissing = platform === 'win32' ? missingWindowsDll(pkg, bindingPath) : null;
  if (dllMissing !== null) return { ok: false, reason: dllMissing };
  return { ok: true, bindingPath };
}

/**
 * Probes, then requires `pkg` (which registers and activates tfjs' 'tensorflow' backend).
 * @returns null when loaded, else why not.
 */
export function loadNativePackage(pkg: string, from: string = import.meta.url): string | null {
  const probe = probeNativeBinding(pkg, from);
  if (!probe.ok) return probe.reason;
  // TensorFlow's C++ start-up logs (oneDNN, CPU features, absl) go to stderr, where a CLI's
  // one-line error must come first; warnings and errors still show. A user's own setting wins.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  try {
    createRequire(from)(pkg);
    return null;
  } catch (e) {
    // e.g. libtensorflow.so missing or built for another CPU/CUDA: dlopen fails here.
    return `${pkg} failed to load: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** The properties tfjs-node's NodeJSKernelBackend exposes that we read. */
export interface NativeBackendFlags {
  /** True for the @tensorflow/tfjs-node-gpu build. */
  isGPUPackage?: boolean;
  /**
   * Set by the addon from TensorFlow's own device list (TF_DeviceListType ==
   * "GPU"). TensorFlow only lists a GPU once CUDA and cuDNN loaded and a
   * device initialised, so false means the GPU build is silently running on
   * the CPU. Uncertainty: we cannot test it here (no GPU, no libtensorflow);
   * older addons without the flag are treated as "not on GPU".
   */
  isUsingGpuDevice?: boolean;
}
