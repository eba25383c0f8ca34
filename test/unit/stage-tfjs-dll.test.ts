/** The Windows packaging step that puts tensorflow.dll beside tfjs-node's addon (build/stage-tfjs-dll.mjs). */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const { stageTensorflowDll } = (await import(pathToFileURL(resolve('build/stage-tfjs-dll.mjs')).href)) as {
  stageTensorflowDll(root: string): string[];
};

const root = mkdtempSync(join(tmpdir(), 'ganvas-stage-dll-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A tfjs-node package as `npm install` with Node 20 leaves it on Windows: addon in napi-v8, DLL staged into napi-v9. */
function installed(name: string): string {
  const dir = join(root, 'node_modules', ...name.split('/'));
  for (const sub of ['deps/lib', 'lib/napi-v8', 'lib/napi-v9']) mkdirSync(join(dir, sub), { recursive: true });
  const binary = { module_name: 'tfjs_binding', module_path: './lib/napi-v{napi_build_version}', napi_versions: [3, 4, 5, 6, 7, 8] };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, binary }));
  writeFileSync(join(dir, 'deps', 'lib', 'tensorflow.dll'), 'dll');
  writeFileSync(join(dir, 'lib', 'napi-v9', 'tensorflow.dll'), 'dll');
  writeFileSync(join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), 'addon');
  return dir;
}

describe('staging tensorflow.dll for the Windows installer', () => {
  it('copies the DLL into the napi-v folder the addon is loaded from, once', () => {
    const gpu = installed('@tensorflow/tfjs-node-gpu');
    expect(stageTensorflowDll(root)).toEqual([join(gpu, 'lib', 'napi-v8', 'tensorflow.dll')]);
    expect(existsSync(join(gpu, 'lib', 'napi-v8', 'tensorflow.dll'))).toBe(true);
    expect(stageTensorflowDll(root)).toEqual([]);
  });
});
