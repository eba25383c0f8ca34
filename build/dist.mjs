// `npm run dist [-- <electron-builder args>]`: installers for the current platform.
// Where Electron cannot be downloaded, point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron
// (the folder holding the `electron` binary); it becomes electron-builder's `electronDist`, which
// makes `--dir` and `--linux deb` work offline. Extra arguments are passed on unchanged.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

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

console.log(`electron-builder ${args.join(' ')}`);
const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
