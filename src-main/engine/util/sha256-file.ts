import crypto from 'node:crypto';
import fs from 'node:fs';

/** A file's SHA-256 (hex), read as a stream so large uploads are never held in memory. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
