/**
 * The servers the desktop app has connected to, in a small JSON file in its state folder. A
 * server's token is kept only encrypted by the OS keychain (Electron's safeStorage, passed in as
 * a TokenCipher); where no keychain is available the address is remembered and the token is not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../engine/api/engine-api';
import { invalid } from '../shared/errors';
import type { KnownEngine } from '../shared/types/connection';

export interface TokenCipher {
  /** A real keychain is there (not a plain-text fallback). */
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

interface Stored {
  url: string;
  /** The token sealed by the cipher, base64. */
  sealed?: string;
  lastUsed: string;
}

const MAX_KNOWN = 20;

/** ws://host:port for what a person types: host:port, ws://, wss://, http:// or https:// (the latter two as ws/wss). */
export function normalizeEngineUrl(input: string): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `ws://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(`${trimmed} is not an engine address: give ws://host:port (or wss:// with TLS)`);
  }
  const scheme = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' }[url.protocol];
  if (!scheme) throw invalid(`${trimmed}: an engine address starts with ws:// or wss://`);
  if (url.username || url.password) throw invalid('Put the token in the token field, not in the address');
  if (!url.hostname) throw invalid(`${trimmed} names no host`);
  const pathname = url.pathname === '/' ? '' : url.pathname;
  return `${scheme}//${url.host}${pathname}`;
}

export class KnownEngines {
  constructor(
    private readonly file: string,
    private readonly cipher: TokenCipher | null,
  ) {}

  private read(): Stored[] {
    try {
      const items = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Stored[];
      return Array.isArray(items) ? items.filter((i) => typeof i?.url === 'string') : [];
    } catch {
      return [];
    }
  }

  private write(items: Stored[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // Private before anything is in it (the atomic writer keeps an existing file's mode).
    if (!fs.existsSync(this.file)) fs.closeSync(fs.openSync(this.file, 'a', 0o600));
    writeFileAtomic(this.file, JSON.stringify(items.slice(0, MAX_KNOWN), null, 2) + '\n');
  }

  /** Whether tokens can be kept (a keychain is there). */
  get keepsTokens(): boolean {
    return this.cipher?.available() ?? false;
  }

  list(): KnownEngine[] {
    return this.read().map(({ url, sealed, lastUsed }) => ({ url, hasToken: Boolean(sealed) && this.keepsTokens, lastUsed }));
  }

  /** The remembered token for `url`, or null (none, or the keychain cannot open it). */
  token(url: string): string | null {
    const item = this.read().find((i) => i.url === url);
    if (!item?.sealed || !this.cipher?.available()) return null;
    try {
      return this.cipher.decrypt(Buffer.from(item.sealed, 'base64'));
    } catch {
      return null;
    }
  }

  /** Puts `url` first; keeps `token` sealed when given and a keychain is there, else only the address. */
  remember(url: string, token: string | null): void {
    const sealed = token && this.keepsTokens ? this.cipher!.encrypt(token).toString('base64') : undefined;
    const rest = this.read().filter((i) => i.url !== url);
    this.write([{ url, ...(sealed && { sealed }), lastUsed: new Date().toISOString() }, ...rest]);
  }

  forget(url: string): void {
    this.write(this.read().filter((i) => i.url !== url));
  }
}
