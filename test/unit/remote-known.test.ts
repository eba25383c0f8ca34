/** Remembered servers: addresses as people type them, tokens only through the OS keychain. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { KnownEngines, normalizeEngineUrl, type TokenCipher } from '../../src-main/remote/known-engines';
import { tempDir } from '../helpers/projects';

const electron = vi.hoisted(() => ({
  safeStorage: {
    isEncryptionAvailable: vi.fn(() => true),
    getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    encryptString: vi.fn((s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('base64')}`)),
    decryptString: vi.fn((b: Buffer) => Buffer.from(b.toString().slice('sealed:'.length), 'base64').toString()),
  },
  app: { getPath: vi.fn(() => '/tmp') },
}));
vi.mock('electron', () => electron);
const { keychainCipher } = await import('../../src-main/electron/keychain');

describe('engine addresses', () => {
  it('should take host:port, ws, wss, http and https', () => {
    expect(normalizeEngineUrl(' 127.0.0.1:7420 ')).toBe('ws://127.0.0.1:7420');
    expect(normalizeEngineUrl('ws://gpu-box:7420/')).toBe('ws://gpu-box:7420');
    expect(normalizeEngineUrl('wss://gpu.lab.example')).toBe('wss://gpu.lab.example');
    expect(normalizeEngineUrl('http://[::1]:7420')).toBe('ws://[::1]:7420');
    expect(normalizeEngineUrl('https://gpu.lab.example:8443')).toBe('wss://gpu.lab.example:8443');
  });

  it('should refuse other schemes and a token in the address', () => {
    expect(() => normalizeEngineUrl('ftp://x:1')).toThrow(/starts with ws:\/\/ or wss:\/\//);
    expect(() => normalizeEngineUrl('ws://me:secret@x:1')).toThrow(/token in the token field/);
    expect(() => normalizeEngineUrl('ws://')).toThrow(/not an engine address|names no host/);
  });
});

describe('known engines', () => {
  const cipher = keychainCipher as TokenCipher;

  it('should keep tokens sealed by the keychain, in a file only the user can read', () => {
    const file = path.join(tempDir(), 'engines.json');
    const known = new KnownEngines(file, cipher);
    known.remember('ws://a:1', 'token-a-0123456789');
    known.remember('ws://b:2', null);
    expect(known.list().map(({ url, hasToken }) => [url, hasToken])).toEqual([
      ['ws://b:2', false],
      ['ws://a:1', true],
    ]);
    expect(known.token('ws://a:1')).toBe('token-a-0123456789');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('token-a-0123456789');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(electron.safeStorage.encryptString).toHaveBeenCalledWith('token-a-0123456789');
    // Not remembering the token any more drops it.
    known.remember('ws://a:1', null);
    expect(known.token('ws://a:1')).toBeNull();
  });

  it("should keep no token where the keychain is Linux's plain-text fallback, or missing", () => {
    const known = new KnownEngines(path.join(tempDir(), 'engines.json'), cipher);
    electron.safeStorage.getSelectedStorageBackend.mockReturnValueOnce('basic_text').mockReturnValueOnce('basic_text');
    const linux = process.platform === 'linux';
    known.remember('ws://a:1', 'token-a-0123456789');
    expect(known.list()[0].hasToken).toBe(!linux);
    electron.safeStorage.isEncryptionAvailable.mockReturnValue(false);
    known.remember('ws://c:3', 'token-c-0123456789');
    expect(known.token('ws://c:3')).toBeNull();
    electron.safeStorage.isEncryptionAvailable.mockReturnValue(true);
  });

  it('should forget a server, and read a damaged file as none', () => {
    const file = path.join(tempDir(), 'engines.json');
    const known = new KnownEngines(file, cipher);
    known.remember('ws://a:1', 'token-a-0123456789');
    known.forget('ws://a:1');
    expect(known.list()).toEqual([]);
    fs.writeFileSync(file, '{ torn');
    expect(known.list()).toEqual([]);
  });
});
