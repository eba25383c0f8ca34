// electron-builder's afterPack hook (build/electron-builder.yml): flips Electron's fuses in the
// packed binary before it is signed, then reads them back and fails the build if any is not as set.
// Fuses are bits compiled into the Electron binary that turn features off for good: no environment
// variable or command-line flag can turn them back on in the shipped app.
import path from 'node:path';
import electronFuses from '@electron/fuses';

const { flipFuses, getCurrentFuseWire, FuseV1Options, FuseVersion } = electronFuses;

/** The fuses Ganvas ships with (FuseV1Options name -> on/off); every other fuse keeps Electron's default. */
export const ganvasFuses = {
  // ELECTRON_RUN_AS_NODE would turn the app binary into a plain Node that runs any script.
  // Compute workers are utility processes (src-main/electron/compute-channel.ts), so nothing needs it.
  RunAsNode: false,
  // NODE_OPTIONS (e.g. --require) would load arbitrary code into the app at startup.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect / --inspect-brk would let a local process attach a debugger and run code in main.
  EnableNodeCliInspectArguments: false,
  // app.asar's header hash is checked against the one embedded at packaging; a changed archive
  // does not start. Electron implements it on macOS and Windows only (no effect on Linux).
  EnableEmbeddedAsarIntegrityValidation: true,
  // Only resources/app.asar is loaded as the app: a resources/app folder dropped next to it
  // (which the integrity check would not cover) is ignored.
  OnlyLoadAppFromAsar: true,
  // The renderer is served from app:// (src-main/electron/app-protocol.ts), so file:// pages need
  // none of their legacy extra privileges.
  GrantFileProtocolExtraPrivileges: false,
  // Left at Electron's defaults, on purpose: EnableCookieEncryption (the app keeps no cookies; on
  // macOS it would add a keychain prompt) and LoadBrowserProcessSpecificV8Snapshot (no custom snapshot).
};

/** The @electron/fuses config for one packed app (arm64 macOS builds need their ad-hoc signature redone). */
export function fuseConfig(platform, arch) {
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64' };
  for (const [name, on] of Object.entries(ganvasFuses)) config[FuseV1Options[name]] = on;
  return config;
}

/** The packed Electron binary (or .app bundle, where @electron/fuses finds the framework itself). */
export function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

const stateOf = (wire, name) => String.fromCharCode(wire[FuseV1Options[name]] ?? 0);

/**
 * Flips the fuses in `binary`, then reads them back: a fuse that did not take is a build error, and
 * so is one this Electron marks as removed ('r': setting it would be a silent no-op, so the
 * protection it stood for would be gone).
 */
export async function applyFuses(binary, config) {
  const before = await getCurrentFuseWire(binary);
  const removed = Object.keys(ganvasFuses).filter((name) => stateOf(before, name) === 'r');
  if (removed.length > 0) throw new Error(`Electron fuses removed in ${binary}: ${removed.join(', ')} (review build/after-pack.mjs)`);
  await flipFuses(binary, config);
  const after = await getCurrentFuseWire(binary);
  const wrong = Object.entries(ganvasFuses).filter(([name, on]) => stateOf(after, name) !== (on ? '1' : '0'));
  if (wrong.length > 0) throw new Error(`Electron fuses not set in ${binary}: ${wrong.map(([name]) => name).join(', ')}`);
  return after;
}

/** electron-builder's Arch enum value -> name (builder-util: ia32 0, x64 1, armv7l 2, arm64 3, universal 4). */
const archNames = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export default async function afterPack(context) {
  const binary = electronBinaryPath(context);
  await applyFuses(binary, fuseConfig(context.electronPlatformName, archNames[context.arch] ?? String(context.arch)));
  console.log(
    `  • fuses set in ${path.relative(process.cwd(), binary)}: ${Object.entries(ganvasFuses)
      .map(([n, on]) => `${n}=${on ? 'on' : 'off'}`)
      .join(' ')}`,
  );
}
