/**
 * The server's one secret: a random token, printed at start and kept in a file only its owner
 * can read. A client proves it has the token in its first message; the comparison takes the same
 * time whatever the guess (both sides hashed to 32 bytes, then crypto.timingSafeEqual), so the
 * time of a refusal says nothing about how much of a guess was right.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../engine/api/engine-api';
import { invalid, refused } from '../shared/errors';

/** 32 random bytes, base64url: 43 characters, 256 bits. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

const digest = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();

/** Whether `given` is the token, in time independent of where they differ (and of their lengths). */
export function tokenMatches(expected: string, given: string): boolean {
  return crypto.timingSafeEqual(digest(expected), digest(given));
}

/** The shortest token a token file may hold (a person's own, e.g. from a Kubernetes Secret). */
export const MIN_TOKEN_LENGTH = 32;

/**
 * The token for this server: the one in `file` when it exists (so a restarted server, or a
 * container given a Secret, keeps its token), else a new one written there with mode 600.
 */
export function loadOrCreateToken(file: string): { token: string; created: boolean } {
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw refused(`Cannot read the token file ${file}: ${(err as Error).message}`);
  }
  if (text !== null) {
    // Others may not read it, nor its group change it. Group read is allowed: a Kubernetes Secret
    // mounted for a non-root user is 0440 with the pod's fsGroup (build/cluster/k8s/serve.yaml).
    if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o027) !== 0) {
      throw refused(`The token file ${file} can be read or changed by other users: run chmod 600 on it (or delete it to get a new token)`);
    }
    const token = text.trim();
    if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
      throw invalid(`The token file ${file} must hold one token of at least ${MIN_TOKEN_LENGTH} characters (delete it to get a new one)`);
    }
    return { token, created: false };
  }
  const token = newToken();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Made private before the token is in it: the atomic writer keeps an existing file's mode.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  writeFileAtomic(file, `${token}\n`);
  return { token, created: true };
}
