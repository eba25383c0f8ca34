import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// app-builder-lib is electron-builder's own engine (same pinned release); it has no public "validate" entry.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';

describe('electron-builder config', () => {
  it('loads and passes electron-builder validation', async () => {
    const config = await getConfig(process.cwd(), 'build/electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.productName).toBe('Ganvas');
  });

  it('targets Linux AppImage + deb, Windows nsis and macOS dmg, with the app icon', async () => {
    const config = await getConfig(process.cwd(), 'build/electron-builder.yml', null);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    // The app's icons live in resources/ (bundled assets), one source for every platform.
    for (const platform of [config.linux, config.win, config.mac]) expect(platform?.icon).toBe('resources/icon.png');
    expect(fs.existsSync(path.join(process.cwd(), 'resources', 'icon.png'))).toBe(true);
  });

  it('keeps native and wasm files outside app.asar', async () => {
    const config = await getConfig(process.cwd(), 'build/electron-builder.yml', null);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        'node_modules/@tensorflow/tfjs-node*/**',
        'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
        'node_modules/@img/**',
      ]),
    );
  });
});
