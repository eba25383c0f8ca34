import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import { resolveFunction } from 'app-builder-lib/out/util/resolve.js';

interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: { executableName: string; appInfo: { productFilename: string } };
}
interface AfterPackModule {
  ganvasFuses: Record<string, boolean>;
  fuseConfig(platform: string, arch: string): Record<string, unknown>;
  electronBinaryPath(context: AfterPackContext): string;
  applyFuses(binary: string, config: Record<string, unknown>): Promise<Record<string, unknown>>;
  default(context: AfterPackContext): Promise<void>;
}
const hook = (await import(pathToFileURL(path.resolve('build/after-pack.mjs')).href)) as AfterPackModule;

// @electron/fuses' format: a sentinel, the wire version (1), its length, then one byte per fuse.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const [OFF, ON, REMOVED] = ['0'.charCodeAt(0), '1'.charCodeAt(0), 'r'.charCodeAt(0)];
/** Electron's defaults for the 9 fuses of recent releases: RunAsNode on, cookie encryption off, ... */
const electronDefaults = [ON, OFF, ON, ON, OFF, OFF, OFF, ON, ON];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-fuses-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A stand-in for the packed binary: bytes around one fuse wire. */
function fakeBinary(file: string, wire: number[] = electronDefaults, withSentinel = true): Buffer {
  const before = Buffer.from('\x7fELF fake electron binary ... '.repeat(40));
  const after = Buffer.from(' ... rest of the binary'.repeat(40));
  const body = withSentinel ? Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire)]) : Buffer.alloc(0);
  const bytes = Buffer.concat([before, body, after]);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return bytes;
}
const wireOf = (bytes: Buffer) => {
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
  return [...bytes.subarray(at, at + bytes[at - 1])];
};
const linuxContext = (appOutDir: string): AfterPackContext => ({
  appOutDir,
  electronPlatformName: 'linux',
  arch: 1,
  packager: { executableName: 'ganvas', appInfo: { productFilename: 'Ganvas' } },
});

describe('the fuses Ganvas ships with', () => {
  it('are exactly: RunAsNode, NODE_OPTIONS, --inspect, file:// privileges off; asar integrity, only-load-from-asar on', () => {
    expect(hook.ganvasFuses).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it('map to @electron/fuses wire positions, redoing the ad-hoc signature on arm64 macOS only', () => {
    expect(hook.fuseConfig('linux', 'x64')).toEqual({
      version: '1',
      resetAdHocDarwinSignature: false,
      0: false,
      2: false,
      3: false,
      4: true,
      5: true,
      7: false,
    });
    expect(hook.fuseConfig('darwin', 'arm64').resetAdHocDarwinSignature).toBe(true);
    expect(hook.fuseConfig('darwin', 'x64').resetAdHocDarwinSignature).toBe(false);
  });

  it('are applied to the binary electron-builder packed, per platform', () => {
    const base = { arch: 1, packager: { executableName: 'ganvas', appInfo: { productFilename: 'Ganvas' } } };
    expect(hook.electronBinaryPath({ ...base, appOutDir: '/d/linux-unpacked', electronPlatformName: 'linux' })).toBe(
      '/d/linux-unpacked/ganvas',
    );
    expect(hook.electronBinaryPath({ ...base, appOutDir: '/d/win-unpacked', electronPlatformName: 'win32' })).toBe(
      '/d/win-unpacked/Ganvas.exe',
    );
    expect(hook.electronBinaryPath({ ...base, appOutDir: '/d/mac', electronPlatformName: 'darwin' })).toBe('/d/mac/Ganvas.app');
  });
});

describe('the afterPack hook', () => {
  it('flips those fuses in the packed binary, leaves the other fuses and every other byte alone', async () => {
    const out = path.join(dir, 'linux-unpacked');
    const original = fakeBinary(path.join(out, 'ganvas'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await hook.default(linuxContext(out));
    log.mockRestore();
    const flipped = fs.readFileSync(path.join(out, 'ganvas'));
    expect(wireOf(flipped)).toEqual([OFF, OFF, OFF, OFF, ON, ON, OFF, OFF, ON]);
    const changed = [...flipped.keys()]
      .filter((i) => flipped[i] !== original[i])
      .map((i) => i - (original.indexOf(SENTINEL) + SENTINEL.length + 2));
    expect(changed).toEqual([0, 2, 3, 4, 5, 7]);
  });

  it('fails the build when the binary has no fuse wire', async () => {
    const out = path.join(dir, 'no-wire');
    fakeBinary(path.join(out, 'ganvas'), electronDefaults, false);
    await expect(hook.default(linuxContext(out))).rejects.toThrow(/Could not find sentinel/);
  });

  it('fails the build when this Electron marks one of those fuses as removed (setting it would do nothing)', async () => {
    const out = path.join(dir, 'removed');
    fakeBinary(path.join(out, 'ganvas'), [REMOVED, OFF, ON, ON, OFF, OFF, OFF, ON, ON]);
    await expect(hook.default(linuxContext(out))).rejects.toThrow(/Electron fuses removed in .*ganvas: RunAsNode /);
  });

  it('fails the build when a fuse reads back other than set', async () => {
    const binary = path.join(dir, 'readback', 'ganvas');
    fakeBinary(binary);
    // A config that leaves GrantFileProtocolExtraPrivileges (7) alone: the check still expects it off.
    const { 7: _left, ...partial } = hook.fuseConfig('linux', 'x64');
    await expect(hook.applyFuses(binary, partial)).rejects.toThrow(/Electron fuses not set in .*ganvas: GrantFileProtocolExtraPrivileges$/);
  });

  it('fails the build when the wire is too short for the fuses asked for', async () => {
    const out = path.join(dir, 'short');
    fakeBinary(path.join(out, 'ganvas'), [ON, OFF, ON, ON, OFF]);
    await expect(hook.default(linuxContext(out))).rejects.toThrow(/not long enough/);
  });
});

describe('electron-builder configuration', () => {
  it('runs the hook after packing (and not its own electronFuses, which would not be checked)', async () => {
    const config = await getConfig(process.cwd(), 'build/electron-builder.yml', null);
    expect(config.afterPack).toBe('./build/after-pack.mjs');
    expect(config.electronFuses ?? null).toBeNull();
    expect(config.asar ?? true).toBe(true);
    // electron-builder loads the hook the way it will at packaging time.
    const loaded = (await resolveFunction(undefined, config.afterPack, 'afterPack', process.cwd())) as unknown as (
      context: AfterPackContext,
    ) => Promise<void>;
    expect(typeof loaded).toBe('function');
    const out = path.join(dir, 'via-builder');
    fakeBinary(path.join(out, 'ganvas'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await loaded(linuxContext(out));
    log.mockRestore();
    expect(wireOf(fs.readFileSync(path.join(out, 'ganvas')))).toEqual([OFF, OFF, OFF, OFF, ON, ON, OFF, OFF, ON]);
  });

  it('keeps the native files the compute processes load (tfjs-node, sharp) unpacked from app.asar', async () => {
    const config = await getConfig(process.cwd(), 'build/electron-builder.yml', null);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['node_modules/@tensorflow/tfjs-node*/**', 'node_modules/@img/**', 'node_modules/sharp/**']),
    );
  });
});
