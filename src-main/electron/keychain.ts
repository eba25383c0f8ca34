/**
 * Engine tokens in the OS keychain through Electron's safeStorage (macOS Keychain, Windows DPAPI,
 * the Secret Service or KWallet on Linux). On Linux without a keyring safeStorage falls back to a
 * hard-coded key ('basic_text'): that is not protection, so it counts as no keychain and only
 * the server's address is remembered (docs/server.md).
 */
import path from 'node:path';
import { app, safeStorage } from 'electron';
import { KnownEngines, type TokenCipher } from '../remote/known-engines';

export const keychainCipher: TokenCipher = {
  available: () =>
    safeStorage.isEncryptionAvailable() && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (sealed) => safeStorage.decryptString(sealed),
};

/** The servers this app remembers, in its user-data folder; call after the app is ready. */
export const knownEngines = (): KnownEngines => new KnownEngines(path.join(app.getPath('userData'), 'engines.json'), keychainCipher);
