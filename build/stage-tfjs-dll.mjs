// Windows packaging step (build/dist.mjs runs it before electron-builder): puts tensorflow.dll beside
// tfjs-node(-gpu)'s addon. Node and Electron load the addon from lib/napi-v<N>, N the highest entry of
// the package's `napi_versions` their N-API supports (8 for tfjs-node 4.22 on any current runtime),
// and Windows finds tensorflow.dll only beside the addon; but the package's install script stages the
// DLL into lib/napi-v<N-API of the Node that ran `npm install`> (9 or more on Node 20+), so a packed
// app would fail to load it. src-main/engine/backend/native.ts reports the same case at run time.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const TFJS_NODE_PACKAGES = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

/**
 * Copies deps/lib/tensorflow.dll into the addon folder Electron will load, for each installed
 * tfjs-node package that has both. Returns the files it wrote.
 */
export function stageTensorflowDll(root = process.cwd()) {
  const written = [];
  for (const pkg of TFJS_NODE_PACKAGES) {
    const dir = path.join(root, 'node_modules', ...pkg.split('/'));
    const dll = path.join(dir, 'deps', 'lib', 'tensorflow.dll');
    if (!existsSync(dll)) continue;
    const binary = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).binary ?? {};
    const napi = Math.max(...(binary.napi_versions ?? [8]));
    const addonDir = path.join(dir, (binary.module_path ?? './lib/napi-v{napi_build_version}').replace('{napi_build_version}', String(napi)));
    const target = path.join(addonDir, 'tensorflow.dll');
    if (!existsSync(path.join(addonDir, 'tfjs_binding.node')) || existsSync(target)) continue;
    copyFileSync(dll, target);
    written.push(target);
  }
  return written;
}
