// `npm run dist [-- <electron-builder args>]`: installers for the current platform.
// Where Electron cannot be downloaded, point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron
// (the folder holding the `electron` binary); it becomes electron-builder's `electronDist`, which
// makes `--dir` and `--linux deb` work offline. Extra arguments are passed on unchanged.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stageTensorflowDll } from './stage-tfjs-dll.mjs';

const require = createRequire(import.meta.url);
const cli = require.resolve('electron-builder/cli.js');
const args = ['--config', 'build/electron-builder.yml', '--publish', 'never'];

const electronDist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
if (electronDist) {
  if (!existsSync(electronDist)) {
    console.error(`ELECTRON_OVERRIDE_DIST_PATH=${electronDist} does not exist`);
    process.exit(1);
  }
  args.push(`--config.electronDist=${electronDist}`);
}
args.push(...process.argv.slice(2));

// Windows installers are built on Windows (npm ci there fetches the Windows libtensorflow).
if (process.platform === 'win32') for (const file of stageTensorflowDll()) console.log(`staged ${file}`);

console.log(`electron-builder ${args.join(' ')}`);
const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
